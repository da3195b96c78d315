/**
 * A message-level Raft run in lockstep with the cluster model: the evidence that the cluster's atomic
 * control-plane gate (model/controlplane.ts) says what the real protocol would do.
 *
 * The cluster model decides leadership with a gate ("a running manager whose partition holds ⌊N/2⌋+1 of
 * the voters can lead") and treats a write as committed at once. The shadow is a model/raft cluster with
 * one member per Raft voter of the cluster; `mirror` replays onto it what the cluster did:
 * - machine crash/restart of a manager (and `swarm leave --force`) → crash/restart of its member;
 * - partitions → the same groups on the Raft network;
 * - a voter added (join as manager, promotion, `raft: join`) → AddNode proposed by the Raft leader;
 * - a voter removed (demotion) → RemoveNode under SwarmKit's CanRemoveMember; a demoted leader first hands
 *   over (moby/swarmkit:manager/role_manager.go (removeMember)): the shadow stops it, lets the others
 *   elect, then removes it;
 * - `swarm init --force-new-cluster` → a new single-member Raft cluster with fresh IDs (the old members'
 *   IDs are never used again: moby/swarmkit:manager/state/raft/storage.go (loadAndStart));
 * - every write the cluster took (a docker command that changed the store, a leader-only component's
 *   step) → a client write that must commit (moby/swarmkit:manager/state/raft/raft.go (ProposeValue)).
 * Between cluster steps the shadow also takes a few random Raft steps of its own (ticks, deliveries,
 * losses, applies), so its logs and terms drift the way a real cluster's do.
 *
 * `mirror` returns a `problem` when the two layers disagree: a write or membership change the cluster took
 * that the Raft could not commit, or a gate verdict ("some manager can lead") that differs from "a retrying
 * client's write commits under fair scheduling with the faults frozen" (controlPlane.ts (canCommitWrite)).
 */
import type { Action } from '../actions.ts';
import { leaderCandidates, nodeById } from '../controlplane.ts';
import type { State } from '../state.ts';
import { canCommitWrite, leaderOf } from './controlPlane.ts';
import { becomeFollower } from './election.ts';
import { runFair } from './fair.ts';
import { proposeConfChange } from './membership.ts';
import { memberOf, partitionLinks } from './network.ts';
import { canRemove, enabled, initialState, live, step } from './step.ts';
import type { MemberId, RaftAction, RaftState } from './types.ts';

export interface Shadow {
  raft: RaftState;
  /** The last membership change could not complete because of a stale configuration (see staleConfiguration). */
  stale?: boolean;
  /** Cluster node id → the member id of its current Raft incarnation. */
  member: Record<string, MemberId>;
}

export interface MirrorResult {
  shadow: Shadow;
  /** What the shadow did, one line each (for a failing run's report). */
  log: string[];
  /** The disagreement, or null. */
  problem: string | null;
  /**
   * The gate's verdict was compared with the Raft's: 'yes'/'no' (the gate said it, the Raft agrees), 'stale'
   * (the gate said yes; the Raft cannot elect because of a stale configuration, see `staleConfiguration`),
   * or null (not compared).
   */
  compared: 'yes' | 'no' | 'stale' | null;
}

export interface MirrorOptions {
  /** Random Raft steps between cluster steps (default 0: none). */
  drift?: number;
  rand?: () => number;
  /** Compare the gate's verdict with canCommitWrite even when no fault or membership changed. */
  alwaysCompare?: boolean;
}

const ROUNDS = 100;
/**
 * Fair runs are deterministic; their election-timeout draws come from a salt (fair.ts (drawnTimeout)). A
 * majority can be slow to elect (without PreVote, a stale member that campaigns again and again resets
 * the others' timers; one that has not applied an AddNode also drops the newcomer's vote requests), so
 * "eventually" is tried with a few salts before the shadow reports that something never happens.
 */
const SALTS = 4;

/** A fresh shadow for a cluster right after `docker swarm init` (or for any cluster: one member per voter). */
export function shadowOf(s: State, first = 1): Shadow {
  const raft = initialState(s.raft.voters.length, {}, first);
  const member: Record<string, MemberId> = {};
  s.raft.voters.forEach((v, i) => {
    member[v] = raft.members[i].id;
  });
  for (const m of raft.members) m.up = true;
  const sh = syncFaults({ raft, member }, s, []);
  return sh;
}

/** Leader-only components: each step is a store transaction (moby/swarmkit:manager/manager.go (becomeLeader)). */
const LEADER_WRITERS = new Set<string>([
  'orchestrator',
  'restart',
  'updater',
  'allocator',
  'scheduler',
  'dispatcher',
  'reaper',
  'agent',
]);

/** Cluster writes: a docker command that changed the store, or a leader-only component's step (an agent's report is written by the dispatcher). */
function isWrite(a: Action, prev: State, next: State): boolean {
  if (prev === next) return false;
  if (a.actor === 'user') return a.command.kind !== 'swarm.init' && a.command.kind !== 'swarm.leave';
  return LEADER_WRITERS.has(a.actor);
}

export function mirror(
  sh0: Shadow,
  prev: State,
  a: Action,
  next: State,
  o: MirrorOptions = {},
): MirrorResult {
  const log: string[] = [];
  let sh = sh0;
  let changed = o.alwaysCompare === true;
  const fail = (problem: string): MirrorResult => ({
    shadow: sh,
    log,
    problem: `${problem}\n${summary(sh.raft)}`,
    compared: null,
  });

  if (a.actor === 'user' && a.command.kind === 'swarm.init' && a.command.forceNewCluster && prev !== next) {
    sh = shadowOf(next, sh.raft.nextMember);
    log.push(`force-new-cluster: new Raft cluster ${Object.values(sh.member).join(',')}`);
    changed = true;
  } else {
    const removed = prev.raft.voters.filter((v) => !next.raft.voters.includes(v));
    const added = next.raft.voters.filter((v) => !prev.raft.voters.includes(v));
    for (const v of removed) {
      const r = removeVoter(sh, v, next, log);
      if (typeof r === 'string') return fail(r);
      sh = r;
      changed = true;
    }
    for (const v of added) {
      const r = addVoter(sh, v, prev, log);
      if (typeof r === 'string') return fail(r);
      sh = r;
      changed = true;
    }
  }

  const before = sh.raft;
  sh = syncFaults(sh, next, log);
  if (sh.raft !== before) changed = true;

  if (isWrite(a, prev, next)) {
    const r = commitWrite(sh.raft, `${a.actor}:${a.kind}`);
    if (r === null && staleConfiguration(sh, next)) {
      log.push(`write ${a.actor}:${a.kind} blocked by a stale configuration (the gate's known optimism)`);
      return { shadow: sh, log, problem: null, compared: 'stale' };
    }
    if (r === null)
      return fail(
        `the cluster took a write (${a.actor} ${a.kind}) that the message-level Raft cannot commit within ${ROUNDS} rounds`,
      );
    sh = { ...sh, raft: r };
  }

  if (o.drift && o.rand) sh = { ...sh, raft: drift(sh.raft, o.drift, o.rand) };

  if (!changed) return { shadow: sh, log, problem: null, compared: null };
  const gate = next.raft.leader !== '' || leaderCandidates(next).length > 0;
  // Without a majority no schedule commits (Raft safety), so one salt suffices for a 'no'.
  let raft = false;
  for (let salt = 0; salt < (gate ? SALTS : 1) && !raft; salt++)
    raft = canCommitWrite(sh.raft, {}, ROUNDS, salt);
  if (gate && !raft && staleConfiguration(sh, next)) {
    // SwarmKit drops vote requests from members it does not know (moby/swarmkit:manager/state/raft/
    // raft.go (ProcessRaftMessage)); a member that has not applied an AddNode does not know the newcomer.
    // When that stale member's vote is needed and it cannot win itself, the majority never elects until a
    // fault heals: the gate, which sees only machines and partitions, is optimistic here. Counted, not failed.
    return { shadow: sh, log, problem: null, compared: 'stale' };
  }
  if (gate !== raft)
    return {
      shadow: sh,
      log,
      compared: gate ? 'yes' : 'no',
      problem: `${
        gate
          ? 'the gate says a manager can lead, but no client write commits in the message-level Raft'
          : 'the gate says no manager can lead, but a client write commits in the message-level Raft'
      }\n${summary(sh.raft)}`,
    };
  return { shadow: sh, log, problem: null, compared: gate ? 'yes' : 'no' };
}

/**
 * Some running member in the gate's majority partition has applied an older configuration that lacks
 * another running member of that partition (it missed an AddNode while down or cut off).
 */
export function staleConfiguration(sh: Shadow, s: State): boolean {
  const groups = new Map<number, MemberId[]>();
  for (const v of s.raft.voters) {
    const n = nodeById(s, v);
    const id = sh.member[v];
    const m = id === undefined ? undefined : memberOf(sh.raft, id);
    if (!n?.up || n.left || !m || !live(m)) continue;
    const g = groups.get(n.group);
    if (g) g.push(id);
    else groups.set(n.group, [id]);
  }
  for (const ids of groups.values()) {
    if (ids.length < Math.floor(s.raft.voters.length / 2) + 1) continue;
    for (const id of ids) {
      const m = memberOf(sh.raft, id)!;
      if (ids.some((x) => !m.voters.includes(x))) return true;
    }
  }
  return false;
}

/** Crash/restart members to match their machines, and partition the Raft network like the cluster's. */
function syncFaults(sh: Shadow, s: State, log: string[]): Shadow {
  let raft = sh.raft;
  const groups = new Map<number, MemberId[]>();
  for (const v of s.raft.voters) {
    const id = sh.member[v];
    const n = nodeById(s, v);
    const m = id === undefined ? undefined : memberOf(raft, id);
    if (!n || !m || m.stopped) continue;
    const alive = n.up && !n.left;
    if (alive && !m.up) {
      raft = step(raft, { type: 'restart', member: id });
      log.push(`restart ${id} (${n.hostname})`);
    } else if (!alive && m.up) {
      raft = step(raft, { type: 'crash', member: id });
      log.push(`crash ${id} (${n.hostname})`);
    }
    const g = groups.get(n.group);
    if (g) g.push(id);
    else groups.set(n.group, [id]);
  }
  const blocked = groups.size > 1 ? partitionLinks([...groups.values()]) : [];
  if (blocked.join() !== raft.blocked.join()) {
    const a: RaftAction =
      blocked.length === 0 ? { type: 'heal' } : { type: 'partition', groups: [...groups.values()] };
    raft = step(raft, a);
    log.push(
      a.type === 'heal' ? 'heal' : `partition ${[...groups.values()].map((g) => g.join(',')).join(' | ')}`,
    );
  }
  return raft === sh.raft ? sh : { ...sh, raft };
}

/** Fair scheduling until a signalled leader exists; null if none within the bound. */
function awaitLeader(raft: RaftState): { raft: RaftState; leader: MemberId } | null {
  const id = leaderOf(raft);
  if (id !== null) return { raft, leader: id };
  const r = eventually(raft, {}, (x) => leaderOf(x) !== null);
  return r === null ? null : { raft: r, leader: leaderOf(r)! };
}

/** A fair run (no new faults) reaching `done`, tried with SALTS different timeout draws; null if none does. */
function eventually(
  raft: RaftState,
  f: { before?: (s: RaftState) => RaftAction | null },
  done: (s: RaftState) => boolean,
): RaftState | null {
  for (let salt = 0; salt < SALTS; salt++) {
    const r = runFair(raft, { rounds: ROUNDS, salt, before: f.before, until: done });
    if (r.stopped) return r.state;
  }
  return null;
}

function addVoter(sh: Shadow, nodeId: string, s: State, log: string[]): Shadow | string {
  const host = nodeById(s, nodeId)?.hostname ?? nodeId;
  const id = `m${sh.raft.nextMember}`;
  let raft = sh.raft;
  const added = (x: RaftState) => {
    const m = memberOf(x, id);
    const lead = leaderOf(x);
    return m?.up === true && lead !== null && memberOf(x, lead)!.voters.includes(id);
  };
  // A conf change proposed while another is unapplied becomes an empty entry (etcd-raft:raft.go
  // (stepLeader)); SwarmKit's Join then times out and the joiner retries. So: propose, wait, retry.
  for (let attempt = 0; attempt < 3; attempt++) {
    const l = awaitLeader(raft);
    if (l === null) break;
    raft = l.raft;
    if (memberOf(raft, id) === undefined) {
      raft = step(raft, { type: 'addMember', member: l.leader });
      log.push(`addMember ${id} (${host}) by ${l.leader}`);
    } else {
      raft = proposeConf(raft, l.leader, { op: 'add', id });
      log.push(`addMember ${id} (${host}) again by ${l.leader}`);
    }
    const r = eventually(raft, {}, added);
    if (r !== null) return { raft: r, member: { ...sh.member, [nodeId]: id } };
    // A deposed leader that had not noticed yet took the proposal: let time pass before retrying.
    raft = runFair(raft, { rounds: ROUNDS }).state;
  }
  if (staleConfiguration({ raft, member: sh.member }, s)) {
    log.push(`AddNode ${id} (${host}) blocked by a stale configuration (the gate's known optimism)`);
    return { raft, member: { ...sh.member, [nodeId]: id }, stale: true };
  }
  return `AddNode for ${host} did not commit within ${ROUNDS} rounds\n${summary(raft)}`;
}

/** Re-propose a conf change at a signalled leader (the retry of SwarmKit's Join / role manager). */
function proposeConf(
  raft: RaftState,
  leader: MemberId,
  conf: { op: 'add' | 'remove'; id: MemberId },
): RaftState {
  const s: RaftState = {
    ...raft,
    members: raft.members.map((m) => (m.id === leader ? { ...m, progress: { ...m.progress } } : m)),
    network: raft.network.slice(),
  };
  const m = memberOf(s, leader)!;
  for (const k of Object.keys(m.progress)) m.progress[k] = { ...m.progress[k] };
  proposeConfChange(s, m, conf, {});
  return s;
}

function removeVoter(sh: Shadow, nodeId: string, s: State, log: string[]): Shadow | string {
  const id = sh.member[nodeId];
  const member = { ...sh.member };
  delete member[nodeId];
  if (id === undefined) return { ...sh, member };
  let raft = sh.raft;
  let leader: MemberId | null = null;
  const removable = (x: RaftState) => {
    const lead = leaderOf(x);
    return lead !== null && lead !== id && canRemove(memberOf(x, lead)!, id);
  };
  for (let attempt = 0; attempt < 3 && leader === null; attempt++) {
    const l = awaitLeader(raft);
    if (l === null) return `the cluster removed voter ${nodeId}, but the message-level Raft has no leader`;
    raft = l.raft;
    if (l.leader === id) {
      const h = handOver(raft, id);
      if (h === null) return `the demoted leader ${id} cannot hand over: no other manager is elected`;
      log.push(`leader ${id} hands over to ${h.leader}`);
      raft = h.raft;
    }
    // The new leader's transport may not have reached everyone yet, or a stale member may disrupt the
    // election; the role manager retries every 5 s (role_manager.go (reconcileRole)).
    const r = removable(raft) ? raft : eventually(raft, {}, removable);
    if (r !== null) {
      raft = r;
      leader = leaderOf(r);
    }
  }
  if (leader === null)
    return `the cluster demoted ${nodeId}, but the Raft leader's CanRemoveMember keeps refusing it\n${summary(raft)}`;
  const gone = (x: RaftState) => {
    const lead = leaderOf(x);
    return lead !== null && !memberOf(x, lead)!.voters.includes(id);
  };
  for (let attempt = 0; attempt < 3; attempt++) {
    raft = step(raft, { type: 'removeMember', member: leader, target: id });
    log.push(`removeMember ${id} by ${leader}`);
    const r = eventually(raft, {}, gone);
    if (r !== null) return { raft: r, member };
    raft = runFair(raft, { rounds: ROUNDS }).state;
    const l = awaitLeader(raft);
    if (l === null || !canRemove(memberOf(l.raft, l.leader)!, id)) break;
    raft = l.raft;
    leader = l.leader;
  }
  if (staleConfiguration({ raft, member: sh.member }, s)) {
    log.push(`RemoveNode ${id} blocked by a stale configuration (the gate's known optimism)`);
    return { raft, member, stale: true };
  }
  return `RemoveNode for ${nodeId} did not commit within ${ROUNDS} rounds\n${summary(raft)}`;
}

/**
 * The role manager transfers leadership before removing the leader (moby/swarmkit:manager/role_manager.go
 * (removeMember), raft.go (TransferLeadership)). model/raft has no MsgTimeoutNow, so the shadow gets the
 * same outcome with legal steps: the leader steps down (as after a failed CheckQuorum) and the managers,
 * the old leader included, elect; if the old leader wins again it steps down again, with another timeout
 * draw, a bounded number of times.
 */
function handOver(raft: RaftState, id: MemberId): { raft: RaftState; leader: MemberId } | null {
  for (let attempt = 1; attempt <= 10; attempt++) {
    if (leaderOf(raft) === id) raft = stepDown(raft, id);
    const r = runFair(raft, {
      rounds: ROUNDS,
      salt: attempt,
      until: (x) => leaderOf(x) !== null,
    });
    raft = r.state;
    const lead = leaderOf(raft);
    if (lead === null) return null;
    if (lead !== id) return { raft, leader: lead };
  }
  return null;
}

function stepDown(raft: RaftState, id: MemberId): RaftState {
  const s: RaftState = {
    ...raft,
    members: raft.members.map((m) => (m.id === id ? { ...m, progress: {} } : m)),
    network: raft.network.slice(),
  };
  const m = memberOf(s, id)!;
  becomeFollower(s, m, m.term, null);
  return s;
}

/** A client write that must commit: proposed at the signalled leader, retried after a lost leadership. */
function commitWrite(raft: RaftState, payload: string): RaftState | null {
  const start = raft.writes.length;
  const done = (x: RaftState) => x.writes.slice(start).some((w) => w.status === 'ok');
  return eventually(
    raft,
    {
      before: (x) => {
        const id = leaderOf(x);
        if (id === null || x.writes.slice(start).some((w) => w.status === 'pending')) return null;
        return { type: 'propose', member: id, payload };
      },
    },
    done,
  );
}

/** A few random internal Raft steps: ticks (with their timeout draws), deliveries, losses, applies. */
function drift(raft: RaftState, n: number, rand: () => number): RaftState {
  for (let i = 0; i < n; i++) {
    const acts = enabled(raft, {
      crashes: false,
      partitions: false,
      membership: false,
      duplication: false,
      maxWrites: 0,
    });
    if (acts.length === 0) break;
    raft = step(raft, acts[Math.floor(rand() * acts.length)]);
  }
  return raft;
}

/** Is `nodeId`'s member running in the shadow (for tests). */
export function memberLive(sh: Shadow, nodeId: string): boolean {
  const id = sh.member[nodeId];
  const m = id === undefined ? undefined : memberOf(sh.raft, id);
  return m !== undefined && live(m);
}

/** One line per member: what a disagreement report needs. */
export function summary(raft: RaftState): string {
  return raft.members
    .map((m) => {
      const last = m.log.length === 0 ? '0/0' : `${m.log.length}/${m.log[m.log.length - 1].term}`;
      const state = m.stopped ? 'stopped' : m.up ? m.role : 'down';
      return `  ${m.id} ${state} term ${m.term} lead ${m.lead ?? '-'} last ${last} commit ${m.commitIndex} applied ${m.appliedIndex} voters [${m.voters.join(',')}] removed [${m.removed.join(',')}]`;
    })
    .concat(`  blocked ${raft.blocked.length} links, ${raft.network.length} messages in flight`)
    .join('\n');
}
