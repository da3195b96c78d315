/**
 * The Raft layer of the swarm managers, as plain immutable data.
 *
 * One `Member` per manager's Raft node, a `network` of in-flight messages and a set of blocked links.
 * Everything is JSON-serialisable: no Map, no Set, no class, no function. The settings are SwarmKit's:
 * etcd raft v3.6 with CheckQuorum on and PreVote off (moby/swarmkit:manager/state/raft/raft.go
 * (NewNode, DefaultNodeConfig)).
 */

/** A Raft member's ID. SwarmKit uses random uint64s that are never reused; the model uses `m1`, `m2`, …. */
export type MemberId = string;

// moby/swarmkit:manager/state/raft/raft.go (DefaultNodeConfig): ElectionTick 10, HeartbeatTick 1.
export const ELECTION_TICK = 10;
export const HEARTBEAT_TICK = 1;
// etcd-raft:raft.go (resetRandomizedElectionTimeout): electionTimeout + rand.Intn(electionTimeout),
// i.e. uniform in [10, 19].
export const MIN_TIMEOUT = ELECTION_TICK;
export const MAX_TIMEOUT = 2 * ELECTION_TICK - 1;
// moby/swarmkit:manager/state/raft/raft.go (lostQuorumTimeout, LeaderConn): after more than 10 ticks
// without a leader, API calls fail at once with errLostQuorum instead of waiting.
export const LOST_QUORUM_TIMEOUT = 10;

/**
 * A log entry. `noop` is the empty entry a new leader appends (etcd-raft:raft.go (becomeLeader)) and also
 * what a refused conf change is turned into (etcd-raft:raft.go (stepLeader: MsgProp)). `normal` carries a
 * store transaction, here a write named by its payload. `conf` is a single-server ConfChange.
 */
export interface Entry {
  term: number;
  index: number;
  kind: 'normal' | 'noop' | 'conf';
  payload: string;
  conf?: { op: 'add' | 'remove'; id: MemberId };
}

export type Role = 'follower' | 'candidate' | 'leader';

/** The leader's view of one peer (etcd-raft:tracker/progress.go), reduced to what the rules read. */
export interface Progress {
  match: number;
  next: number;
  /** Set by an append or heartbeat response, cleared at each CheckQuorum (etcd-raft:raft.go (stepLeader)). */
  recentActive: boolean;
}

export interface Member {
  id: MemberId;
  /** The process runs. `crash` clears it; `restart` sets it and rebuilds the volatile state. */
  up: boolean;
  /** SwarmKit's NodeRemoved: this member applied its own removal (or was told it is removed) and left for good. */
  stopped: boolean;

  // Persisted: etcd's HardState (term, vote, commit) and the WAL (moby/swarmkit:raft.go (saveToStorage)).
  term: number;
  votedFor: MemberId | null;
  log: Entry[];
  commitIndex: number;

  // Volatile: lost on crash, rebuilt on restart.
  appliedIndex: number;
  role: Role;
  lead: MemberId | null;
  electionElapsed: number;
  heartbeatElapsed: number;
  /**
   * The randomized election timeout in [10, 19], or null while not yet drawn. The draw is a choice the
   * tick action makes when it matters (see election.ts); `null` after every timer reset.
   */
  randomizedTimeout: number | null;
  /** Candidate's tally: voter -> granted. etcd-raft:tracker/tracker.go (RecordVote, TallyVotes). */
  votes: Record<MemberId, boolean>;
  /** The configuration in effect: the voters after the last *applied* conf change. */
  voters: MemberId[];
  /** SwarmKit's removed set (moby/swarmkit:manager/state/raft/membership/cluster.go); never shrinks. */
  removed: MemberId[];
  /** Leader only: one entry per voter other than itself. Empty otherwise. */
  progress: Record<MemberId, Progress>;
  /** etcd-raft:raft.go (becomeLeader, stepLeader): index of the last conf change that may be unapplied. */
  pendingConfIndex: number;
  /** moby/swarmkit:raft.go (Run, caughtUp): leader AND has applied up to its last index since winning. */
  signalledLeader: boolean;
  /** moby/swarmkit:manager/state/raft/transport/peer.go (active): did the last send to that peer succeed. */
  active: Record<MemberId, boolean>;
  /** moby/swarmkit:raft.go (Run: ticksWithNoLeader). */
  ticksWithNoLeader: number;
}

interface MessageBase {
  from: MemberId;
  to: MemberId;
  term: number;
}

/** MsgVote: RequestVote with the candidate's last entry. */
export interface VoteMsg extends MessageBase {
  type: 'vote';
  lastIndex: number;
  lastTerm: number;
}
export interface VoteRespMsg extends MessageBase {
  type: 'voteResp';
  reject: boolean;
}
/** MsgApp: AppendEntries. */
export interface AppMsg extends MessageBase {
  type: 'app';
  prevIndex: number;
  prevTerm: number;
  entries: Entry[];
  commit: number;
}
export interface AppRespMsg extends MessageBase {
  type: 'appResp';
  index: number;
  reject: boolean;
  hintIndex: number;
  hintTerm: number;
}
export interface HeartbeatMsg extends MessageBase {
  type: 'heartbeat';
  commit: number;
}
export interface HeartbeatRespMsg extends MessageBase {
  type: 'heartbeatResp';
}
export type Message = VoteMsg | VoteRespMsg | AppMsg | AppRespMsg | HeartbeatMsg | HeartbeatRespMsg;

/** A client write waiting in SwarmKit's wait registry (moby/swarmkit:raft.go (processInternalRaftRequest)). */
export interface ClientWrite {
  payload: string;
  by: MemberId;
  term: number;
  index: number;
  /**
   * ok: committed and applied on the proposer. failedUnknown: the wait was cancelled because the proposer
   * lost leadership (or crashed); the entry may still commit later or be overwritten (semantics §1.7).
   */
  status: 'pending' | 'ok' | 'failedUnknown';
}

export interface RaftState {
  /** In creation order; an ID is never reused. */
  members: Member[];
  /** In-flight messages, in send order. Identical copies only arise from `duplicate`. */
  network: Message[];
  /** Blocked directed links as `from>to`, sorted. */
  blocked: string[];
  /** The configuration in the snapshot at index 0: the managers the model starts with. */
  bootstrap: MemberId[];
  /** Payload counter for client writes (`w1`, `w2`, …). */
  nextWrite: number;
  /** Counter for new member IDs. */
  nextMember: number;
  writes: ClientWrite[];
}

export type RaftAction =
  /** One tick of a member's clock. `fire` is the election-timeout draw, present only when it is a choice. */
  | { type: 'tick'; member: MemberId; fire?: boolean }
  | { type: 'deliver'; msg: number }
  | { type: 'drop'; msg: number }
  | { type: 'duplicate'; msg: number }
  /** Apply the next committed entry (moby/swarmkit:raft.go (Run: processCommitted)). */
  | { type: 'apply'; member: MemberId }
  | { type: 'crash'; member: MemberId }
  | { type: 'restart'; member: MemberId }
  | { type: 'partition'; groups: MemberId[][] }
  | { type: 'heal' }
  /**
   * A client write at a signalled leader (moby/swarmkit:raft.go (ProposeValue)). `payload` defaults to
   * `w<n>` from the state's counter; the cluster model passes its own.
   */
  | { type: 'propose'; member: MemberId; payload?: string }
  /** The leader proposes AddNode for a fresh ID (moby/swarmkit:raft.go (Join, addMember)). */
  | { type: 'addMember'; member: MemberId }
  /** The leader proposes RemoveNode, guarded by CanRemoveMember (moby/swarmkit:raft.go (removeMember)). */
  | { type: 'removeMember'; member: MemberId; target: MemberId };

/** Who performs an action, in the cluster model's actor vocabulary. */
export function actorOf(a: RaftAction): 'raft' | 'fault' | 'user' {
  switch (a.type) {
    case 'drop':
    case 'duplicate':
    case 'crash':
    case 'restart':
    case 'partition':
    case 'heal':
      return 'fault';
    case 'propose':
    case 'addMember':
    case 'removeMember':
      return 'user';
    default:
      return 'raft';
  }
}

/**
 * Planted bugs, for the test that keeps the properties honest (properties/raft/mutations.test.ts).
 * All off by default; nothing outside tests turns them on.
 */
export interface Mutations {
  /** Grant votes without etcd-raft:log.go (isUpToDate). */
  voteWithoutUpToDateCheck?: boolean;
  /** Commit the majority-matched index even if its entry is from an earlier term (no §5.4.2 rule). */
  commitPreviousTermDirectly?: boolean;
  /** Leader never runs CheckQuorum (and so has no lease either). */
  ignoreCheckQuorum?: boolean;
  /** Quorum = ⌈n/2⌉ instead of ⌊n/2⌋+1. */
  quorumCeilHalf?: boolean;
  /** Grant a second vote in the same term. */
  voteTwicePerTerm?: boolean;
  /** Follower appends without the AppendEntries consistency check on (prevIndex, prevTerm). */
  skipPrevLogCheck?: boolean;
}

export interface RaftOptions {
  mutations?: Mutations;
  /**
   * Entries per AppendEntries message (default 1). SwarmKit caps a message at 64 KiB (MaxSizePerMsg,
   * moby/swarmkit:raft.go (DefaultNodeConfig)) while one store transaction may be up to 1.5 MiB, and etcd
   * always sends at least one entry, so one entry per message is a real case. It also covers larger
   * batches: k single-entry messages delivered back to back leave the follower as one k-entry message
   * would, and the acknowledgements that a batch saves are ones the network may drop anyway.
   */
  maxEntriesPerMsg?: number;
}

export class RaftPanic extends Error {}
