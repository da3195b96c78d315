/**
 * Who may move a task from one observed state to another, and the meta-checks in the spirit of
 * design/tla/Tasks.tla `TransitionTableOK`:
 *   1. no transition goes to a lower-ranked state (deletion aside: it is TLA's `null`);
 *   2. every source state has exactly one owning component, except the documented exceptions below,
 *      each with the SwarmKit code that makes it one.
 * The checks run over the machine's transitions and over the hot-path table (they are two encodings).
 *
 * The cluster model's TransitionsOK check can use `taskStepActors` / `mayPerform`: a task step by actor A
 * from observed state X to Y is legal iff A is among `taskStepActors(X, Y)`; no change is always legal.
 * Remember that the store may see several agent steps at once (machines/task.ts, "Granularity").
 */
import { DESIRED_STATES, rank } from '../model/taskState.ts';
import { atomicSteps, describeMachine } from './describe.ts';
import { TASK_EVENT_ACTOR, taskTable } from './tables.ts';
import {
  TASK_EVENTS,
  TASK_STATE_NAMES,
  type TaskActor,
  type TaskEvent,
  type TaskStateName,
  taskMachine,
} from './task.ts';

/** One observed-state change (or deletion) of a task, by one component on one event. */
export interface TaskStep {
  from: TaskStateName;
  to: TaskStateName;
  event: TaskEvent['type'];
  actor: TaskActor;
}

/** Every step the task machine allows (state changes only: a desired-state write keeps the observed state). */
export function machineTaskSteps(): TaskStep[] {
  // Each (from, to, event) comes once: atomicSteps spells out one step per atomic source and event,
  // and one event's guarded branches lead to different targets.
  const out: TaskStep[] = [];
  for (const s of atomicSteps(describeMachine(taskMachine))) {
    if (s.from === s.to) continue;
    out.push({ from: s.from, to: s.to, event: s.event, actor: s.actor } as TaskStep);
  }
  return out;
}

/** Every step the hot-path table allows, found by trying every event variant under every desired state. */
export function tableTaskSteps(table: typeof taskTable = taskTable): TaskStep[] {
  const seen = new Set<string>();
  const out: TaskStep[] = [];
  for (const from of TASK_STATE_NAMES) {
    for (const e of TASK_EVENTS) {
      const f = table[from][e.type] as ((d: string, e: TaskEvent) => TaskStateName | undefined) | undefined;
      for (const d of DESIRED_STATES) {
        const to = f?.(d, e);
        if (to === undefined || to === from) continue;
        const step: TaskStep = { from, to, event: e.type, actor: TASK_EVENT_ACTOR[e.type] };
        const key = JSON.stringify(step);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(step);
      }
    }
  }
  return out;
}

/**
 * The one component that owns the transitions out of each state, as in Tasks.tla: the allocator takes NEW
 * on, the scheduler PENDING, the agent everything it holds, the reaper deletes terminal tasks.
 */
export const TASK_STATE_OWNER: { readonly [S in TaskStateName]: TaskActor | undefined } = {
  new: 'allocator',
  pending: 'scheduler',
  assigned: 'agent',
  accepted: 'agent',
  preparing: 'agent',
  ready: 'agent',
  starting: 'agent',
  running: 'agent',
  complete: 'reaper',
  shutdown: 'reaper',
  failed: 'reaper',
  rejected: 'reaper',
  orphaned: 'reaper',
  deleted: undefined,
};

export interface OwnershipException {
  actor: TaskActor;
  from: readonly TaskStateName[];
  to: TaskStateName;
  why: string;
  source: string;
}

const LIVE: TaskStateName[] = [
  'new',
  'pending',
  'assigned',
  'accepted',
  'preparing',
  'ready',
  'starting',
  'running',
];
const ON_NODE: TaskStateName[] = LIVE.slice(2);
const ALL_BUT_DELETED = TASK_STATE_NAMES.filter((s) => s !== 'deleted');

/** Transitions taken by a component other than the source state's owner. Every one is SwarmKit's code. */
export const TASK_OWNERSHIP_EXCEPTIONS: readonly OwnershipException[] = [
  {
    actor: 'constraint-enforcer',
    from: LIVE,
    to: 'rejected',
    why: "the manager evicts a task whose node no longer meets its constraints or resources by setting observed REJECTED, so that the orchestrator's restart path replaces it",
    source:
      'moby/swarmkit:manager/orchestrator/constraintenforcer/constraint_enforcer.go (rejectNoncompliantTasks)',
  },
  {
    actor: 'dispatcher',
    from: ON_NODE,
    to: 'orphaned',
    why: 'the agent cannot report for a node that has been DOWN for 24 h; the manager gives up on its tasks',
    source: 'moby/swarmkit:manager/dispatcher/dispatcher.go (moveTasksToOrphaned)',
  },
  {
    actor: 'controlapi',
    from: LIVE,
    to: 'orphaned',
    why: '`docker node rm` orphans every task of the node below COMPLETE in the same transaction that deletes the node',
    source: 'moby/swarmkit:manager/controlapi/node.go (RemoveNode, orphanNodeTasks)',
  },
  {
    actor: 'reaper',
    from: ['new', 'pending'],
    to: 'deleted',
    why: 'a task that will never run (below ASSIGNED, desired past RUNNING) is deleted by the reaper; Tasks.tla makes the same exception',
    source: 'moby/swarmkit:manager/orchestrator/taskreaper/task_reaper.go (taskWillNeverRun)',
  },
  {
    actor: 'orchestrator',
    from: ALL_BUT_DELETED,
    to: 'deleted',
    why: 'orchestrators delete tasks outright: dead slots at reconcile, a deleted node’s global tasks, tasks of a deleted service at leader start',
    source:
      'moby/swarmkit:manager/orchestrator/replicated/services.go (reconcile), global/global.go (deleteTask), taskinit/init.go (CheckTasks)',
  },
];

/**
 * Not an ownership exception, but a difference from Tasks.tla worth naming: the scheduler (PENDING's
 * owner) moves an obsolete PENDING task to SHUTDOWN; Tasks.tla only has RUNNING→SHUTDOWN.
 * moby/swarmkit:manager/scheduler/scheduler.go (noSuitableNode)
 */

/** Meta-check 1: no step goes to a lower-ranked state. Returns one line per violation. */
export function checkMonotonic(steps: readonly TaskStep[]): string[] {
  return steps
    .filter((s) => s.to !== 'deleted' && s.from !== 'deleted' && rank(s.to) <= rank(s.from))
    .map((s) => `${s.from} -> ${s.to} (${s.event} / ${s.actor}) does not move to a higher-ranked state`);
}

/** Meta-check 2: each step is by its source state's owner, or covered by a documented exception; no exception is stale. */
export function checkOwnership(steps: readonly TaskStep[]): string[] {
  const out: string[] = [];
  for (const s of steps) {
    if (TASK_STATE_OWNER[s.from] === s.actor) continue;
    const ex = TASK_OWNERSHIP_EXCEPTIONS.find(
      (x) => x.actor === s.actor && x.to === s.to && x.from.includes(s.from),
    );
    if (!ex)
      out.push(
        `${s.from} -> ${s.to} (${s.event}) is done by ${s.actor}, but ${s.from} is owned by ${TASK_STATE_OWNER[s.from] ?? 'no one'} and no documented exception covers it`,
      );
  }
  for (const ex of TASK_OWNERSHIP_EXCEPTIONS) {
    for (const from of ex.from) {
      if (!steps.some((s) => s.actor === ex.actor && s.from === from && s.to === ex.to))
        out.push(`documented exception ${ex.actor}: ${from} -> ${ex.to} does not occur`);
    }
  }
  return out;
}

const STEPS = machineTaskSteps();

/** The components that may move a task from `from` to `to` in one step (empty: no one may). */
export function taskStepActors(from: TaskStateName, to: TaskStateName): TaskActor[] {
  return [...new Set(STEPS.filter((s) => s.from === from && s.to === to).map((s) => s.actor))];
}

/** TransitionsOK for one task: no change, or a step the machine gives to this actor. */
export function mayPerform(actor: TaskActor, from: TaskStateName, to: TaskStateName): boolean {
  return from === to || STEPS.some((s) => s.actor === actor && s.from === from && s.to === to);
}

// ---------------------------------------------------------------------------------------------------
// design/tla/Tasks.tla, transcribed (moby/swarmkit HEAD 3e72cb6), to pin down where the code differs.

/** Tasks.tla `Transitions`, `null` written as `deleted`; creation (null → new) is the machine's initial state. */
export const TLA_TASK_TRANSITIONS: ReadonlyArray<readonly [TaskActor, TaskStateName, TaskStateName]> = [
  ['allocator', 'new', 'pending'],
  ['scheduler', 'pending', 'assigned'],
  ...(
    [
      ['assigned', 'accepted'],
      ['accepted', 'preparing'],
      ['preparing', 'ready'],
      ['ready', 'starting'],
      ['starting', 'running'],
      ['assigned', 'rejected'],
      ['accepted', 'rejected'],
      ['preparing', 'rejected'],
      ['ready', 'rejected'],
      ['starting', 'rejected'],
      ['running', 'complete'],
      ['running', 'failed'],
      ['running', 'shutdown'],
      ['assigned', 'orphaned'],
      ['accepted', 'orphaned'],
      ['preparing', 'orphaned'],
      ['ready', 'orphaned'],
      ['starting', 'orphaned'],
      ['running', 'orphaned'],
    ] as const
  ).map(([f, t]) => ['agent', f, t] as const),
  ...(['new', 'pending', 'rejected', 'complete', 'failed', 'shutdown', 'orphaned'] as const).map(
    (f) => ['reaper', f, 'deleted'] as const,
  ),
];

/** Every (actor, from, to) the code has and Tasks.tla has not, grouped by reason (see machines/task.ts). */
export const CODE_NOT_IN_TLA: ReadonlyArray<{
  steps: ReadonlyArray<readonly [TaskActor, TaskStateName, TaskStateName]>;
  why: string;
}> = [
  {
    why: 'the manager, not the agent, orphans tasks (dispatcher after 24 h DOWN; node removal)',
    steps: [
      ...ON_NODE.map((f) => ['dispatcher', f, 'orphaned'] as const),
      ...LIVE.map((f) => ['controlapi', f, 'orphaned'] as const),
    ],
  },
  {
    why: 'the constraint enforcer rejects',
    steps: LIVE.map((f) => ['constraint-enforcer', f, 'rejected'] as const),
  },
  {
    why: 'the agent shuts down anything it holds once desired ≥ SHUTDOWN; the scheduler shuts down an obsolete PENDING task',
    steps: [
      ...(['assigned', 'accepted', 'preparing', 'ready', 'starting'] as const).map(
        (f) => ['agent', f, 'shutdown'] as const,
      ),
      ['scheduler', 'pending', 'shutdown'],
    ],
  },
  { why: 'a fatal error at STARTING is FAILED (Do: fatal)', steps: [['agent', 'starting', 'failed']] },
  {
    why: 'orchestrators delete tasks outright',
    steps: ALL_BUT_DELETED.map((f) => ['orchestrator', f, 'deleted'] as const),
  },
];

/** Every (actor, from, to) Tasks.tla has and the code has not. */
export const TLA_NOT_IN_CODE: ReadonlyArray<{
  steps: ReadonlyArray<readonly [TaskActor, TaskStateName, TaskStateName]>;
  why: string;
}> = [
  {
    why: 'the agent never orphans (the manager does)',
    steps: ON_NODE.map((f) => ['agent', f, 'orphaned'] as const),
  },
  { why: 'a fatal error at STARTING is FAILED, not REJECTED', steps: [['agent', 'starting', 'rejected']] },
];
