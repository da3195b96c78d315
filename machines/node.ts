/**
 * A node as the managers see it: three independent regions.
 *
 * - availability (NodeSpec.Availability, user-set): active | pause | drain.
 *   `docker node update --availability X` replaces the whole spec, so any value can follow any other.
 *   moby/swarmkit:manager/controlapi/node.go (UpdateNode)
 * - status (NodeStatus.State, written by the leader's dispatcher): unknown | ready | down | disconnected.
 *   A node object is created UNKNOWN at join (ca/server.go (IssueNodeCertificate)) and becomes READY
 *   when its agent registers. moby/swarmkit:manager/dispatcher/dispatcher.go
 * - role (Node.Role observed, NodeSpec.DesiredRole, and Raft membership): worker, promoting, joining,
 *   manager, demoting, leaving. The user only writes DesiredRole; the role manager makes Role follow,
 *   and for a demotion only after the Raft removal. moby/swarmkit:manager/role_manager.go (reconcileRole)
 *
 * The machine starts where a worker that joined with the defaults starts (active, unknown, worker). Other
 * starting points (`swarm init`, a manager join token, `--availability drain`) are other snapshots of the
 * same machine: `nodeMachine.resolveState(...)` or the table's start record (machines/tables.ts).
 *
 * Not modelled here: node removal (`docker node rm`, controlapi RemoveNode) ends the node object; the
 * cluster model handles it, and the task machine's NODE_REMOVED is its effect on tasks.
 */
import { setup } from 'xstate';
import type { GuardRef, TransitionMeta } from './meta.ts';

export type NodeActor = 'user' | 'dispatcher' | 'role-manager' | 'raft';
export const NODE_ACTORS: readonly NodeActor[] = ['user', 'dispatcher', 'role-manager', 'raft'];

export const AVAILABILITIES = ['active', 'pause', 'drain'] as const;
export type Availability = (typeof AVAILABILITIES)[number];
export const NODE_STATUSES = ['unknown', 'ready', 'down', 'disconnected'] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];
export const NODE_ROLE_STATES = ['worker', 'promoting', 'joining', 'manager', 'demoting', 'leaving'] as const;
export type NodeRoleState = (typeof NODE_ROLE_STATES)[number];

/** Empty: every fact a guard needs is either a region's state or a payload of the event. */
export type NodeContext = Record<string, never>;

export type NodeEvent =
  /** `docker node update --availability X`. */
  | { type: 'UPDATE_AVAILABILITY'; availability: Availability }
  /** Dispatcher: the agent opened a session (Register). */
  | { type: 'REGISTER' }
  /** Dispatcher: no heartbeat within 3 × period (6 × after a leader change for UNKNOWN nodes). */
  | { type: 'HEARTBEAT_EXPIRED' }
  /** A new leader's dispatcher starts: markNodesUnknown. */
  | { type: 'LEADER_CHANGED' }
  /** Dispatcher: the session was told to disconnect (practically only when the dispatcher stops). */
  | { type: 'SESSION_DROPPED' }
  /** `docker node promote` (DesiredRole = manager). No guard in the control API. */
  | { type: 'PROMOTE' }
  /**
   * `docker node demote` (DesiredRole = worker). The control API checks, in one transaction: the node
   * is not the last node with Role manager; it is in the Raft member list; removing it keeps quorum.
   * The payload carries the two cluster-level facts; Raft membership is this machine's role region.
   */
  | { type: 'DEMOTE'; lastManager: boolean; keepsQuorum: boolean }
  /** Role manager: Role follows DesiredRole (promotion at once; demotion after the Raft removal). */
  | { type: 'ROLE_RECONCILED' }
  /** Raft: the node's Join (ConfChangeAddNode) committed; it is now a voter. */
  | { type: 'RAFT_JOINED' }
  /** Role manager: its RemoveNode proposal committed (a leader being demoted first transfers leadership). */
  | { type: 'RAFT_REMOVED' };

export type NodeEventType = NodeEvent['type'];

type Meta = TransitionMeta<NodeActor>;
type T = { target?: string; guard?: any; meta: Meta };

const DISPATCHER = 'moby/swarmkit:manager/dispatcher/dispatcher.go';
const UPDATE_NODE = 'moby/swarmkit:manager/controlapi/node.go (UpdateNode)';
const ROLE_MANAGER = 'moby/swarmkit:manager/role_manager.go (reconcileRole)';

const on = (target: string, actor: NodeActor, source: string, guard?: GuardRef | string): T =>
  guard === undefined ? { target, meta: { actor, source } } : { target, guard, meta: { actor, source } };

/** Availability: one edge per (from, to) pair, the new value read from the event. */
function availabilityState(self: Availability) {
  return {
    on: {
      UPDATE_AVAILABILITY: AVAILABILITIES.filter((a) => a !== self).map((a) =>
        on(a, 'user', UPDATE_NODE, { type: 'availabilityIs', params: { availability: a } }),
      ),
    },
  };
}

export const nodeMachine = setup({
  types: {
    context: {} as NodeContext,
    events: {} as NodeEvent,
    transitionMeta: {} as Meta,
  },
  guards: {
    availabilityIs: ({ event }, params: { availability: Availability }) =>
      event.type === 'UPDATE_AVAILABILITY' && event.availability === params.availability,
    demotionAllowed: ({ event }) => event.type === 'DEMOTE' && !event.lastManager && event.keepsQuorum,
  },
}).createMachine({
  id: 'node',
  type: 'parallel',
  context: {},
  states: {
    availability: {
      initial: 'active',
      states: {
        active: availabilityState('active'),
        pause: availabilityState('pause'),
        drain: availabilityState('drain'),
      },
    },
    status: {
      initial: 'unknown',
      states: {
        // A node object starts UNKNOWN (the zero value) until its agent registers.
        unknown: {
          on: {
            REGISTER: on('ready', 'dispatcher', `${DISPATCHER} (register)`),
            // Only once a leader's dispatcher tracks it (markNodesUnknown gives it 6 × the period).
            HEARTBEAT_EXPIRED: on('down', 'dispatcher', `${DISPATCHER} (markNodesUnknown, markNodeNotReady)`),
          },
        },
        ready: {
          on: {
            HEARTBEAT_EXPIRED: on(
              'down',
              'dispatcher',
              `${DISPATCHER} (markNodeNotReady: "heartbeat failure")`,
            ),
            LEADER_CHANGED: on('unknown', 'dispatcher', `${DISPATCHER} (markNodesUnknown)`),
            SESSION_DROPPED: on('disconnected', 'dispatcher', `${DISPATCHER} (Session: disconnectNode)`),
          },
        },
        // DOWN nodes are not "resurrected" by a leader change; their 24 h orphan timer restarts instead.
        down: {
          on: { REGISTER: on('ready', 'dispatcher', `${DISPATCHER} (register)`) },
        },
        disconnected: {
          on: {
            REGISTER: on('ready', 'dispatcher', `${DISPATCHER} (register)`),
            HEARTBEAT_EXPIRED: on('down', 'dispatcher', `${DISPATCHER} (markNodeNotReady)`),
            LEADER_CHANGED: on('unknown', 'dispatcher', `${DISPATCHER} (markNodesUnknown)`),
          },
        },
      },
    },
    role: {
      initial: 'worker',
      states: {
        worker: {
          on: { PROMOTE: on('promoting', 'user', UPDATE_NODE) },
        },
        // DesiredRole manager, Role worker. DEMOTE is refused here: the node is not in the Raft member
        // list ("can't find manager in raft memberlist").
        promoting: {
          on: { ROLE_RECONCILED: on('joining', 'role-manager', ROLE_MANAGER) },
        },
        // Role manager, not yet a Raft member (it needs a manager certificate, then Raft Join). DEMOTE is
        // refused for the same reason as above.
        joining: {
          on: { RAFT_JOINED: on('manager', 'raft', 'moby/swarmkit:manager/state/raft/raft.go (Join)') },
        },
        manager: {
          on: { DEMOTE: on('demoting', 'user', UPDATE_NODE, 'demotionAllowed') },
        },
        // DesiredRole worker, still a Raft member: the role manager proposes RemoveNode (retried every 5 s
        // while it would lose quorum). Promoting again just sets DesiredRole back.
        demoting: {
          on: {
            RAFT_REMOVED: on(
              'leaving',
              'role-manager',
              'moby/swarmkit:manager/role_manager.go (removeMember)',
            ),
            PROMOTE: on('manager', 'user', UPDATE_NODE),
          },
        },
        // Removed from Raft, Role still manager until the role manager's next pass writes Role = worker.
        // [code-read] Promoting here makes Role == DesiredRole again, so the role manager does nothing; the
        // node renews a manager certificate and joins Raft again with a new Raft ID.
        leaving: {
          on: {
            ROLE_RECONCILED: on('worker', 'role-manager', ROLE_MANAGER),
            PROMOTE: on('joining', 'user', UPDATE_NODE),
          },
        },
      },
    },
  },
});

export function nodeGuardLabel(g: GuardRef): string {
  switch (g.type) {
    case 'availabilityIs':
      return `availability = ${(g.params as { availability: string }).availability}`;
    case 'demotionAllowed':
      return 'not the last manager, quorum kept';
    default:
      throw new Error(`node machine: no label for guard '${g.type}'`);
  }
}

/** Every event, with the payload variants that matter to the guards. */
export const NODE_EVENTS: readonly NodeEvent[] = [
  ...AVAILABILITIES.map((availability) => ({ type: 'UPDATE_AVAILABILITY', availability }) as const),
  { type: 'REGISTER' },
  { type: 'HEARTBEAT_EXPIRED' },
  { type: 'LEADER_CHANGED' },
  { type: 'SESSION_DROPPED' },
  { type: 'PROMOTE' },
  { type: 'DEMOTE', lastManager: false, keepsQuorum: true },
  { type: 'DEMOTE', lastManager: true, keepsQuorum: true },
  { type: 'DEMOTE', lastManager: false, keepsQuorum: false },
  { type: 'ROLE_RECONCILED' },
  { type: 'RAFT_JOINED' },
  { type: 'RAFT_REMOVED' },
];
