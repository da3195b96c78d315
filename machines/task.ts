/**
 * The task lifecycle: SwarmKit's 13 observed states (Task.Status.State) in SwarmKit's order, with the
 * desired state (Task.DesiredState) in context, and every transition labelled with the component that
 * performs it in SwarmKit's code.
 *
 * Shape. The observed states are grouped by the predicates SwarmKit's own code uses, so that a rule
 * that applies to a whole range is written once, as a transition of the group:
 *
 *   live (observed ≤ RUNNING: "runnable")                      taskreaper (taskInTerminalState)
 *     new, pending                                               (not yet on a node)
 *     onNode (ASSIGNED..RUNNING: what an agent holds,            dispatcher.go (moveTasksToOrphaned)
 *             and what the dispatcher orphans)
 *       beforeStart (ASSIGNED..READY: a fatal error = REJECTED)  agent/exec/controller.go (Do: fatal)
 *       started (STARTING..RUNNING: a fatal error = FAILED)
 *   ended (observed > RUNNING: terminal)
 *   deleted (the task object is gone; the `null` of design/tla/Tasks.tla; not a SwarmKit state)
 *
 * The leaves, read top to bottom, are exactly OBSERVED_STATES (model/taskState.ts), in SwarmKit's order;
 * the groups are computed from that order below, and test/machines/task.test.ts checks it.
 *
 * Code vs design/tla/Tasks.tla (its `Transitions` table). This machine follows the code:
 * - ORPHANED: TLA gives it to the agent (ASSIGNED..RUNNING). In the code the manager sets it: the
 *   dispatcher 24 h after the node went DOWN (ASSIGNED..RUNNING), and `docker node rm` (controlapi) for
 *   every task below COMPLETE, NEW and PENDING included.
 * - REJECTED: TLA lets only the agent reject, from ASSIGNED..STARTING. In the code the agent rejects only
 *   below STARTING (a fatal error at STARTING is FAILED), and the constraint enforcer rejects any
 *   task below COMPLETE whose node no longer fits.
 * - FAILED: TLA has only RUNNING→FAILED; in the code STARTING→FAILED too (Start() error).
 * - SHUTDOWN: TLA has only RUNNING→SHUTDOWN; in the code the agent shuts down anything it holds
 *   (ASSIGNED..RUNNING) once desired ≥ SHUTDOWN, and the scheduler moves an obsolete PENDING task to
 *   SHUTDOWN.
 * - Deletion: TLA's reaper deletes NEW/PENDING and terminal tasks; the code agrees (taskreaper), but
 *   orchestrators also delete tasks outright (dead slots, a deleted node's global tasks, tasks of a deleted
 *   service at leader start): ORCHESTRATOR_DELETE.
 *
 * Granularity. Each agent transition here is one step of the agent's own controller (Resolve, Do). The
 * agent's status reporter keeps only the latest status per task (agent/reporter.go (UpdateTaskStatus)),
 * so the manager's store can see several agent steps at once (e.g. ASSIGNED → RUNNING): the store sees a
 * path of this machine, not necessarily one edge.
 */
import { assign, setup } from 'xstate';
import {
  atMost,
  before,
  DESIRED_STATES,
  type DesiredState,
  isTerminal,
  OBSERVED_STATES,
  type ObservedState,
} from '../model/taskState.ts';
import type { GuardRef, TransitionMeta } from './meta.ts';
import {
  agentMayAdvance,
  agentMayProgress,
  agentShutsDown,
  enforcerMayReject,
  raisesDesired,
  schedulerShutsDownObsolete,
  willNeverRun,
} from './taskRules.ts';

/** The components that change a task's observed state (or delete it, or raise its desired state). */
export type TaskActor =
  | 'orchestrator' // replicated/global/jobs orchestrators, restart supervisor, updater
  | 'allocator'
  | 'scheduler'
  | 'agent' // the node's agent (its executor's controller); the dispatcher only records its reports
  | 'dispatcher' // leader-side node liveness
  | 'constraint-enforcer'
  | 'controlapi' // `docker node rm`
  | 'reaper';

export const TASK_ACTORS: readonly TaskActor[] = [
  'orchestrator',
  'allocator',
  'scheduler',
  'agent',
  'dispatcher',
  'constraint-enforcer',
  'controlapi',
  'reaper',
];

/** The machine's atomic states: the 13 observed states and `deleted`. */
export type TaskStateName = ObservedState | 'deleted';
export const TASK_STATE_NAMES: readonly TaskStateName[] = [...OBSERVED_STATES, 'deleted'];

export interface TaskContext {
  desired: DesiredState;
}

export type TaskEvent =
  /** An orchestrator, the restart supervisor or the updater writes a new desired state (never lower). */
  | { type: 'SET_DESIRED'; desired: DesiredState }
  /** Allocator: networks/endpoint allocated ("pending task scheduling"). */
  | { type: 'ALLOCATE' }
  /** Scheduler: node chosen (or a global task's preset node confirmed). */
  | { type: 'ASSIGN' }
  /** Scheduler: no node fits; `obsoleteSpec` = the service has moved to a newer spec version. */
  | { type: 'NO_SUITABLE_NODE'; obsoleteSpec: boolean }
  /** Agent: controller resolved (Resolve), whatever the desired state. */
  | { type: 'RESOLVED' }
  /** Agent Do: ACCEPTED→PREPARING, PREPARING→READY, READY→STARTING, STARTING→RUNNING. */
  | { type: 'PREPARE' }
  | { type: 'PREPARED' }
  | { type: 'START' }
  | { type: 'STARTED' }
  /** Agent Do at RUNNING: the container exited (Wait returned). 0 → COMPLETE, else FAILED. */
  | { type: 'EXIT'; code: number }
  /** Agent Do, desired ≥ SHUTDOWN: the container was stopped. */
  | { type: 'SHUTDOWN' }
  /** Agent: a non-temporary error in Resolve/Prepare/Start/Wait/Shutdown (Do: fatal). */
  | { type: 'FATAL_ERROR' }
  /** Constraint enforcer: the task's (active) node no longer meets its constraints or resources. */
  | { type: 'CONSTRAINTS_UNMET' }
  /** Dispatcher: the node has been DOWN (or DISCONNECTED) for 24 h. */
  | { type: 'NODE_DOWN_24H' }
  /** controlapi: `docker node rm` of the task's node, in the same transaction as the node delete. */
  | { type: 'NODE_REMOVED' }
  /** Task reaper: delete (REMOVE cleanup or history retention). */
  | { type: 'REAP' }
  /** Orchestrator: delete outright (dead slot at reconcile, deleted node's global task, service gone). */
  | { type: 'ORCHESTRATOR_DELETE' };

export type TaskEventType = TaskEvent['type'];

type Meta = TransitionMeta<TaskActor>;
// Loosely typed on purpose: xstate's per-event config types cannot follow configs built by helpers.
type T = { target?: string; guard?: any; meta: Meta };

const CONTROLLER = 'moby/swarmkit:agent/exec/controller.go';

// The groups, computed from SwarmKit's order rather than written out, so that the order lives in one place.
const LIVE = OBSERVED_STATES.filter((s) => !isTerminal(s));
const OFF_NODE = LIVE.filter((s) => before(s, 'assigned'));
const ON_NODE = LIVE.filter((s) => atMost('assigned', s));
const BEFORE_START = ON_NODE.filter((s) => before(s, 'starting'));
const STARTED = ON_NODE.filter((s) => atMost('starting', s));
const ENDED = OBSERVED_STATES.filter(isTerminal);

/** Absolute target of an atomic state, e.g. `#task.live.onNode.started.running`. */
function at(s: TaskStateName): string {
  if (s === 'deleted') return '#task.deleted';
  if (isTerminal(s)) return `#task.ended.${s}`;
  if (OFF_NODE.includes(s)) return `#task.live.${s}`;
  return `#task.live.onNode.${BEFORE_START.includes(s) ? 'beforeStart' : 'started'}.${s}`;
}

function to(s: TaskStateName, actor: TaskActor, source: string, guard?: GuardRef | string): T {
  return guard === undefined
    ? { target: at(s), meta: { actor, source } }
    : { target: at(s), guard, meta: { actor, source } };
}

/** Transitions that leave one observed state (the groups' own transitions are below, with the groups). */
const LEAF_ON: Record<ObservedState, Partial<Record<TaskEventType, T | T[]>>> = {
  new: {
    ALLOCATE: to(
      'pending',
      'allocator',
      'moby/swarmkit:manager/allocator/network.go (allocateTasks, updateTaskStatus)',
    ),
    REAP: to(
      'deleted',
      'reaper',
      'moby/swarmkit:manager/orchestrator/taskreaper/task_reaper.go (taskWillNeverRun)',
      'willNeverRun',
    ),
  },
  pending: {
    ASSIGN: to(
      'assigned',
      'scheduler',
      'moby/swarmkit:manager/scheduler/scheduler.go (scheduleNTasksOnNodes, taskFitNode)',
    ),
    NO_SUITABLE_NODE: to(
      'shutdown',
      'scheduler',
      'moby/swarmkit:manager/scheduler/scheduler.go (noSuitableNode)',
      'obsoleteAndDesiredShutdown',
    ),
    REAP: to(
      'deleted',
      'reaper',
      'moby/swarmkit:manager/orchestrator/taskreaper/task_reaper.go (taskWillNeverRun)',
      'willNeverRun',
    ),
  },
  // Resolve moves anything below ACCEPTED to ACCEPTED whatever the desired state (the agent only ever
  // holds tasks ≥ ASSIGNED: manager/dispatcher/assignments.go (addOrUpdateTask)).
  assigned: { RESOLVED: to('accepted', 'agent', `${CONTROLLER} (Resolve)`) },
  accepted: {
    PREPARE: to('preparing', 'agent', `${CONTROLLER} (Do)`, {
      type: 'agentMayAdvance',
      params: { observed: 'accepted' },
    }),
  },
  preparing: {
    PREPARED: to('ready', 'agent', `${CONTROLLER} (Do)`, {
      type: 'agentMayProgress',
      params: { observed: 'preparing' },
    }),
  },
  ready: {
    START: to('starting', 'agent', `${CONTROLLER} (Do)`, {
      type: 'agentMayAdvance',
      params: { observed: 'ready' },
    }),
  },
  starting: {
    STARTED: to('running', 'agent', `${CONTROLLER} (Do)`, {
      type: 'agentMayProgress',
      params: { observed: 'starting' },
    }),
  },
  running: {
    EXIT: [
      to('complete', 'agent', `${CONTROLLER} (Do: Wait)`, 'exitZero'),
      to('failed', 'agent', `${CONTROLLER} (Do: Wait, fatal)`, 'exitNonZero'),
    ],
  },
  complete: {},
  shutdown: {},
  failed: {},
  rejected: {},
  orphaned: {},
};

const leaves = (states: readonly ObservedState[]) =>
  Object.fromEntries(states.map((s) => [s, { on: LEAF_ON[s] }]));

export const taskMachine = setup({
  types: {
    context: {} as TaskContext,
    events: {} as TaskEvent,
    transitionMeta: {} as Meta,
  },
  guards: {
    raisesDesired: ({ context, event }) =>
      event.type === 'SET_DESIRED' && raisesDesired(context.desired, event.desired),
    willNeverRun: ({ context }) => willNeverRun(context.desired),
    obsoleteAndDesiredShutdown: ({ context, event }) =>
      event.type === 'NO_SUITABLE_NODE' && schedulerShutsDownObsolete(event.obsoleteSpec, context.desired),
    agentMayAdvance: ({ context }, params: { observed: ObservedState }) =>
      agentMayAdvance(params.observed, context.desired),
    agentMayProgress: ({ context }, params: { observed: ObservedState }) =>
      agentMayProgress(params.observed, context.desired),
    exitZero: ({ context, event }) =>
      event.type === 'EXIT' && event.code === 0 && agentMayProgress('running', context.desired),
    exitNonZero: ({ context, event }) =>
      event.type === 'EXIT' && event.code !== 0 && agentMayProgress('running', context.desired),
    desiredShutdown: ({ context }) => agentShutsDown(context.desired),
    enforcerMayReject: ({ context }) => enforcerMayReject(context.desired),
  },
  actions: {
    setDesired: assign({
      desired: ({ context, event }) => (event.type === 'SET_DESIRED' ? event.desired : context.desired),
    }),
  },
}).createMachine({
  id: 'task',
  initial: 'live',
  // A plain object, so that the whole config is data. A task created with another desired state (READY
  // for replacements, COMPLETE for jobs) starts from `taskCreated(desired)`.
  context: { desired: 'running' },
  on: {
    SET_DESIRED: {
      guard: 'raisesDesired',
      actions: 'setDesired',
      meta: {
        actor: 'orchestrator',
        source: 'moby/swarmkit:manager/orchestrator/restart/restart.go (Restart, StartNow)',
      },
    },
    ORCHESTRATOR_DELETE: to(
      'deleted',
      'orchestrator',
      'moby/swarmkit:manager/orchestrator/replicated/services.go (reconcile: dead slots), global/global.go (node deleted), taskinit/init.go (CheckTasks)',
    ),
  },
  states: {
    live: {
      initial: 'new',
      on: {
        CONSTRAINTS_UNMET: to(
          'rejected',
          'constraint-enforcer',
          'moby/swarmkit:manager/orchestrator/constraintenforcer/constraint_enforcer.go (rejectNoncompliantTasks)',
          'enforcerMayReject',
        ),
        NODE_REMOVED: to(
          'orphaned',
          'controlapi',
          'moby/swarmkit:manager/controlapi/node.go (orphanNodeTasks)',
        ),
      },
      states: {
        ...leaves(OFF_NODE),
        onNode: {
          initial: ON_NODE[0],
          on: {
            SHUTDOWN: to('shutdown', 'agent', `${CONTROLLER} (Do)`, 'desiredShutdown'),
            NODE_DOWN_24H: to(
              'orphaned',
              'dispatcher',
              'moby/swarmkit:manager/dispatcher/dispatcher.go (moveTasksToOrphaned)',
            ),
          },
          states: {
            beforeStart: {
              initial: BEFORE_START[0],
              on: { FATAL_ERROR: to('rejected', 'agent', `${CONTROLLER} (Resolve, Do: fatal)`) },
              states: leaves(BEFORE_START),
            },
            started: {
              initial: STARTED[0],
              on: { FATAL_ERROR: to('failed', 'agent', `${CONTROLLER} (Resolve, Do: fatal)`) },
              states: leaves(STARTED),
            },
          },
        },
      },
    },
    ended: {
      initial: ENDED[0],
      // History pruning deletes terminal tasks; REMOVE cleanup deletes those ≥ COMPLETE.
      on: {
        REAP: to('deleted', 'reaper', 'moby/swarmkit:manager/orchestrator/taskreaper/task_reaper.go (tick)'),
      },
      states: leaves(ENDED),
    },
    deleted: { type: 'final' },
  },
});

/** How the task machine's guards read on a diagram edge. */
export function taskGuardLabel(g: GuardRef): string {
  const observed = (): string => {
    const o = (g.params as { observed?: string } | undefined)?.observed;
    if (o === undefined) throw new Error(`task machine: guard '${g.type}' has no params.observed to label`);
    return o;
  };
  switch (g.type) {
    case 'raisesDesired':
      return 'raises desired'; // never lowers it
    case 'willNeverRun':
      return 'desired > running';
    case 'obsoleteAndDesiredShutdown':
      return 'older spec, desired ≥ shutdown';
    case 'agentMayAdvance':
      return `${observed()} < desired < shutdown`;
    case 'agentMayProgress':
      return `${observed()} ≤ desired < shutdown`;
    case 'exitZero':
      return 'code = 0, running ≤ desired < shutdown';
    case 'exitNonZero':
      return 'code ≠ 0, running ≤ desired < shutdown';
    case 'desiredShutdown':
      return 'desired ≥ shutdown';
    case 'enforcerMayReject':
      return 'desired ≤ complete';
    default:
      throw new Error(`task machine: no label for guard '${g.type}'`);
  }
}

/** The observed state (or `deleted`) of a task-machine snapshot value: its one atomic state. */
export function taskStateOf(value: unknown): TaskStateName {
  let v = value;
  while (typeof v === 'object' && v !== null) v = Object.values(v)[0];
  return v as TaskStateName;
}

/** Every event of the task machine, with the payload variants that matter to its guards. */
export const TASK_EVENTS: readonly TaskEvent[] = [
  ...DESIRED_STATES.map((desired) => ({ type: 'SET_DESIRED', desired }) as const),
  { type: 'ALLOCATE' },
  { type: 'ASSIGN' },
  { type: 'NO_SUITABLE_NODE', obsoleteSpec: false },
  { type: 'NO_SUITABLE_NODE', obsoleteSpec: true },
  { type: 'RESOLVED' },
  { type: 'PREPARE' },
  { type: 'PREPARED' },
  { type: 'START' },
  { type: 'STARTED' },
  { type: 'EXIT', code: 0 },
  { type: 'EXIT', code: 1 },
  { type: 'EXIT', code: 137 },
  { type: 'SHUTDOWN' },
  { type: 'FATAL_ERROR' },
  { type: 'CONSTRAINTS_UNMET' },
  { type: 'NODE_DOWN_24H' },
  { type: 'NODE_REMOVED' },
  { type: 'REAP' },
  { type: 'ORCHESTRATOR_DELETE' },
];

/**
 * The desired states a task is created with: RUNNING by NewTask (moby/swarmkit:manager/orchestrator/task.go),
 * READY for restart and update replacements (restart/restart.go (Restart), update/updater.go (worker)),
 * COMPLETE for job tasks (jobs/replicated/reconciler.go).
 */
export const TASK_INITIAL_DESIRED: readonly DesiredState[] = ['running', 'ready', 'complete'];

/** A freshly created task (observed NEW) with the given desired state. */
export const taskCreated = (desired: DesiredState) =>
  taskMachine.resolveState({ value: { live: 'new' }, context: { desired } });
