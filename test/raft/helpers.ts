/** Small drivers for hand-written Raft schedules in tests. */
import { settle } from '../../model/raft/fair.ts';
import { memberOf } from '../../model/raft/network.ts';
import { step } from '../../model/raft/step.ts';
import type { Member, MemberId, RaftAction, RaftOptions, RaftState } from '../../model/raft/types.ts';

export function member(s: RaftState, id: MemberId): Member {
  return memberOf(s, id)!;
}

/** Ticks `id` until it campaigns (its election timeout fires at the first chance). */
export function campaign(s: RaftState, id: MemberId, opts: RaftOptions = {}): RaftState {
  const term = member(s, id).term;
  for (let i = 0; i < 40 && member(s, id).term === term; i++) {
    s = step(s, { type: 'tick', member: id, fire: true }, opts);
  }
  return s;
}

/** Ticks `id` n times without letting its election timeout fire (it stays below 19). */
export function idle(s: RaftState, id: MemberId, n: number, opts: RaftOptions = {}): RaftState {
  for (let i = 0; i < n; i++) {
    const m = member(s, id);
    const a: RaftAction =
      m.role !== 'leader' && m.randomizedTimeout === null && m.electionElapsed + 1 >= 10
        ? { type: 'tick', member: id, fire: false }
        : { type: 'tick', member: id };
    s = step(s, a, opts);
  }
  return s;
}

/** Delivers everything deliverable and applies everything committed. */
export function flush(s: RaftState, opts: RaftOptions = {}): RaftState {
  return settle(s, opts);
}

export function act(s: RaftState, a: RaftAction, opts: RaftOptions = {}): RaftState {
  return step(s, a, opts);
}

export function isolate(s: RaftState, ids: MemberId[], opts: RaftOptions = {}): RaftState {
  const rest = s.members.map((m) => m.id).filter((x) => !ids.includes(x));
  return step(s, { type: 'partition', groups: [rest, ...ids.map((x) => [x])] }, opts);
}
