/**
 * Raft membership as SwarmKit drives it: single-server conf changes that take effect when *applied*
 * (etcd-raft:raft.go (applyConfChange, switchToConfig)), at most one unapplied at a time (etcd-raft:raft.go
 * (stepLeader: MsgProp, pendingConfIndex)), guarded by CanRemoveMember (moby/swarmkit:raft.go
 * (CanRemoveMember, removeMember)), with a removed set that never shrinks and IDs that are never reused
 * (moby/swarmkit:manager/state/raft/membership/cluster.go (RemoveMember)).
 *
 * Not modelled: leadership transfer (SwarmKit's role manager transfers leadership before demoting the
 * leader, so the model never lets a leader propose its own removal), UpdateNode (address changes), and
 * the health check of a joining node's address.
 */
import { loseLeadership } from './election.ts';
import { lastIndex } from './log.ts';
import { memberOf } from './network.ts';
import { appendAsLeader, bcastAppend, maybeCommit, sendAppend } from './replication.ts';
import type { Entry, Member, MemberId, RaftOptions, RaftState } from './types.ts';

/**
 * moby/swarmkit:raft.go (CanRemoveMember): after removing `id`, the members this leader can reach (itself,
 * plus peers its transport marks active) must be a majority of the shrunken member list. SwarmKit's own
 * arithmetic, (len-1)/2+1, independent of etcd's quorum code.
 */
export function canRemoveMember(m: Member, id: MemberId): boolean {
  const members = m.voters;
  let reachable = 0;
  for (const x of members) {
    if (x === id) continue;
    if (x === m.id || m.active[x] === true) reachable++;
  }
  return reachable >= Math.floor((members.length - 1) / 2) + 1;
}

/**
 * etcd-raft:raft.go (stepLeader: MsgProp): a conf change proposed while an earlier one may be unapplied
 * (pendingConfIndex > applied) is replaced by an empty normal entry. In SwarmKit the proposer's wait is then
 * never triggered and its context times out (role_manager's 5 s), so the change is retried later.
 */
export function proposeConfChange(
  s: RaftState,
  m: Member,
  conf: { op: 'add' | 'remove'; id: MemberId },
  opts: RaftOptions,
): Entry {
  if (m.pendingConfIndex > m.appliedIndex) {
    return appendAsLeader(s, m, { kind: 'noop', payload: '' }, opts);
  }
  m.pendingConfIndex = lastIndex(m.log) + 1;
  return appendAsLeader(s, m, { kind: 'conf', payload: `${conf.op} ${conf.id}`, conf }, opts);
}

/** A new member's record: it runs once the Join RPC returns, i.e. when the proposing leader applies AddNode. */
export function newJoiner(s: RaftState, id: MemberId): Member {
  const active: Record<MemberId, boolean> = {};
  for (const m of s.members) if (!m.stopped) active[m.id] = true;
  return {
    id,
    up: false,
    stopped: false,
    term: 0,
    votedFor: null,
    log: [],
    commitIndex: 0,
    appliedIndex: 0,
    role: 'follower',
    lead: null,
    electionElapsed: 0,
    heartbeatElapsed: 0,
    randomizedTimeout: null,
    votes: {},
    // The joiner replays the configuration from index 0 (the bootstrap snapshot) like everyone else and is
    // not promotable until it applies its own AddNode.
    voters: [...s.bootstrap],
    removed: [],
    progress: {},
    pendingConfIndex: 0,
    signalledLeader: false,
    active,
    ticksWithNoLeader: 0,
  };
}

/**
 * Applies a conf entry on member `m`: moby/swarmkit:raft.go (processConfChange, applyAddNode,
 * applyRemoveNode) and etcd-raft:raft.go (applyConfChange, switchToConfig).
 */
export function applyConf(s: RaftState, m: Member, e: Entry, opts: RaftOptions): void {
  const conf = e.conf!;
  if (conf.op === 'add') {
    if (m.voters.includes(conf.id) || m.removed.includes(conf.id)) return; // duplicate / removed: refused
    m.voters = [...m.voters, conf.id].sort();
    if (m.role === 'leader') {
      // etcd-raft:confchange/confchange.go (initProgress): Next = lastIndex, RecentActive = true.
      m.progress[conf.id] = { match: 0, next: Math.max(lastIndex(m.log), 1), recentActive: true };
      // The Join RPC returns to the new manager, which starts its Raft node (moby/swarmkit:raft.go (Join)).
      const j = memberOf(s, conf.id);
      if (j && !j.up && !j.stopped && j.term === 0 && j.log.length === 0) j.up = true;
    }
    m.active = { ...m.active, [conf.id]: m.active[conf.id] ?? true };
  } else {
    if (!m.voters.includes(conf.id)) return; // "member not found in cluster list"
    m.voters = m.voters.filter((v) => v !== conf.id);
    m.removed = [...m.removed, conf.id].sort();
    if (m.role === 'leader') delete m.progress[conf.id];
    if (conf.id === m.id) {
      // applyRemoveNode -> NodeRemoved: this manager leaves the Raft group and its node stops.
      if (m.role === 'leader') loseLeadership(s, m);
      m.stopped = true;
      return;
    }
    // applyRemoveNode calls Campaign when the removed member was our leader. etcd refuses it: the removal
    // is committed but not yet applied in etcd's view until Advance(), so hup sees an unapplied conf change
    // (etcd-raft:raft.go (hup, hasUnappliedConfChanges)). The model therefore does nothing here; followers
    // elect a new leader when their election timeout fires.
  }
  if (m.role === 'leader') {
    // switchToConfig: a smaller quorum may commit more; otherwise probe newly added peers.
    if (maybeCommit(m, opts)) bcastAppend(s, m, opts);
    else for (const id of Object.keys(m.progress).sort()) sendAppend(s, m, id, false, opts);
  }
}
