/**
 * The API the cluster model uses to gate control-plane writes on Raft.
 *
 * Two levels:
 * - `hasLeaderWithQuorum(state)` is the atomic gate: a signalled leader that reaches a majority of its
 *   voters both ways. The orchestration layer may treat a write as committed at once when it holds.
 * - `proposeAndCommit(state, payload)` drives the message-level Raft (fair scheduling, no new faults) and
 *   reports SwarmKit's outcome: ok | failedNotApplied | failedUnknown (semantics §1.7).
 * properties/raft/gate.test.ts checks that the two agree.
 */
import { runFair } from './fair.ts';
import { isBlocked, memberOf } from './network.ts';
import { majority } from './quorum.ts';
import { canPropose, live, step } from './step.ts';
import {
  LOST_QUORUM_TIMEOUT,
  type Member,
  type MemberId,
  type RaftOptions,
  type RaftState,
} from './types.ts';

// moby/swarmkit:manager/state/raft/raft.go (errLostQuorum, ErrLostLeadership).
export const ERR_LOST_QUORUM =
  "The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.";
export const ERR_LOST_LEADERSHIP = 'raft: failed to process the request: node lost leader status';
// moby/swarmkit:raft.go (LeaderConn): with a leader lost less than 10 ticks ago the call polls until the
// request deadline; the docs show the CLI's `context deadline exceeded`.
export const ERR_DEADLINE = 'rpc error: code = DeadlineExceeded desc = context deadline exceeded';

/**
 * The manager that acts as leader for the control plane: Raft leader AND signalled (it has applied its
 * whole log, so its leader-only components run and it accepts proposals). If a deposed leader has not yet
 * noticed, the one with the higher term is the leader.
 */
export function leaderOf(s: RaftState): MemberId | null {
  let best: Member | null = null;
  for (const m of s.members) if (canPropose(m) && (best === null || m.term > best.term)) best = m;
  return best?.id ?? null;
}

/** Raft leader (lead == self) that API calls are forwarded to, signalled or not (moby/swarmkit:raft.go (isLeader)). */
export function raftLeaderOf(s: RaftState): Member | null {
  let best: Member | null = null;
  for (const m of s.members)
    if (live(m) && m.role === 'leader' && (best === null || m.term > best.term)) best = m;
  return best;
}

function linked(s: RaftState, a: MemberId, b: MemberId): boolean {
  return a === b || (!isBlocked(s, a, b) && !isBlocked(s, b, a));
}

/** The atomic gate: a signalled leader with a majority of its voters running and reachable both ways. */
export function hasLeaderWithQuorum(s: RaftState): boolean {
  const id = leaderOf(s);
  if (id === null) return false;
  const l = memberOf(s, id)!;
  let n = 0;
  for (const v of l.voters) {
    const m = memberOf(s, v);
    if (m && live(m) && linked(s, id, v)) n++;
  }
  return n >= majority(l.voters.length);
}

/**
 * The fault configuration allows progress: some group of running voters, all mutually reachable, is a
 * majority of the current configuration (that of the member that has applied the most). Partitions in the
 * model are splits into groups, so reachability groups are the connected components of open links.
 */
export function quorumReachable(s: RaftState): boolean {
  let cfg: Member | null = null;
  for (const m of s.members) if (!m.stopped && (cfg === null || m.appliedIndex > cfg.appliedIndex)) cfg = m;
  if (cfg === null) return false;
  const voters = cfg.voters.filter((v) => {
    const m = memberOf(s, v);
    return m !== undefined && live(m);
  });
  const seen = new Set<MemberId>();
  for (const v of voters) {
    if (seen.has(v)) continue;
    const group = [v];
    seen.add(v);
    for (let i = 0; i < group.length; i++)
      for (const w of voters) {
        if (seen.has(w) || !linked(s, group[i], w)) continue;
        seen.add(w);
        group.push(w);
      }
    if (group.length >= majority(cfg.voters.length)) return true;
  }
  return false;
}

export type WriteResult =
  | { result: 'ok'; state: RaftState; index: number; leader: MemberId }
  | { result: 'failedNotApplied'; state: RaftState; message: string }
  | { result: 'failedUnknown'; state: RaftState; message: string; index: number };

/**
 * One client write, as `store.Update` + `ProposeValue` perform it (moby/swarmkit:manager/state/store/
 * memory.go (update), raft.go (ProposeValue, processInternalRaftRequest)), then fair scheduling with no new
 * faults for at most `rounds` ticks:
 * - no Raft leader: fails at once with errLostQuorum (after 10 leaderless ticks) or a deadline error;
 *   nothing was proposed (failedNotApplied);
 * - a Raft leader that has not signalled yet: ErrLostLeadership, nothing proposed (failedNotApplied);
 * - otherwise the entry is proposed; ok once committed and applied on the proposer; failedUnknown if the
 *   proposer loses leadership first (the entry may still commit, or be overwritten), or if `rounds` run out
 *   (SwarmKit waits without a timeout; the CLI's request deadline ends the wait).
 */
export function proposeAndCommit(
  s: RaftState,
  payload?: string,
  opts: RaftOptions = {},
  rounds = 60,
): WriteResult {
  const id = leaderOf(s);
  if (id === null) {
    if (raftLeaderOf(s) !== null)
      return { result: 'failedNotApplied', state: s, message: ERR_LOST_LEADERSHIP };
    const noLeaderFor = Math.min(...s.members.filter(live).map((m) => m.ticksWithNoLeader));
    return {
      result: 'failedNotApplied',
      state: s,
      message: noLeaderFor > LOST_QUORUM_TIMEOUT ? ERR_LOST_QUORUM : ERR_DEADLINE,
    };
  }
  const n = s.writes.length;
  let t = step(s, { type: 'propose', member: id, payload }, opts);
  const w = () => t.writes[n];
  const r = runFair(t, { rounds, until: (x) => x.writes[n].status !== 'pending' }, opts);
  t = r.state;
  if (w().status === 'ok') return { result: 'ok', state: t, index: w().index, leader: id };
  return {
    result: 'failedUnknown',
    state: t,
    message: w().status === 'pending' ? ERR_DEADLINE : ERR_LOST_LEADERSHIP,
    index: w().index,
  };
}

/**
 * Ground truth for the gate: starting from `s`, with no new faults and fair scheduling, does some client
 * write commit within `rounds` ticks? Writes are (re)tried whenever a signalled leader exists and none of
 * ours is pending, as a retrying client would.
 */
export function canCommitWrite(s: RaftState, opts: RaftOptions = {}, rounds = 80, salt = 0): boolean {
  const before = s.writes.length;
  const r = runFair(
    s,
    {
      rounds,
      salt,
      before: (x) => {
        const id = leaderOf(x);
        if (id === null || x.writes.slice(before).some((w) => w.status === 'pending')) return null;
        return { type: 'propose', member: id };
      },
      until: (x) => committedNew(x, before),
    },
    opts,
  );
  return committedNew(r.state, before);
}

/** Some write proposed after index `before` of `writes` is committed on some member. */
function committedNew(s: RaftState, before: number): boolean {
  for (const w of s.writes.slice(before)) {
    for (const m of s.members) {
      const e = m.log[w.index - 1];
      if (w.index <= m.commitIndex && e !== undefined && e.term === w.term && e.payload === w.payload)
        return true;
    }
  }
  return false;
}

export type ManagerStatus = 'Leader' | 'Reachable' | 'Unreachable';

/**
 * `docker node ls` MANAGER STATUS per Raft member, as the leader answers it (moby/swarmkit:raft.go
 * (GetMemberlist), docker/cli:cli/command/node/formatter.go (ManagerStatus)): Leader for the leader; else
 * Reachable if the leader's transport last reached it; else Unreachable. Without a leader the call fails.
 */
export function managerStatus(
  s: RaftState,
): { ok: true; leader: MemberId; rows: Record<MemberId, ManagerStatus> } | { ok: false; message: string } {
  const l = raftLeaderOf(s);
  if (l === null) {
    const noLeaderFor = Math.min(...s.members.filter(live).map((m) => m.ticksWithNoLeader));
    return { ok: false, message: noLeaderFor > LOST_QUORUM_TIMEOUT ? ERR_LOST_QUORUM : ERR_DEADLINE };
  }
  const rows: Record<MemberId, ManagerStatus> = {};
  for (const v of l.voters) rows[v] = v === l.id ? 'Leader' : l.active[v] ? 'Reachable' : 'Unreachable';
  return { ok: true, leader: l.id, rows };
}
