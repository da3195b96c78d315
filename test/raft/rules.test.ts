/** One test per SwarmKit/etcd rule the model encodes, on small hand-made schedules. */
import { describe, expect, test } from 'vitest';
import {
  ERR_LOST_LEADERSHIP,
  hasLeaderWithQuorum,
  leaderOf,
  managerStatus,
  proposeAndCommit,
} from '../../model/raft/controlPlane.ts';
import { runFair } from '../../model/raft/fair.ts';
import { canRemoveMember } from '../../model/raft/membership.ts';
import { steadySwarm } from '../../model/raft/quorumTable.ts';
import { enabled, initialState, step } from '../../model/raft/step.ts';
import type { RaftState } from '../../model/raft/types.ts';
import { runOne } from '../../properties/raft/runner.ts';
import { act, campaign, flush, idle, isolate, member } from './helpers.ts';

function leaderIn(s: RaftState): string {
  const id = leaderOf(s);
  if (id === null) throw new Error('no leader');
  return id;
}

describe('Raft rules', () => {
  test('a single manager (swarm init) campaigns at once and signals leadership once it applied its entry', () => {
    const s = initialState(1);
    expect(member(s, 'm1')).toMatchObject({
      role: 'leader',
      term: 1,
      commitIndex: 1,
      signalledLeader: false,
    });
    expect(proposeAndCommit(s)).toMatchObject({ result: 'failedNotApplied', message: ERR_LOST_LEADERSHIP });
    const s2 = act(s, { type: 'apply', member: 'm1' });
    expect(member(s2, 'm1').signalledLeader).toBe(true);
    expect(proposeAndCommit(s2).result).toBe('ok');
  });

  test('leader lease: a higher-term vote request within ElectionTick of hearing the leader is ignored', () => {
    let s = steadySwarm(3);
    const l = leaderIn(s);
    const [a, b] = s.members.map((m) => m.id).filter((x) => x !== l);
    s = isolate(s, [a]);
    s = campaign(s, a); // a bumps its term while cut off (PreVote is off)
    const t = member(s, a).term;
    s = act(s, { type: 'heal' });
    s = campaign(s, a); // campaigns again, now reachable
    const vote = s.network.findIndex((m) => m.type === 'vote' && m.to === b);
    const before = member(s, b);
    s = act(s, { type: 'deliver', msg: vote });
    expect(member(s, b).term).toBe(before.term); // no term change
    expect(s.network.some((m) => m.type === 'voteResp' && m.from === b)).toBe(false); // no reply
    expect(member(s, a).term).toBeGreaterThan(t - 1);
    // Once b has not heard from the leader for 10 ticks, the same kind of request is answered.
    s = isolate(s, [l]);
    s = idle(s, b, 10);
    s = act(s, { type: 'heal' });
    s = campaign(s, a);
    s = act(s, { type: 'deliver', msg: s.network.findIndex((m) => m.type === 'vote' && m.to === b) });
    expect(member(s, b).term).toBe(member(s, a).term);
    expect(s.network.some((m) => m.type === 'voteResp' && m.from === b)).toBe(true);
  });

  test('votes: a candidate whose last entry is older than the voter’s is rejected', () => {
    let s = steadySwarm(3);
    const l = leaderIn(s);
    const [a, b] = s.members.map((m) => m.id).filter((x) => x !== l);
    // a is cut off, then the others commit another write: a's log is now behind b's.
    s = isolate(s, [a]);
    s = proposeAndCommit(s).state;
    s = act(s, { type: 'crash', member: l });
    s = act(s, { type: 'heal' });
    s = idle(s, b, 10);
    s = campaign(s, a);
    s = act(s, { type: 'deliver', msg: s.network.findIndex((m) => m.type === 'vote' && m.to === b) });
    const resp = s.network.find((m) => m.type === 'voteResp' && m.from === b);
    expect(resp).toMatchObject({ reject: true });
    expect(member(s, b).votedFor).toBe(null);
  });

  test('a new leader commits its empty entry and only then reports itself leader', () => {
    let s = initialState(3);
    s = campaign(s, 'm2');
    s = flush(s);
    const m2 = member(s, 'm2');
    expect(m2.role).toBe('leader');
    expect(m2.log.at(-1)).toMatchObject({ term: m2.term, kind: 'noop' });
    expect(m2.signalledLeader).toBe(true); // flush applied it
  });

  test('CheckQuorum: a leader cut off from the majority steps down within 2 ElectionTicks; its write fails', () => {
    let s = steadySwarm(5);
    const l = leaderIn(s);
    s = isolate(s, [l]);
    s = act(s, { type: 'propose', member: l, payload: 'x' });
    let ticks = 0;
    while (member(s, l).role === 'leader' && ticks < 30) {
      s = act(s, { type: 'tick', member: l });
      ticks++;
    }
    expect(member(s, l).role).toBe('follower');
    expect(ticks).toBeLessThanOrEqual(20);
    expect(s.writes.find((w) => w.payload === 'x')?.status).toBe('failedUnknown');
    expect(hasLeaderWithQuorum(s)).toBe(false);
  });

  test('restart keeps term, vote, log and commit index, and loses the rest', () => {
    let s = steadySwarm(3);
    const l = leaderIn(s);
    const before = member(s, l);
    s = act(s, { type: 'crash', member: l });
    s = act(s, { type: 'restart', member: l });
    const after = member(s, l);
    expect({
      term: after.term,
      votedFor: after.votedFor,
      log: after.log,
      commitIndex: after.commitIndex,
    }).toEqual({
      term: before.term,
      votedFor: before.votedFor,
      log: before.log,
      commitIndex: before.commitIndex,
    });
    expect(after).toMatchObject({ role: 'follower', lead: null, signalledLeader: false, progress: {} });
    expect(after.appliedIndex).toBe(after.commitIndex); // the committed prefix is replayed
  });

  test('conf changes take effect when applied, one at a time', () => {
    let s = steadySwarm(3);
    const l = leaderIn(s);
    s = act(s, { type: 'addMember', member: l });
    expect(member(s, l).voters).toHaveLength(3); // appended, not applied
    // A second change before the first is applied becomes an empty entry.
    s = act(s, { type: 'removeMember', member: l, target: s.members.find((m) => m.id !== l)!.id });
    expect(member(s, l).log.at(-1)).toMatchObject({ kind: 'noop' });
    s = runFair(s, { rounds: 3 }).state;
    expect(member(s, l).voters).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(member(s, 'm4')).toMatchObject({ up: true, voters: ['m1', 'm2', 'm3', 'm4'] });
  });

  test('CanRemoveMember: with 3 managers and one down, removing the down one is allowed, a healthy one is not', () => {
    let s = steadySwarm(3);
    const l = leaderIn(s);
    const [down, healthy] = s.members.map((m) => m.id).filter((x) => x !== l);
    s = act(s, { type: 'crash', member: down });
    s = act(s, { type: 'tick', member: l }); // a heartbeat to `down` fails: its transport goes inactive
    expect(canRemoveMember(member(s, l), down)).toBe(true);
    expect(canRemoveMember(member(s, l), healthy)).toBe(false);
    const removes = enabled(s).filter((a) => a.type === 'removeMember');
    expect(removes).toEqual([{ type: 'removeMember', member: l, target: down }]);
  });

  test('a removed manager is refused by the others and stops; its ID is never a voter again', () => {
    let s = steadySwarm(3);
    const l = leaderIn(s);
    const [gone] = s.members.map((m) => m.id).filter((x) => x !== l);
    s = act(s, { type: 'crash', member: gone });
    s = act(s, { type: 'tick', member: l });
    s = act(s, { type: 'removeMember', member: l, target: gone });
    s = runFair(s, { rounds: 3 }).state;
    for (const m of s.members.filter((x) => x.id !== gone)) {
      expect(m.voters).not.toContain(gone);
      expect(m.removed).toContain(gone);
    }
    // It restarts with a log that does not hold its removal; the first message it sends is refused.
    s = act(s, { type: 'restart', member: gone });
    s = runFair(s, { rounds: 25 }).state;
    expect(member(s, gone).stopped).toBe(true);
    expect(leaderOf(s)).toBe(l);
  });

  test('docker node ls MANAGER STATUS: Leader, Reachable, Unreachable', () => {
    let s = steadySwarm(3);
    const l = leaderIn(s);
    const [down, up] = s.members.map((m) => m.id).filter((x) => x !== l);
    s = act(s, { type: 'crash', member: down });
    s = act(s, { type: 'tick', member: l });
    const st = managerStatus(s);
    expect(st).toMatchObject({
      ok: true,
      leader: l,
      rows: { [l]: 'Leader', [up]: 'Reachable', [down]: 'Unreachable' },
    });
  });

  test('step is pure and runs are deterministic', () => {
    const s = steadySwarm(3);
    const json = JSON.stringify(s);
    for (const a of enabled(s)) step(s, a);
    expect(JSON.stringify(s)).toBe(json);
    const r1 = runOne(42);
    const r2 = runOne(42);
    expect(r1.ok && r2.ok && r1.stats).toEqual(r2.ok && r2.stats);
  });
});
