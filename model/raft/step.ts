/**
 * The Raft transition relation: `enabled(state)` lists every action possible now, `step(state, action)`
 * returns the next state. Pure: the input state is never mutated; each step works on a draft copy
 * (members and network copied, logs and sets replaced rather than mutated).
 */
import { applyNext } from './apply.ts';
import {
  becomeFollower,
  handleVote,
  handleVoteResp,
  hup,
  inLease,
  loseLeadership,
  tick,
  timeoutChoice,
} from './election.ts';
import { crash, restart } from './faults.ts';
import { canRemoveMember, newJoiner, proposeConfChange } from './membership.ts';
import { bipartitions, isBlocked, memberOf, partitionLinks, send } from './network.ts';
import {
  appendAsLeader,
  handleAppendEntries,
  handleAppResp,
  handleHeartbeat,
  handleHeartbeatResp,
} from './replication.ts';
import type { Member, MemberId, Message, RaftAction, RaftOptions, RaftState } from './types.ts';

/** Bounds for exploration: which fault kinds the enabled set offers, and caps that keep runs finite. */
export interface Bounds {
  /** crash and restart */
  crashes?: boolean;
  /** drop (message loss) */
  loss?: boolean;
  /** duplicate, while fewer than `maxNetwork` messages are in flight */
  duplication?: boolean;
  partitions?: boolean;
  /** addMember / removeMember */
  membership?: boolean;
  /** client writes proposed in total */
  maxWrites?: number;
  /** members ever created (IDs are never reused) */
  maxMembers?: number;
  maxNetwork?: number;
}

export const DEFAULT_BOUNDS: Required<Bounds> = {
  crashes: true,
  loss: true,
  duplication: true,
  partitions: true,
  membership: true,
  maxWrites: Number.POSITIVE_INFINITY,
  maxMembers: 9,
  maxNetwork: 64,
};

const RESPONSES = new Set(['voteResp', 'appResp', 'heartbeatResp']);

/** A fresh swarm of `n` managers, all voters, empty logs, nobody leader yet (a single manager campaigns at once). */
export function initialState(n: number, opts: RaftOptions = {}): RaftState {
  const ids = Array.from({ length: n }, (_, i) => `m${i + 1}`);
  const base: RaftState = {
    members: [],
    network: [],
    blocked: [],
    bootstrap: ids,
    nextWrite: 1,
    nextMember: n + 1,
    writes: [],
  };
  base.members = ids.map((id) => {
    const m = newJoiner(base, id);
    m.up = true;
    m.active = Object.fromEntries(ids.filter((x) => x !== id).map((x) => [x, true]));
    return m;
  });
  // moby/swarmkit:raft.go (Run: campaignWhenAble): `swarm init` campaigns without waiting for a timeout.
  if (n === 1) {
    const s = draft(base);
    hup(s, s.members[0], opts);
    return s;
  }
  return base;
}

function cloneMember(m: Member): Member {
  const progress: Member['progress'] = {};
  for (const k in m.progress) progress[k] = { ...m.progress[k] };
  return { ...m, progress };
}

function draft(s: RaftState): RaftState {
  return { ...s, members: s.members.map(cloneMember), network: s.network.slice() };
}

function get(s: RaftState, id: MemberId): Member {
  const m = memberOf(s, id);
  if (m === undefined) throw new Error(`raft: unknown member ${id}`);
  return m;
}

/** A member that can take part: its process runs and it has not left the Raft group. */
export function live(m: Member): boolean {
  return m.up && !m.stopped;
}

export function deliverable(s: RaftState, msg: Message): boolean {
  const to = memberOf(s, msg.to);
  return to !== undefined && live(to) && !isBlocked(s, msg.from, msg.to);
}

/**
 * moby/swarmkit:raft.go (ProcessRaftMessage) filters, then etcd-raft:node.go (run: recvc) and
 * etcd-raft:raft.go (Step).
 */
function receive(s: RaftState, msg: Message, opts: RaftOptions): void {
  const m = get(s, msg.to);
  const sender = memberOf(s, msg.from);
  // A removed member gets NotFound "member was removed from the cluster" and stops itself
  // (moby/swarmkit:manager/state/raft/transport/peer.go (send) -> NodeRemoved).
  if (m.removed.includes(msg.from)) {
    if (sender && live(sender) && !isBlocked(s, m.id, sender.id)) {
      if (sender.role === 'leader') loseLeadership(s, sender);
      sender.stopped = true;
    }
    return;
  }
  if (msg.type === 'vote') {
    // Vote requests from non-members are dropped, and so are those from a member that fails a health check
    // dialled from here (moby/swarmkit:raft.go (ProcessRaftMessage)).
    if (!m.voters.includes(msg.from)) return;
    if (!sender || !live(sender) || isBlocked(s, m.id, msg.from)) return;
  }
  // etcd-raft:node.go (run): responses from a peer without progress (not in our configuration) are dropped.
  if (RESPONSES.has(msg.type) && !m.voters.includes(msg.from)) return;
  stepMessage(s, m, msg, opts);
}

/** etcd-raft:raft.go (Step, stepLeader, stepCandidate, stepFollower) for one received message. */
function stepMessage(s: RaftState, m: Member, msg: Message, opts: RaftOptions): void {
  if (msg.term > m.term) {
    if (msg.type === 'vote' && inLease(m, opts)) return;
    const fromLeader = msg.type === 'app' || msg.type === 'heartbeat';
    becomeFollower(s, m, msg.term, fromLeader ? msg.from : null);
  } else if (msg.term < m.term) {
    // With CheckQuorum on, a stale leader's append or heartbeat is answered at our higher term, so it steps
    // down; every other stale message is ignored.
    if ((msg.type === 'app' || msg.type === 'heartbeat') && !opts.mutations?.ignoreCheckQuorum) {
      send(s, m, {
        type: 'appResp',
        from: m.id,
        to: msg.from,
        term: m.term,
        index: 0,
        reject: false,
        hintIndex: 0,
        hintTerm: 0,
      });
    }
    return;
  }
  switch (msg.type) {
    case 'vote':
      handleVote(s, m, msg, opts);
      return;
    case 'voteResp':
      handleVoteResp(s, m, msg, opts);
      return;
    case 'app':
    case 'heartbeat':
      if (m.role === 'leader') return;
      if (m.role === 'candidate') becomeFollower(s, m, msg.term, msg.from);
      m.electionElapsed = 0;
      m.lead = msg.from;
      if (msg.type === 'app') handleAppendEntries(s, m, msg, opts);
      else handleHeartbeat(s, m, msg);
      return;
    case 'appResp':
      if (m.role === 'leader') handleAppResp(s, m, msg, opts);
      return;
    case 'heartbeatResp':
      if (m.role === 'leader') handleHeartbeatResp(s, m, msg, opts);
      return;
  }
}

/** Returns the next state. Throws on an action that is not enabled (a caller bug, not a Swarm error). */
export function step(state: RaftState, a: RaftAction, opts: RaftOptions = {}): RaftState {
  const s = draft(state);
  switch (a.type) {
    case 'tick': {
      const m = get(s, a.member);
      if (!live(m)) throw new Error(`raft: ${m.id} cannot tick: it is not running`);
      tick(s, m, a.fire, opts);
      break;
    }
    case 'deliver': {
      const msg = s.network[a.msg];
      if (msg === undefined || !deliverable(s, msg))
        throw new Error(`raft: message ${a.msg} is not deliverable`);
      s.network.splice(a.msg, 1);
      receive(s, msg, opts);
      break;
    }
    case 'drop':
      if (s.network[a.msg] === undefined) throw new Error(`raft: no message ${a.msg}`);
      s.network.splice(a.msg, 1);
      break;
    case 'duplicate': {
      const msg = s.network[a.msg];
      if (msg === undefined) throw new Error(`raft: no message ${a.msg}`);
      s.network.push(msg);
      break;
    }
    case 'apply': {
      const m = get(s, a.member);
      if (!live(m) || m.appliedIndex >= m.commitIndex) throw new Error(`raft: ${m.id} has nothing to apply`);
      applyNext(s, m, opts);
      break;
    }
    case 'crash': {
      const m = get(s, a.member);
      if (!live(m)) throw new Error(`raft: ${m.id} is not running`);
      crash(s, m);
      break;
    }
    case 'restart': {
      const m = get(s, a.member);
      if (m.up || m.stopped) throw new Error(`raft: ${m.id} cannot restart`);
      restart(s, m, opts);
      break;
    }
    case 'partition':
      s.blocked = partitionLinks(a.groups);
      break;
    case 'heal':
      s.blocked = [];
      break;
    case 'propose': {
      const m = get(s, a.member);
      if (!canPropose(m)) throw new Error(`raft: ${m.id} cannot propose: node lost leader status`);
      const payload = a.payload ?? `w${s.nextWrite}`;
      s.nextWrite++;
      const e = appendAsLeader(s, m, { kind: 'normal', payload }, opts);
      s.writes = [...s.writes, { payload, by: m.id, term: m.term, index: e.index, status: 'pending' }];
      break;
    }
    case 'addMember': {
      const m = get(s, a.member);
      if (!canPropose(m)) throw new Error(`raft: ${m.id} cannot add a member: node lost leader status`);
      const id = `m${s.nextMember}`;
      s.nextMember++;
      s.members = [...s.members, newJoiner(s, id)];
      proposeConfChange(s, get(s, a.member), { op: 'add', id }, opts);
      break;
    }
    case 'removeMember': {
      const m = get(s, a.member);
      if (!canRemove(m, a.target)) throw new Error(`raft: ${m.id} cannot remove ${a.target}`);
      proposeConfChange(s, m, { op: 'remove', id: a.target }, opts);
      break;
    }
  }
  return s;
}

/**
 * moby/swarmkit:raft.go (ProposeValue, processInternalRaftRequest): only a signalled leader accepts
 * proposals. Conf changes are proposed by leader-only components too (the role manager, the CA's join path),
 * which run only once leadership is signalled (moby/swarmkit:manager/manager.go (becomeLeader)).
 */
export function canPropose(m: Member): boolean {
  return live(m) && m.role === 'leader' && m.signalledLeader;
}

/** The role manager removes a member only under CanRemoveMember, and never the leader itself (it transfers first). */
export function canRemove(m: Member, target: MemberId): boolean {
  return canPropose(m) && target !== m.id && m.voters.includes(target) && canRemoveMember(m, target);
}

/** Every action enabled in `s`, within `bounds`. */
export function enabled(s: RaftState, bounds: Bounds = {}): RaftAction[] {
  const b = { ...DEFAULT_BOUNDS, ...bounds };
  const out: RaftAction[] = [];
  for (const m of s.members) {
    if (!live(m)) continue;
    if (timeoutChoice(m)) {
      out.push({ type: 'tick', member: m.id, fire: true }, { type: 'tick', member: m.id, fire: false });
    } else out.push({ type: 'tick', member: m.id });
  }
  for (let i = 0; i < s.network.length; i++)
    if (deliverable(s, s.network[i])) out.push({ type: 'deliver', msg: i });
  if (b.loss) for (let i = 0; i < s.network.length; i++) out.push({ type: 'drop', msg: i });
  if (b.duplication && s.network.length < b.maxNetwork)
    for (let i = 0; i < s.network.length; i++) out.push({ type: 'duplicate', msg: i });
  for (const m of s.members)
    if (live(m) && m.appliedIndex < m.commitIndex) out.push({ type: 'apply', member: m.id });
  if (b.crashes) {
    for (const m of s.members) if (live(m)) out.push({ type: 'crash', member: m.id });
    for (const m of s.members) if (!m.up && !m.stopped) out.push({ type: 'restart', member: m.id });
  }
  if (b.partitions) {
    if (s.blocked.length === 0) {
      const ids = s.members.filter((m) => !m.stopped).map((m) => m.id);
      if (ids.length >= 2) for (const groups of bipartitions(ids)) out.push({ type: 'partition', groups });
    } else out.push({ type: 'heal' });
  }
  for (const m of s.members) {
    if (!canPropose(m)) continue;
    if (s.nextWrite <= b.maxWrites) out.push({ type: 'propose', member: m.id });
    if (b.membership) {
      if (s.members.length < b.maxMembers) out.push({ type: 'addMember', member: m.id });
      for (const t of m.voters)
        if (canRemove(m, t)) out.push({ type: 'removeMember', member: m.id, target: t });
    }
  }
  return out;
}

/** One line per action, for traces. */
export function describe(s: RaftState, a: RaftAction): string {
  switch (a.type) {
    case 'tick':
      return `tick ${a.member}${a.fire === undefined ? '' : a.fire ? ' (election timeout fires)' : ' (timeout not yet)'}`;
    case 'deliver':
    case 'drop':
    case 'duplicate': {
      const m = s.network[a.msg];
      return `${a.type} ${m ? messageText(m) : `#${a.msg}`}`;
    }
    case 'partition':
      return `partition ${a.groups.map((g) => g.join(',')).join(' | ')}`;
    case 'removeMember':
      return `removeMember ${a.target} (at ${a.member})`;
    case 'heal':
      return 'heal';
    default:
      return `${a.type} ${a.member}`;
  }
}

export function messageText(m: Message): string {
  const head = `${m.type} ${m.from}->${m.to} t${m.term}`;
  switch (m.type) {
    case 'vote':
      return `${head} last=(${m.lastIndex},t${m.lastTerm})`;
    case 'voteResp':
      return `${head} ${m.reject ? 'reject' : 'grant'}`;
    case 'app':
      return `${head} prev=(${m.prevIndex},t${m.prevTerm}) [${m.entries.map((e) => `${e.index}:t${e.term}:${e.kind === 'normal' ? e.payload : e.kind === 'conf' ? e.payload : 'noop'}`).join(' ')}] commit=${m.commit}`;
    case 'appResp':
      return `${head} ${m.reject ? `reject index=${m.index} hint=(${m.hintIndex},t${m.hintTerm})` : `ok index=${m.index}`}`;
    case 'heartbeat':
      return `${head} commit=${m.commit}`;
    case 'heartbeatResp':
      return head;
  }
}
