/**
 * Named divergences: model steps whose projection is no behaviour of the spec and that no projection
 * rule can absorb, because SwarmKit's code really does something the spec (design/tla) does not
 * allow. Each has a detector over the model step; the refinement check reports a failing step as the
 * first divergence whose detector matches, and as *unexplained* (a test failure) when none does.
 * The tests pin which divergences occur, so the list can neither hide a new one nor keep a dead one.
 */
import type { State, Task } from '../model/index.ts';
import { rank } from '../model/taskState.ts';
import { READY, REMOVE } from '../tla/Types.ts';
import type { History } from './projection.ts';

export interface ModelStep {
  prev: State;
  next: State;
  actor: string;
  kind: string;
  hPrev: History;
  hNext: History;
}

export interface Divergence {
  name: string;
  /** What SwarmKit does, with its source. */
  swarmkit: string;
  /** What the spec allows instead. */
  spec: string;
  matches(step: ModelStep): boolean;
}

const RUNNING = rank('running');
const runnable = (t: Task): boolean => rank(t.observed) <= RUNNING;
const byId = (s: State): Map<string, Task> => new Map(s.tasks.map((t) => [t.id, t]));
const sameVSlot = (a: Task, b: Task): boolean =>
  a.serviceId === b.serviceId && a.slot === b.slot && (a.slot !== 0 || a.nodeId === b.nodeId);

function changed(step: ModelStep, f: (before: Task, after: Task) => boolean): boolean {
  const p = byId(step.prev);
  for (const t of step.next.tasks) {
    const o = p.get(t.id);
    if (o && f(o, t)) return true;
  }
  return false;
}

function deleted(step: ModelStep, f: (before: Task) => boolean): boolean {
  const n = byId(step.next);
  return step.prev.tasks.some((t) => !n.has(t.id) && f(t));
}

export const DIVERGENCES: readonly Divergence[] = [
  {
    name: 'StartBeforeOldTaskStopped',
    swarmkit:
      'The restart supervisor starts a replacement (desired READY → RUNNING) once its delay has passed and the old task stopped, ' +
      "OR the old task's node is DOWN or deleted, OR one minute passed (moby/swarmkit:manager/orchestrator/restart/restart.go (DelayStart, StartNow))",
    spec: 'ReleaseReady waits until no other task of the vslot is runnable; a task on a DOWN node stays runnable until OrphanTasks',
    matches: (step) =>
      step.actor === 'agent' &&
      changed(step, (o, t) => {
        const h = step.hPrev.task.get(t.id);
        return o.observed === 'ready' && t.observed === 'starting' && h !== undefined && h.pdesired === READY;
      }),
  },
  {
    name: 'ShutdownWithoutReplacement',
    swarmkit:
      'A running task is set desired SHUTDOWN with no replacement: the global orchestrator on a drained, paused or non-matching node ' +
      '(moby/swarmkit:manager/orchestrator/global/global.go (reconcileOneNode, shutdownTask)), and Restart when the restart policy ' +
      'forbids a new task (restart.go (Restart, shouldRestart))',
    spec: "Only RestartTask (with a replacement), RequestRemoval and RemoveService (desired `remove`) change a runnable task's desired state",
    matches: (step) =>
      (step.actor === 'orchestrator' || step.actor === 'restart') &&
      changed(
        step,
        (o, t) =>
          runnable(t) &&
          o.desired !== 'shutdown' &&
          t.desired === 'shutdown' &&
          !step.next.tasks.some(
            (x) => x.id !== t.id && sameVSlot(x, t) && !step.prev.tasks.some((y) => y.id === x.id),
          ),
      ),
  },
  {
    name: 'ReplacementBesideRunnableTask',
    swarmkit:
      'The orchestrators create a new task for a slot (or a global service on a node) as soon as none of its tasks is desired ' +
      'RUNNING or below, even while an old one, desired SHUTDOWN, still runs (moby/swarmkit:manager/orchestrator/restart/restart.go ' +
      '(UpdatableTasksInSlot), replicated/services.go (reconcile), global/global.go (reconcileOneNode))',
    spec: 'ReplaceTask and CreateSlot need every task of the vslot stopped; only RestartTask adds a task beside a runnable one, desired `ready`',
    matches: (step) =>
      (step.actor === 'orchestrator' || step.actor === 'restart') &&
      step.next.tasks.some(
        (t) =>
          !step.prev.tasks.some((x) => x.id === t.id) &&
          step.next.tasks.some(
            (o) =>
              o.id !== t.id && sameVSlot(o, t) && runnable(o) && step.prev.tasks.some((x) => x.id === o.id),
          ),
      ),
  },
  {
    name: 'ReportFromDownNode',
    swarmkit:
      "The model lets a reconnected agent's reports (progress, exit, rejection) reach the store while the dispatcher still has the node DOWN; " +
      'in SwarmKit task status only arrives over a session, and registering one marks the node READY first ' +
      '(moby/swarmkit:manager/dispatcher/dispatcher.go (register, UpdateTaskStatus)). A model simplification, reported to the model engineer',
    spec: 'ProgressTask, RejectTask, ContainerExit and ShutdownComplete require IsUp(t.node)',
    matches: (step) =>
      (step.actor === 'agent' ||
        (step.actor === 'fault' && (step.kind === 'exit' || step.kind === 'reject'))) &&
      changed(
        step,
        (o, t) =>
          o.observed !== t.observed && step.prev.nodes.some((n) => n.id === t.nodeId && n.status === 'down'),
      ),
  },
  {
    name: 'LeaderDeletesTasksOfRemovedService',
    swarmkit:
      'A new leader deletes every task whose service is gone, running or not (moby/swarmkit:manager/orchestrator/taskinit/init.go (CheckTasks))',
    spec: 'The Reaper deletes a task flagged `remove` only once it is not owned by an agent (below assigned or stopped)',
    matches: (step) =>
      step.actor === 'raft' && deleted(step, (t) => runnable(t) && rank(t.observed) >= rank('assigned')),
  },
  {
    name: 'ScaleDownCountsStoppedTasks',
    swarmkit:
      'Scale-down counts a slot as a replica while its task is desired RUNNING or below, whatever its observed state, so a slot whose ' +
      'task failed and is not yet restarted can be kept while a starting one is removed (moby/swarmkit:manager/orchestrator/restart/restart.go ' +
      '(UpdatableTasksInSlot), replicated/services.go (reconcile))',
    spec: 'RequestRemoval needs replicas < |RunnableWantedTasks|, counting runnable tasks only',
    matches: (step) =>
      step.actor === 'orchestrator' &&
      step.kind === 'reconcile-service' &&
      changed(step, (o, t) => o.desired !== 'remove' && t.desired === 'remove') &&
      step.prev.tasks.some((t) => !runnable(t) && rank(t.desired) <= RUNNING),
  },
  {
    name: 'SlotReusedWhileRemoved',
    swarmkit:
      'Scaling up reuses the lowest free slot numbers, dead slots included, even one whose tasks are all flagged REMOVE by an earlier ' +
      'scale-down (in the projection, rule P10) and not yet reaped (moby/swarmkit:manager/orchestrator/replicated/services.go (addTasks))',
    spec: 'CreateSlot needs an unused vslot and ReplaceTask a task of the vslot not flagged `remove`',
    matches: (step) =>
      step.actor === 'orchestrator' &&
      step.next.tasks.some((t) => {
        if (step.prev.tasks.some((x) => x.id === t.id)) return false;
        const olds = step.prev.tasks.filter((o) => sameVSlot(o, t));
        return olds.length > 0 && olds.every((o) => step.hPrev.task.get(o.id)?.pdesired === REMOVE);
      }),
  },
  {
    name: 'OrchestratorDeletesDeadSlot',
    swarmkit:
      'The replicated orchestrator deletes, in its reconcile, every task of the dead slots it does not reuse (no task desired RUNNING ' +
      'or below), even one still running on its node, desired REMOVE or SHUTDOWN (moby/swarmkit:manager/orchestrator/replicated/services.go ' +
      '(reconcile → deleteTasksMap))',
    spec: 'Only the Reaper deletes tasks: flagged `remove` and not owned by an agent (below assigned, or stopped), or orphaned',
    matches: (step) =>
      step.actor === 'orchestrator' && step.kind === 'reconcile-service' && deleted(step, (t) => runnable(t)),
  },
  {
    name: 'ReaperDeletesUnflagged',
    swarmkit:
      'The task reaper deletes tasks that will never run (not yet assigned, desired past RUNNING) even when they are desired SHUTDOWN ' +
      'rather than REMOVE (moby/swarmkit:manager/orchestrator/taskreaper/task_reaper.go (tick))',
    spec: 'The Reaper deletes a task below assigned only when it is flagged `remove`',
    matches: (step) => step.actor === 'reaper' && deleted(step, (t) => runnable(t) && t.desired !== 'remove'),
  },
];

export function classify(step: ModelStep): Divergence | undefined {
  return DIVERGENCES.find((d) => d.matches(step));
}
