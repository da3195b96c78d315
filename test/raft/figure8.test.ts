/**
 * Raft paper Figure 8 (§5.4.2) on three managers, scheduled by hand: why a leader commits only entries of
 * its own term. With etcd's rule the old-term entry is never committed and is later overwritten, which is
 * safe; with the rule removed (mutation `commitPreviousTermDirectly`) it is committed and then
 * overwritten, and the properties catch it. One entry per AppendEntries (the model default) is what lets a
 * follower acknowledge the old entry before the new leader's empty entry.
 */
import { expect, test } from 'vitest';
import { deliverable, initialState, step } from '../../model/raft/step.ts';
import type { Message, RaftAction, RaftOptions, RaftState } from '../../model/raft/types.ts';
import {
  checkInitial,
  checkStep,
  History,
  type PropertyName,
  type Violation,
} from '../../properties/raft/invariants.ts';
import { member } from './helpers.ts';

function figure8(opts: RaftOptions, skip: PropertyName[] = []) {
  const h = new History(skip);
  let s: RaftState = initialState(3, opts);
  let violation: Violation | null = checkInitial(s, h, opts);
  const go = (a: RaftAction) => {
    const n = step(s, a, opts);
    violation ??= checkStep(s, a, n, h, opts);
    s = n;
  };
  const deliver = (p: (m: Message) => boolean) => {
    const i = s.network.findIndex((m) => p(m) && deliverable(s, m));
    if (i < 0) throw new Error('schedule: no such message in flight');
    go({ type: 'deliver', msg: i });
  };
  const deliverAll = () => {
    for (
      let i = s.network.findIndex((m) => deliverable(s, m));
      i >= 0;
      i = s.network.findIndex((m) => deliverable(s, m))
    )
      go({ type: 'deliver', msg: i });
  };
  const applyAll = () => {
    for (const { id } of s.members)
      while (member(s, id).up && member(s, id).appliedIndex < member(s, id).commitIndex)
        go({ type: 'apply', member: id });
  };
  const dropAll = () => {
    while (s.network.length > 0) go({ type: 'drop', msg: 0 });
  };
  const campaign = (id: string) => {
    const t = member(s, id).term;
    for (let i = 0; i < 40 && member(s, id).term === t; i++) go({ type: 'tick', member: id, fire: true });
  };
  const waitOutLease = (id: string) => {
    for (let i = 0; i < 10; i++) {
      const m = member(s, id);
      go(
        m.randomizedTimeout === null && m.electionElapsed + 1 >= 10
          ? { type: 'tick', member: id, fire: false }
          : { type: 'tick', member: id },
      );
    }
  };

  // Term 1: m1 leads; its empty entry (index 1) commits everywhere.
  campaign('m1');
  deliverAll();
  applyAll();
  expect(member(s, 'm1')).toMatchObject({ role: 'leader', signalledLeader: true });
  // m1, cut off, takes client write `a` at index 2 (term 1), then crashes.
  go({ type: 'partition', groups: [['m2', 'm3'], ['m1']] });
  go({ type: 'propose', member: 'm1', payload: 'a' });
  go({ type: 'crash', member: 'm1' });
  go({ type: 'heal' });
  dropAll();
  // Term 2: m2 wins with m3's vote, appends its empty entry at index 2 (term 2), which is lost; m2 crashes.
  waitOutLease('m3');
  campaign('m2');
  deliver((m) => m.type === 'vote' && m.to === 'm3');
  deliver((m) => m.type === 'voteResp' && m.to === 'm2');
  expect(member(s, 'm2').role).toBe('leader');
  expect(member(s, 'm2').log[1]).toMatchObject({ index: 2, term: 2 });
  dropAll();
  go({ type: 'crash', member: 'm2' });
  // Term 3: m1 is back and wins with m3's vote (term 2 is m3's, so m1 needs a second campaign).
  go({ type: 'restart', member: 'm1' });
  campaign('m1');
  deliverAll();
  campaign('m1');
  deliver((m) => m.type === 'vote' && m.to === 'm3');
  deliver((m) => m.type === 'voteResp' && m.to === 'm1');
  expect(member(s, 'm1')).toMatchObject({ role: 'leader', term: 3 });
  // m3 rejects the append of m1's empty entry (index 3), is sent `a` (index 2, term 1) alone and acks it.
  deliver((m) => m.type === 'app' && m.to === 'm3');
  deliver((m) => m.type === 'appResp' && m.to === 'm1' && m.reject);
  deliver((m) => m.type === 'app' && m.to === 'm3' && m.entries[0]?.payload === 'a');
  deliver((m) => m.type === 'appResp' && m.to === 'm1' && !m.reject);
  const committedOld = member(s, 'm1').commitIndex >= 2;
  // m1 crashes before m3 gets its term-3 entry (or the new commit index).
  go({ type: 'crash', member: 'm1' });
  dropAll();
  // Term 4: m2 is back; its last entry (index 2, term 2) beats m3's (index 2, term 1), so it wins and
  // overwrites index 2 on m3.
  go({ type: 'restart', member: 'm2' });
  waitOutLease('m3');
  campaign('m2');
  deliverAll();
  if (member(s, 'm2').role !== 'leader') {
    campaign('m2');
    deliverAll();
  }
  expect(member(s, 'm2').role).toBe('leader');
  return { violation, committedOld, s };
}

test('Figure 8 with etcd rule: the old-term entry is never committed, and losing it is safe', () => {
  const r = figure8({});
  expect(r.committedOld).toBe(false);
  expect(r.violation).toBeNull();
  // `a` is gone: index 2 now holds m2's term-2 entry everywhere that is up, and `a`'s client got no ok.
  expect(member(r.s, 'm3').log[1]).toMatchObject({ index: 2, term: 2 });
  expect(r.s.writes.find((w) => w.payload === 'a')?.status).toBe('failedUnknown');
});

test('Figure 8 without the own-term rule: a committed entry is lost, and the properties say so', () => {
  const mutated = { mutations: { commitPreviousTermDirectly: true } };
  const r = figure8(mutated);
  expect(r.committedOld).toBe(true);
  expect(r.violation?.property).toBe('LeaderCommitsOwnTerm');
  // With that direct detector off, the paper's properties catch the consequence.
  const r2 = figure8(mutated, ['LeaderCommitsOwnTerm']);
  expect(r2.violation?.property).toBe('LeaderCompleteness');
});
