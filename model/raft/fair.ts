/**
 * A deterministic fair scheduler: no new faults, every deliverable message delivered, every committed entry
 * applied, every running member ticked once per round. Used by the control-plane API, the gate property and
 * the quorum table. The election-timeout draw is made by a hash of (member, term, salt), so split votes
 * resolve as they do with real random timeouts and different salts give different schedules.
 */

import { timeoutChoice } from './election.ts';
import { memberOf } from './network.ts';
import { deliverable, live, step } from './step.ts';
import { type Member, MIN_TIMEOUT, type RaftAction, type RaftOptions, type RaftState } from './types.ts';

function hash(str: string): number {
  let h = 2166136261;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** The timeout this scheduler draws for `m` in its current term: one value in [10, 19]. */
export function drawnTimeout(m: Member, salt: number): number {
  return MIN_TIMEOUT + (hash(`${m.id}:${m.term}:${salt}`) % 10);
}

export interface FairRunOptions {
  rounds: number;
  salt?: number;
  /** Called after every round; return true to stop. */
  until?: (s: RaftState, round: number) => boolean;
  /** Called at the start of every round; may return an action to take first (e.g. a client write). */
  before?: (s: RaftState) => RaftAction | null;
  /** Messages delivered per round at most (a guard; a round normally settles long before). */
  maxDeliveries?: number;
}

export interface FairRunResult {
  state: RaftState;
  rounds: number;
  stopped: boolean;
}

/** Delivers every deliverable message (oldest first) until none is left, then applies everything committed. */
export function settle(s: RaftState, opts: RaftOptions, maxDeliveries = 10_000): RaftState {
  let n = 0;
  for (;;) {
    const i = s.network.findIndex((m) => deliverable(s, m));
    if (i < 0 || n++ >= maxDeliveries) break;
    s = step(s, { type: 'deliver', msg: i }, opts);
  }
  for (const m of s.members) {
    let cur = memberOf(s, m.id)!;
    while (live(cur) && cur.appliedIndex < cur.commitIndex) {
      s = step(s, { type: 'apply', member: cur.id }, opts);
      cur = memberOf(s, m.id)!;
    }
  }
  return s;
}

export function runFair(start: RaftState, f: FairRunOptions, opts: RaftOptions = {}): FairRunResult {
  let s = settle(start, opts, f.maxDeliveries);
  const salt = f.salt ?? 0;
  for (let r = 1; r <= f.rounds; r++) {
    const a = f.before?.(s);
    if (a) s = settle(step(s, a, opts), opts, f.maxDeliveries);
    for (const id of s.members.map((m) => m.id)) {
      const m = memberOf(s, id)!;
      if (!live(m)) continue;
      const fire = timeoutChoice(m) ? m.electionElapsed + 1 >= drawnTimeout(m, salt) : undefined;
      s = step(
        s,
        fire === undefined ? { type: 'tick', member: id } : { type: 'tick', member: id, fire },
        opts,
      );
      s = settle(s, opts, f.maxDeliveries);
    }
    if (f.until?.(s, r)) return { state: s, rounds: r, stopped: true };
  }
  return { state: s, rounds: f.rounds, stopped: false };
}
