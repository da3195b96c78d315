/**
 * Elections: timers, campaigns, votes, CheckQuorum. etcd raft v3.6 as SwarmKit configures it
 * (CheckQuorum on, PreVote off). All functions mutate *draft* members of a draft state that step.ts owns.
 */
import { isUpToDate, lastIndex, lastTerm } from './log.ts';
import { send } from './network.ts';
import { voteResult } from './quorum.ts';
import { appendAsLeader, bcastHeartbeat } from './replication.ts';
import {
  ELECTION_TICK,
  HEARTBEAT_TICK,
  MAX_TIMEOUT,
  type Member,
  type MemberId,
  MIN_TIMEOUT,
  type RaftOptions,
  type RaftState,
  type VoteMsg,
  type VoteRespMsg,
} from './types.ts';

/** SwarmKit cancels every pending wait when the node stops being leader (moby/swarmkit:raft.go (Run)). */
export function loseLeadership(s: RaftState, m: Member): void {
  m.signalledLeader = false;
  if (s.writes.some((w) => w.by === m.id && w.status === 'pending')) {
    s.writes = s.writes.map((w) =>
      w.by === m.id && w.status === 'pending' ? { ...w, status: 'failedUnknown' as const } : w,
    );
  }
}

/** etcd-raft:raft.go (reset): a new term forgets the vote; every role change restarts the timers. */
function reset(m: Member, term: number): void {
  if (m.term !== term) {
    m.term = term;
    m.votedFor = null;
  }
  m.lead = null;
  m.electionElapsed = 0;
  m.heartbeatElapsed = 0;
  m.randomizedTimeout = null; // resetRandomizedElectionTimeout: drawn lazily, see tickElection
  m.votes = {};
  const progress: Member['progress'] = {};
  for (const v of m.voters) {
    if (v !== m.id) progress[v] = { match: 0, next: lastIndex(m.log) + 1, recentActive: false };
  }
  m.progress = progress;
  m.pendingConfIndex = 0;
}

/** etcd-raft:raft.go (becomeFollower). */
export function becomeFollower(s: RaftState, m: Member, term: number, lead: MemberId | null): void {
  if (m.role === 'leader') loseLeadership(s, m);
  reset(m, term);
  m.role = 'follower';
  m.lead = lead;
  m.progress = {};
}

/** etcd-raft:raft.go (becomeLeader): lead = self, pendingConfIndex = lastIndex, an empty entry in the new term. */
function becomeLeader(s: RaftState, m: Member, opts: RaftOptions): void {
  reset(m, m.term);
  m.role = 'leader';
  m.lead = m.id;
  m.pendingConfIndex = lastIndex(m.log);
  appendAsLeader(s, m, { kind: 'noop', payload: '' }, opts);
}

/** etcd-raft:raft.go (promotable): only a voter of its own configuration may campaign. */
export function promotable(m: Member): boolean {
  return !m.stopped && m.voters.includes(m.id);
}

/** etcd-raft:raft.go (hasUnappliedConfChanges): a committed but unapplied conf change blocks campaigning. */
function hasUnappliedConfChanges(m: Member): boolean {
  for (let i = m.appliedIndex + 1; i <= m.commitIndex; i++) if (m.log[i - 1].kind === 'conf') return true;
  return false;
}

/** etcd-raft:raft.go (hup, campaign): no pre-vote, so the term goes up at once. */
export function hup(s: RaftState, m: Member, opts: RaftOptions): void {
  if (m.role === 'leader' || !promotable(m) || hasUnappliedConfChanges(m)) return;
  // becomeCandidate
  reset(m, m.term + 1);
  m.role = 'candidate';
  m.votedFor = m.id;
  m.progress = {};
  // The self-vote counts once persisted; persistence is atomic with the step here.
  m.votes = { [m.id]: true };
  if (voteResult(m.voters, m.votes, opts.mutations) === 'won') {
    becomeLeader(s, m, opts);
    return;
  }
  const ids = [...m.voters].sort();
  for (const id of ids) {
    if (id === m.id) continue;
    const msg: VoteMsg = {
      type: 'vote',
      from: m.id,
      to: id,
      term: m.term,
      lastIndex: lastIndex(m.log),
      lastTerm: lastTerm(m.log),
    };
    send(s, m, msg);
  }
}

/**
 * Whether a tick of this follower/candidate offers the election-timeout draw as a choice.
 *
 * etcd draws the timeout uniformly in [10, 19] at every timer reset. The model draws it lazily: while
 * undrawn, each tick that brings electionElapsed into [10, 18] may "fire" (the timeout equals this value)
 * or not; at 19 it must fire. Every eager draw corresponds to exactly one sequence of these choices, so
 * both models have the same behaviours, and the state does not carry a hidden number until it matters.
 */
export function timeoutChoice(m: Member): boolean {
  if (m.role === 'leader' || m.randomizedTimeout !== null || !promotable(m)) return false;
  const next = m.electionElapsed + 1;
  return next >= MIN_TIMEOUT && next < MAX_TIMEOUT;
}

/** etcd-raft:raft.go (tickElection, tickHeartbeat) plus moby/swarmkit:raft.go (Run: ticksWithNoLeader). */
export function tick(s: RaftState, m: Member, fire: boolean | undefined, opts: RaftOptions): void {
  if (m.role === 'leader') tickHeartbeat(s, m, opts);
  else tickElection(s, m, fire, opts);
  m.ticksWithNoLeader = m.lead === null ? m.ticksWithNoLeader + 1 : 0;
}

function tickElection(s: RaftState, m: Member, fire: boolean | undefined, opts: RaftOptions): void {
  m.electionElapsed++;
  if (!promotable(m)) return;
  if (m.randomizedTimeout === null) {
    if (m.electionElapsed >= MAX_TIMEOUT) m.randomizedTimeout = MAX_TIMEOUT;
    else if (fire === true && m.electionElapsed >= MIN_TIMEOUT) m.randomizedTimeout = m.electionElapsed;
  }
  if (m.randomizedTimeout !== null && m.electionElapsed >= m.randomizedTimeout) {
    m.electionElapsed = 0;
    hup(s, m, opts);
  }
}

function tickHeartbeat(s: RaftState, m: Member, opts: RaftOptions): void {
  m.heartbeatElapsed++;
  m.electionElapsed++;
  if (m.electionElapsed >= ELECTION_TICK) {
    m.electionElapsed = 0;
    if (!opts.mutations?.ignoreCheckQuorum) checkQuorum(s, m, opts);
  }
  if (m.role !== 'leader') return;
  if (m.heartbeatElapsed >= HEARTBEAT_TICK) {
    m.heartbeatElapsed = 0;
    bcastHeartbeat(s, m);
  }
}

/**
 * etcd-raft:raft.go (stepLeader: MsgCheckQuorum), etcd-raft:tracker/tracker.go (QuorumActive): a quorum of
 * voters must have answered (append or heartbeat response) since the last check; the leader counts itself.
 */
function checkQuorum(s: RaftState, m: Member, opts: RaftOptions): void {
  const active: Record<MemberId, boolean> = {};
  for (const v of m.voters) active[v] = v === m.id ? true : (m.progress[v]?.recentActive ?? false);
  if (voteResult(m.voters, active, opts.mutations) !== 'won') {
    becomeFollower(s, m, m.term, null);
    return;
  }
  for (const id of Object.keys(m.progress)) m.progress[id].recentActive = false;
}

/**
 * etcd-raft:raft.go (Step: the leader lease). With CheckQuorum on, a vote request with a higher term is
 * ignored outright (no term change, no reply) while this member heard from a leader less than ElectionTick
 * ticks ago. Leadership transfer would bypass it; SwarmKit's transfer is not modelled.
 */
export function inLease(m: Member, opts: RaftOptions): boolean {
  return !opts.mutations?.ignoreCheckQuorum && m.lead !== null && m.electionElapsed < ELECTION_TICK;
}

/** etcd-raft:raft.go (Step: MsgVote), after the term has been handled. */
export function handleVote(s: RaftState, m: Member, msg: VoteMsg, opts: RaftOptions): void {
  const mu = opts.mutations;
  const canVote =
    m.votedFor === msg.from || (m.votedFor === null && m.lead === null) || mu?.voteTwicePerTerm === true;
  const upToDate = mu?.voteWithoutUpToDateCheck || isUpToDate(m.log, msg.lastIndex, msg.lastTerm);
  if (canVote && upToDate) {
    // A grant carries the request's term; etcd resets the election timer on a grant.
    send(s, m, { type: 'voteResp', from: m.id, to: msg.from, term: msg.term, reject: false });
    m.electionElapsed = 0;
    m.votedFor = msg.from;
  } else {
    send(s, m, { type: 'voteResp', from: m.id, to: msg.from, term: m.term, reject: true });
  }
}

/** etcd-raft:raft.go (stepCandidate: MsgVoteResp, poll). Only the first answer of each voter counts. */
export function handleVoteResp(s: RaftState, m: Member, msg: VoteRespMsg, opts: RaftOptions): void {
  if (m.role !== 'candidate') return;
  if (m.votes[msg.from] === undefined) m.votes = { ...m.votes, [msg.from]: !msg.reject };
  const r = voteResult(m.voters, m.votes, opts.mutations);
  if (r === 'won') {
    becomeLeader(s, m, opts);
  } else if (r === 'lost') {
    becomeFollower(s, m, m.term, null);
  }
}
