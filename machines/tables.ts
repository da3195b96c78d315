/**
 * Hot-path transition tables: plain object lookups, no xstate. `table[state][event.type]` is undefined
 * when the event does nothing in that state; otherwise it is a function of the guard-relevant context
 * and the event that returns the next state, or undefined when a guard says no.
 *
 * Written by hand, independently of the machines' configs, from the same rules (machines/taskRules.ts);
 * test/machines/conformance.test.ts checks on random event sequences that every table agrees with its
 * xstate machine's `transition()`, which is ~500× slower (research/tooling.md §2).
 */
import type { DesiredState, ObservedState } from '../model/taskState.ts';
import type { Availability, NodeEvent, NodeEventType, NodeRoleState, NodeStatus } from './node.ts';
import type { RaftEvent, RaftRole } from './raftMember.ts';
import type { TaskActor, TaskEvent, TaskEventType, TaskStateName } from './task.ts';
import {
  agentMayAdvance,
  agentMayProgress,
  agentShutsDown,
  enforcerMayReject,
  raisesDesired,
  schedulerShutsDownObsolete,
  willNeverRun,
} from './taskRules.ts';
import type { UpdateStatusEvent, UpdateStatusName } from './updateStatus.ts';

type Row<S, E extends { type: string }, C> = {
  readonly [K in E['type']]?: (ctx: C, e: Extract<E, { type: K }>) => S | undefined;
};

// ---------------------------------------------------------------------------------------------------
// Task

export type TaskRow = Row<TaskStateName, TaskEvent, DesiredState>;

/** In every state but `deleted`: desired-state writes and outright deletion by an orchestrator. */
const anyState = (self: TaskStateName): TaskRow => ({
  SET_DESIRED: (desired, e) => (raisesDesired(desired, e.desired) ? self : undefined),
  ORCHESTRATOR_DELETE: () => 'deleted',
});
/** new..running: the manager can reject (constraint enforcer) or orphan (node removal). */
const live = (self: ObservedState): TaskRow => ({
  ...anyState(self),
  CONSTRAINTS_UNMET: (desired) => (enforcerMayReject(desired) ? 'rejected' : undefined),
  NODE_REMOVED: () => 'orphaned',
});
/** assigned..running: on an agent; the dispatcher orphans after 24 h down. */
const onNode = (self: ObservedState): TaskRow => ({
  ...live(self),
  SHUTDOWN: (desired) => (agentShutsDown(desired) ? 'shutdown' : undefined),
  NODE_DOWN_24H: () => 'orphaned',
  // Do (fatal): REJECTED below STARTING, FAILED from STARTING on.
  FATAL_ERROR: () => (self === 'starting' || self === 'running' ? 'failed' : 'rejected'),
});
const ended = (self: ObservedState): TaskRow => ({ ...anyState(self), REAP: () => 'deleted' });

export const taskTable: { readonly [S in TaskStateName]: TaskRow } = {
  new: {
    ...live('new'),
    ALLOCATE: () => 'pending',
    REAP: (desired) => (willNeverRun(desired) ? 'deleted' : undefined),
  },
  pending: {
    ...live('pending'),
    ASSIGN: () => 'assigned',
    NO_SUITABLE_NODE: (desired, e) =>
      schedulerShutsDownObsolete(e.obsoleteSpec, desired) ? 'shutdown' : undefined,
    REAP: (desired) => (willNeverRun(desired) ? 'deleted' : undefined),
  },
  assigned: { ...onNode('assigned'), RESOLVED: () => 'accepted' },
  accepted: {
    ...onNode('accepted'),
    PREPARE: (d) => (agentMayAdvance('accepted', d) ? 'preparing' : undefined),
  },
  preparing: {
    ...onNode('preparing'),
    PREPARED: (d) => (agentMayProgress('preparing', d) ? 'ready' : undefined),
  },
  ready: { ...onNode('ready'), START: (d) => (agentMayAdvance('ready', d) ? 'starting' : undefined) },
  starting: {
    ...onNode('starting'),
    STARTED: (d) => (agentMayProgress('starting', d) ? 'running' : undefined),
  },
  running: {
    ...onNode('running'),
    EXIT: (d, e) => (agentMayProgress('running', d) ? (e.code === 0 ? 'complete' : 'failed') : undefined),
  },
  complete: ended('complete'),
  shutdown: ended('shutdown'),
  failed: ended('failed'),
  rejected: ended('rejected'),
  orphaned: ended('orphaned'),
  deleted: {},
};

/**
 * Who performs each task event in SwarmKit. Every event has exactly one performer, so the actor of a
 * task step is a function of its event; test/machines/ownership.test.ts checks this map against the
 * `meta.actor` of every transition of the task machine.
 */
export const TASK_EVENT_ACTOR: { readonly [K in TaskEventType]: TaskActor } = {
  SET_DESIRED: 'orchestrator',
  ORCHESTRATOR_DELETE: 'orchestrator',
  ALLOCATE: 'allocator',
  ASSIGN: 'scheduler',
  NO_SUITABLE_NODE: 'scheduler',
  RESOLVED: 'agent',
  PREPARE: 'agent',
  PREPARED: 'agent',
  START: 'agent',
  STARTED: 'agent',
  EXIT: 'agent',
  SHUTDOWN: 'agent',
  FATAL_ERROR: 'agent',
  CONSTRAINTS_UNMET: 'constraint-enforcer',
  NODE_DOWN_24H: 'dispatcher',
  NODE_REMOVED: 'controlapi',
  REAP: 'reaper',
};

export interface TaskSnap {
  state: TaskStateName;
  desired: DesiredState;
}

/** One task event: the next (state, desired), or undefined when the event does nothing. */
export function stepTask(s: TaskSnap, e: TaskEvent): TaskSnap | undefined {
  const f = taskTable[s.state][e.type] as
    | ((d: DesiredState, e: TaskEvent) => TaskStateName | undefined)
    | undefined;
  if (f === undefined) return undefined;
  const next = f(s.desired, e);
  if (next === undefined) return undefined;
  return { state: next, desired: e.type === 'SET_DESIRED' ? e.desired : s.desired };
}

// ---------------------------------------------------------------------------------------------------
// Node: one table per region; an event belongs to exactly one region.

type NodeRow<S> = Row<S, NodeEvent, undefined>;

const availabilityRow = (self: Availability): NodeRow<Availability> => ({
  UPDATE_AVAILABILITY: (_, e) => (e.availability === self ? undefined : e.availability),
});
export const nodeAvailabilityTable: { readonly [S in Availability]: NodeRow<Availability> } = {
  active: availabilityRow('active'),
  pause: availabilityRow('pause'),
  drain: availabilityRow('drain'),
};

export const nodeStatusTable: { readonly [S in NodeStatus]: NodeRow<NodeStatus> } = {
  unknown: { REGISTER: () => 'ready', HEARTBEAT_EXPIRED: () => 'down' },
  ready: {
    HEARTBEAT_EXPIRED: () => 'down',
    LEADER_CHANGED: () => 'unknown',
    SESSION_DROPPED: () => 'disconnected',
  },
  down: { REGISTER: () => 'ready' },
  disconnected: { REGISTER: () => 'ready', HEARTBEAT_EXPIRED: () => 'down', LEADER_CHANGED: () => 'unknown' },
};

export const nodeRoleTable: { readonly [S in NodeRoleState]: NodeRow<NodeRoleState> } = {
  worker: { PROMOTE: () => 'promoting' },
  promoting: { ROLE_RECONCILED: () => 'joining' },
  joining: { RAFT_JOINED: () => 'manager' },
  manager: { DEMOTE: (_, e) => (!e.lastManager && e.keepsQuorum ? 'demoting' : undefined) },
  demoting: { RAFT_REMOVED: () => 'leaving', PROMOTE: () => 'manager' },
  leaving: { ROLE_RECONCILED: () => 'worker', PROMOTE: () => 'joining' },
};

export interface NodeSnap {
  availability: Availability;
  status: NodeStatus;
  role: NodeRoleState;
}

const NODE_REGION: { readonly [K in NodeEventType]: keyof NodeSnap } = {
  UPDATE_AVAILABILITY: 'availability',
  REGISTER: 'status',
  HEARTBEAT_EXPIRED: 'status',
  LEADER_CHANGED: 'status',
  SESSION_DROPPED: 'status',
  PROMOTE: 'role',
  DEMOTE: 'role',
  ROLE_RECONCILED: 'role',
  RAFT_JOINED: 'role',
  RAFT_REMOVED: 'role',
};

export function stepNode(s: NodeSnap, e: NodeEvent): NodeSnap | undefined {
  const region = NODE_REGION[e.type];
  const table = (
    region === 'availability' ? nodeAvailabilityTable : region === 'status' ? nodeStatusTable : nodeRoleTable
  ) as Record<string, Record<string, ((c: undefined, e: NodeEvent) => string | undefined) | undefined>>;
  const f = table[s[region]][e.type];
  const next = f?.(undefined, e);
  return next === undefined ? undefined : { ...s, [region]: next };
}

// ---------------------------------------------------------------------------------------------------
// Raft member: entries return the whole next snapshot (the term moves with the role).

export interface RaftSnap {
  role: RaftRole;
  term: number;
  inLease: boolean;
}

type RaftRow = Row<RaftSnap, RaftEvent, RaftSnap>;

/** A message with a newer term: step down, unless it is a vote request and we are in the leader lease. */
const higherTerm: RaftRow['HIGHER_TERM'] = (s, e) =>
  e.term > s.term && !(e.from === 'candidate' && s.inLease)
    ? { role: 'follower', term: e.term, inLease: e.from === 'leader' }
    : undefined;
const crash: RaftRow['CRASH'] = (s) => ({ ...s, role: 'crashed' });
const campaign: RaftRow['TIMEOUT'] = (s) => ({ role: 'candidate', term: s.term + 1, inLease: false });

export const raftTable: { readonly [S in RaftRole]: RaftRow } = {
  follower: {
    HIGHER_TERM: higherTerm,
    CRASH: crash,
    TIMEOUT: campaign,
    LEADER_MESSAGE: (s, e) => (e.term === s.term ? { ...s, inLease: true } : undefined),
    LEASE_EXPIRED: (s) => (s.inLease ? { ...s, inLease: false } : undefined),
  },
  candidate: {
    HIGHER_TERM: higherTerm,
    CRASH: crash,
    TIMEOUT: campaign,
    WIN_ELECTION: (s) => ({ role: 'leader', term: s.term, inLease: true }),
    LOSE_ELECTION: (s) => ({ role: 'follower', term: s.term, inLease: false }),
    LEADER_MESSAGE: (s, e) =>
      e.term === s.term ? { role: 'follower', term: s.term, inLease: true } : undefined,
  },
  leader: {
    HIGHER_TERM: higherTerm,
    CRASH: crash,
    CHECK_QUORUM_FAILED: (s) => ({ role: 'follower', term: s.term, inLease: false }),
  },
  crashed: {
    RESTART: (s) => ({ role: 'follower', term: s.term, inLease: false }),
  },
};

export function stepRaft(s: RaftSnap, e: RaftEvent): RaftSnap | undefined {
  const f = raftTable[s.role][e.type] as ((s: RaftSnap, e: RaftEvent) => RaftSnap | undefined) | undefined;
  return f?.(s, e);
}

// ---------------------------------------------------------------------------------------------------
// Service update status

type UpdateRow = Row<UpdateStatusName, UpdateStatusEvent, undefined>;

const userWrites: UpdateRow = {
  USER_UPDATE: () => 'absent',
  USER_ROLLBACK: (_, e) => (e.hasPreviousSpec ? 'rollback_started' : undefined),
};
/** pauseUpdate / rollbackUpdate of an updater whose status is not ROLLBACK_STARTED. */
const failureOutsideRollback: UpdateRow['FAILURE_THRESHOLD'] = (_, e) =>
  e.action === 'pause'
    ? 'paused'
    : e.action === 'rollback' && e.hasPreviousSpec
      ? 'rollback_started'
      : undefined;

export const updateStatusTable: { readonly [S in UpdateStatusName]: UpdateRow } = {
  absent: { ...userWrites, DIRTY_SLOTS_FOUND: () => 'updating' },
  updating: {
    ...userWrites,
    NO_DIRTY_SLOTS: () => 'completed',
    MONITOR_ELAPSED: () => 'completed',
    FAILURE_THRESHOLD: failureOutsideRollback,
  },
  paused: { ...userWrites, MONITOR_ELAPSED: (_, e) => (e.rollbackRun ? 'completed' : undefined) },
  completed: { ...userWrites, FAILURE_THRESHOLD: failureOutsideRollback },
  rollback_started: {
    ...userWrites,
    NO_DIRTY_SLOTS: () => 'rollback_completed',
    MONITOR_ELAPSED: () => 'rollback_completed',
    FAILURE_THRESHOLD: (_, e) => (e.action === 'continue' ? undefined : 'rollback_paused'),
  },
  rollback_paused: {
    ...userWrites,
    MONITOR_ELAPSED: (_, e) => (e.rollbackRun ? 'completed' : undefined),
    FAILURE_THRESHOLD: (_, e) => (e.rollbackRun && e.action !== 'continue' ? 'paused' : undefined),
  },
  rollback_completed: {
    ...userWrites,
    MONITOR_ELAPSED: () => 'completed',
    FAILURE_THRESHOLD: failureOutsideRollback,
  },
};

export function stepUpdateStatus(s: UpdateStatusName, e: UpdateStatusEvent): UpdateStatusName | undefined {
  const f = updateStatusTable[s][e.type] as
    | ((c: undefined, e: UpdateStatusEvent) => UpdateStatusName | undefined)
    | undefined;
  return f?.(undefined, e);
}
