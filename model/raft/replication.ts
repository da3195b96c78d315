/**
 * Log replication and the commit rule: etcd-raft:raft.go (appendEntry, sendAppend, bcastAppend,
 * sendHeartbeat, stepLeader: MsgAppResp/MsgHeartbeatResp, handleAppendEntries, handleHeartbeat, maybeCommit)
 * and etcd-raft:log.go (maybeAppend, commitTo). Functions mutate draft members of a draft state.
 *
 * Flow control is simplified: the leader always replicates optimistically (etcd's StateReplicate: `next`
 * moves past what it sent) and backs off on a rejection using the follower's hint (etcd's probing). There
 * is no Inflights window and no snapshot: MaxSizePerMsg/MaxInflightMsgs only shape throughput, and without
 * log compaction (every 10 000 entries in SwarmKit) a snapshot is never needed.
 */
import { findConflictByTerm, lastIndex, maybeAppend, termAt } from './log.ts';
import { send } from './network.ts';
import { committedIndex } from './quorum.ts';
import {
  type AppMsg,
  type AppRespMsg,
  type Entry,
  type HeartbeatMsg,
  type HeartbeatRespMsg,
  type Member,
  type MemberId,
  type RaftOptions,
  RaftPanic,
  type RaftState,
} from './types.ts';

/** etcd-raft:log.go (commitTo): the commit index never decreases and never passes the last index. */
export function commitTo(m: Member, to: number): void {
  if (m.commitIndex >= to) return;
  if (lastIndex(m.log) < to) {
    throw new RaftPanic(`${m.id}: tocommit(${to}) is out of range [lastIndex(${lastIndex(m.log)})]`);
  }
  m.commitIndex = to;
}

/**
 * etcd-raft:raft.go (maybeCommit), etcd-raft:log.go (maybeCommit): commit the highest index a majority of
 * the voters in effect have stored, and only if that entry is from the leader's current term (Raft §5.4.2).
 * The leader's own match is its last index: persistence is atomic with the step in this model.
 */
export function maybeCommit(m: Member, opts: RaftOptions): boolean {
  const last = lastIndex(m.log);
  const ci = committedIndex(
    m.voters,
    (id) => (id === m.id ? last : (m.progress[id]?.match ?? 0)),
    opts.mutations,
  );
  if (ci > last || ci <= m.commitIndex) return false;
  if (termAt(m.log, ci) !== m.term && !opts.mutations?.commitPreviousTermDirectly) return false;
  commitTo(m, ci);
  return true;
}

/**
 * etcd-raft:raft.go (maybeSendAppend). `ifEmpty` false: send only when there are entries to send.
 * Returns whether a message went out.
 */
export function sendAppend(
  s: RaftState,
  m: Member,
  to: MemberId,
  ifEmpty = true,
  opts: RaftOptions = {},
): boolean {
  const pr = m.progress[to];
  if (pr === undefined) return false;
  const last = lastIndex(m.log);
  if (pr.next > last + 1) pr.next = last + 1;
  const entries = m.log.slice(pr.next - 1, pr.next - 1 + (opts.maxEntriesPerMsg ?? 1));
  if (entries.length === 0 && !ifEmpty) return false;
  const msg: AppMsg = {
    type: 'app',
    from: m.id,
    to,
    term: m.term,
    prevIndex: pr.next - 1,
    prevTerm: termAt(m.log, pr.next - 1),
    entries,
    commit: m.commitIndex,
  };
  if (!send(s, m, msg)) {
    // The transport reports the peer unreachable (moby/swarmkit:transport/peer.go (send) ->
    // ReportUnreachable); etcd then probes it again from its match (etcd-raft:raft.go (MsgUnreachable)).
    pr.next = pr.match + 1;
    return false;
  }
  pr.next += entries.length; // optimistic, as in StateReplicate
  return entries.length > 0;
}

export function bcastAppend(s: RaftState, m: Member, opts: RaftOptions = {}): void {
  for (const id of Object.keys(m.progress).sort()) sendAppend(s, m, id, true, opts);
}

/** etcd-raft:raft.go (sendHeartbeat): the commit sent is min(match, committed), never past what it matched. */
export function bcastHeartbeat(s: RaftState, m: Member): void {
  for (const id of Object.keys(m.progress).sort()) {
    const pr = m.progress[id];
    const msg: HeartbeatMsg = {
      type: 'heartbeat',
      from: m.id,
      to: id,
      term: m.term,
      commit: Math.min(pr.match, m.commitIndex),
    };
    send(s, m, msg);
  }
}

/**
 * etcd-raft:raft.go (appendEntry, then the self-ack and bcastAppend of stepLeader: MsgProp / becomeLeader).
 * Stamps the entry with the leader's term and the next index.
 */
export function appendAsLeader(
  s: RaftState,
  m: Member,
  e: Pick<Entry, 'kind' | 'payload' | 'conf'>,
  opts: RaftOptions,
): Entry {
  const entry: Entry = { term: m.term, index: lastIndex(m.log) + 1, kind: e.kind, payload: e.payload };
  if (e.conf) entry.conf = e.conf;
  m.log = [...m.log, entry];
  maybeCommit(m, opts);
  bcastAppend(s, m, opts);
  return entry;
}

/** etcd-raft:raft.go (handleAppendEntries), on a follower (a candidate has become one first). */
export function handleAppendEntries(s: RaftState, m: Member, msg: AppMsg, opts: RaftOptions): void {
  const reply = (r: Omit<AppRespMsg, 'type' | 'from' | 'to' | 'term'>) =>
    send(s, m, { type: 'appResp', from: m.id, to: msg.from, term: m.term, ...r });
  if (msg.prevIndex < m.commitIndex) {
    // Already committed here: tell the leader where our commit is.
    reply({ index: m.commitIndex, reject: false, hintIndex: 0, hintTerm: 0 });
    return;
  }
  const r = maybeAppend(
    m.log,
    m.commitIndex,
    msg.prevIndex,
    msg.prevTerm,
    msg.entries,
    opts.mutations?.skipPrevLogCheck,
  );
  if (r !== null) {
    m.log = r.log;
    commitTo(m, Math.min(msg.commit, r.lastNew));
    reply({ index: r.lastNew, reject: false, hintIndex: 0, hintTerm: 0 });
    return;
  }
  const [hintIndex, hintTerm] = findConflictByTerm(
    m.log,
    Math.min(msg.prevIndex, lastIndex(m.log)),
    msg.prevTerm,
  );
  reply({ index: msg.prevIndex, reject: true, hintIndex, hintTerm });
}

/** etcd-raft:raft.go (handleHeartbeat). */
export function handleHeartbeat(s: RaftState, m: Member, msg: HeartbeatMsg): void {
  commitTo(m, msg.commit);
  const resp: HeartbeatRespMsg = { type: 'heartbeatResp', from: m.id, to: msg.from, term: m.term };
  send(s, m, resp);
}

/** etcd-raft:raft.go (stepLeader: MsgAppResp). */
export function handleAppResp(s: RaftState, m: Member, msg: AppRespMsg, opts: RaftOptions): void {
  const pr = m.progress[msg.from];
  if (pr === undefined) return;
  pr.recentActive = true;
  if (msg.reject) {
    if (msg.index <= pr.match) return; // stale rejection
    let probe = msg.hintIndex;
    if (msg.hintTerm > 0) probe = findConflictByTerm(m.log, msg.hintIndex, msg.hintTerm)[0];
    const next = Math.max(pr.match + 1, Math.min(msg.index, probe + 1));
    if (next < pr.next) {
      pr.next = next;
      sendAppend(s, m, msg.from, true, opts);
    }
    return;
  }
  if (msg.index <= pr.match) return;
  pr.match = msg.index;
  if (pr.next < pr.match + 1) pr.next = pr.match + 1;
  if (maybeCommit(m, opts)) bcastAppend(s, m, opts);
  // `for r.maybeSendAppend(m.From, false) {}`: send whatever is left, message by message.
  while (sendAppend(s, m, msg.from, false, opts)) {}
}

/** etcd-raft:raft.go (stepLeader: MsgHeartbeatResp): a lagging follower gets an append. */
export function handleHeartbeatResp(
  s: RaftState,
  m: Member,
  msg: HeartbeatRespMsg,
  opts: RaftOptions = {},
): void {
  const pr = m.progress[msg.from];
  if (pr === undefined) return;
  pr.recentActive = true;
  if (pr.match < lastIndex(m.log)) sendAppend(s, m, msg.from, true, opts);
}
