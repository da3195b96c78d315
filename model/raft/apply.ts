/**
 * Applying committed entries to the manager's store replica, and SwarmKit's "signalled leadership".
 * moby/swarmkit:manager/state/raft/raft.go (Run, processCommitted, processEntry, caughtUp).
 *
 * The store replica itself is not materialised: it is, by construction, the fold of the log prefix
 * 1..appliedIndex, which is what State Machine Safety compares.
 */
import { lastIndex } from './log.ts';
import { applyConf } from './membership.ts';
import type { Member, RaftOptions, RaftState } from './types.ts';

/** Applies the next committed entry on `m` (one step of the Ready loop's CommittedEntries). */
export function applyNext(s: RaftState, m: Member, opts: RaftOptions): void {
  const e = m.log[m.appliedIndex];
  if (e.kind === 'conf') applyConf(s, m, e, opts);
  else if (e.kind === 'normal') {
    // processEntry: the proposer's wait is triggered, so its client sees success. Anyone else (a follower,
    // or a deposed leader whose wait was cancelled) just applies the store actions.
    const i = s.writes.findIndex(
      (w) => w.by === m.id && w.index === e.index && w.term === e.term && w.status === 'pending',
    );
    if (i >= 0) {
      s.writes = s.writes.slice();
      s.writes[i] = { ...s.writes[i], status: 'ok' };
    }
  }
  m.appliedIndex = e.index;
  signalLeadership(m);
}

/**
 * moby/swarmkit:raft.go (Run, caughtUp): a leader reports itself leader (starts the leader-only components
 * and accepts proposals) once it has applied everything in its log, which includes the empty entry of its
 * own term. It stays signalled until it stops being leader.
 */
export function signalLeadership(m: Member): void {
  if (m.role === 'leader' && !m.signalledLeader && m.appliedIndex >= lastIndex(m.log))
    m.signalledLeader = true;
}
