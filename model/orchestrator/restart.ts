/**
 * The restart supervisor: moby/swarmkit:manager/orchestrator/restart/restart.go.
 *
 * `Restart(task)` is one store transaction: the old task gets desired SHUTDOWN; if the restart policy
 * allows (shouldRestart), a replacement is created in the same slot (replicated) or on the same node
 * (global) with desired READY, and a delayed start is armed: after the restart delay AND (when waiting
 * for the old task) once the old task stopped, its node went DOWN or was deleted, or 1 minute passed,
 * StartNow raises the replacement to RUNNING.
 *
 * Which tasks get restarted is decided by the orchestrators (replicated/tasks.go (handleTaskChange,
 * handleNodeChange), global/global.go (handleTaskChange, tickTasks)); the trigger predicates live in
 * `restartEnabled` below because they are state predicates over the same data.
 */
import { type Action, type ActionList, Interned, LastActions } from '../actions.ts';
import { nodeById, serviceById, taskById } from '../byId.ts';
import { OLD_TASK_TIMEOUT_MS } from '../defaults.ts';
import { nodeMatchesExprs } from '../scheduler/constraint.ts';
import type { Node, RestartHistory, Service, State, Task } from '../state.ts';
import { rank } from '../taskState.ts';
import { Tx } from '../tx.ts';
import { invalidNode, newTask } from './task.ts';

const RUNNING = rank('running');

function findHistory(h: readonly RestartHistory[], key: string): RestartHistory | undefined {
  for (const x of h) if (x.key === key) return x;
  return undefined;
}

/** History key: (service, slot) for replicated, (service, node) for global services (restart.go (shouldRestart)). */
function historyKey(t: Task, svc: Service): string {
  return svc.spec.mode === 'global' ? `${t.serviceId}/@${t.nodeId}` : `${t.serviceId}/${t.slot}`;
}

/**
 * moby/swarmkit:manager/orchestrator/restart/restart.go (shouldRestart). The window count is done
 * without mutating the history (SwarmKit prunes entries older than the window as a side effect; the
 * count for any later failure is the same).
 */
export function shouldRestart(history: readonly RestartHistory[], t: Task, svc: Service): boolean {
  const p = t.spec.restart;
  if (p.condition === 'none') return false;
  if (p.condition === 'on-failure' && t.observed === 'complete') return false;
  if (p.maxAttempts === 0) return true;
  const h = findHistory(history, historyKey(t, svc));
  if (!h || t.specVersion !== h.specVersion) return true;
  if (p.windowMs === 0) return h.totalRestarts < p.maxAttempts;
  // Failure time: the task's status timestamp. Count replacements created strictly inside
  // (failure − window, failure).
  const ts = t.statusAt;
  const lookback = ts - p.windowMs;
  let n = 0;
  for (const at of h.restartedAt) if (at > lookback && at < ts) n++;
  return n < p.maxAttempts;
}

/** moby/swarmkit:manager/orchestrator/restart/restart.go (RecordRestartHistory): only when MaxAttempts > 0. */
function recordRestart(tx: Tx, replacement: Task, svc: Service): void {
  const p = replacement.spec.restart;
  if (p.maxAttempts === 0) return;
  const key = historyKey(replacement, svc);
  const old = findHistory(tx.restartHistory, key);
  const base: RestartHistory =
    old && old.specVersion === replacement.specVersion
      ? old
      : { key, specVersion: replacement.specVersion, totalRestarts: 0, restartedAt: [] };
  // Written out, not spread: one object shape for every history entry (model/orchestrator/index.ts).
  const next: RestartHistory = {
    key: base.key,
    specVersion: base.specVersion,
    totalRestarts: base.totalRestarts + 1,
    restartedAt: p.windowMs !== 0 ? [...base.restartedAt, replacement.createdAt] : base.restartedAt,
  };
  tx.setHistory([...tx.restartHistory.filter((x) => x.key !== key), next]);
}

/**
 * moby/swarmkit:manager/orchestrator/restart/restart.go (UpdatableTasksInSlot): the tasks of a slot
 * that count toward the service; [] means the slot is dead.
 */
export function updatableTasksInSlot(
  history: readonly RestartHistory[],
  slot: readonly Task[],
  svc: Service,
): Task[] {
  if (slot.length === 0) return [];
  const up = slot.filter((t) => rank(t.desired) <= RUNNING);
  if (up.length > 0) return up;
  if (svc.updateStatus?.state === 'rollback_started') return [];
  // The newest task by status timestamp (TasksByTimestamp). A slot lists its tasks in creation order,
  // so on equal timestamps the one created last wins (Go's sort leaves such ties unspecified).
  let newest = slot[0];
  for (const t of slot) if (t.statusAt >= newest.statusAt) newest = t;
  return shouldRestart(history, newest, svc) ? [] : [newest];
}

/** moby/swarmkit:manager/orchestrator/restart/restart.go (Restart). */
export function restartTask(tx: Tx, t: Task, svc: Service): void {
  // Restart on a task already past COMPLETED is an error in SwarmKit; callers only pass desired ≤ RUNNING.
  tx.raiseDesired(t.id, 'shutdown');
  if (!shouldRestart(tx.restartHistory, t, svc)) return;
  // Same slot (a global task's slot is 0); a global replacement is created on the same node.
  const task = newTask(tx, svc, t.slot, svc.spec.mode === 'global' ? t.nodeId : '');
  const n = tx.node(t.nodeId);
  // No delay when the old task's node is drained; the delay applies for DOWN or deleted nodes.
  const delay = n !== undefined && n.availability === 'drain' ? 0 : t.spec.restart.delayMs;
  // waitStop unless the node is DOWN or the old task already stopped; DelayStart only watches an old
  // task that is still ≤ RUNNING.
  const waitStop = !(n !== undefined && n.status === 'down') && rank(t.observed) <= RUNNING;
  // Set on the new task object rather than spread into a copy: a spread copy has another object
  // shape, and the task lists' readers are faster when every task has the same one.
  task.desired = 'ready';
  task.delayed = {
    startAt: tx.now + delay,
    oldTaskId: waitStop ? t.id : '',
    oldNodeId: t.nodeId,
    timeoutAt: tx.now + OLD_TASK_TIMEOUT_MS,
  };
  tx.addTask(task);
  recordRestart(tx, task, svc);
}

/** Whether a delayed start may fire now (restart.go (DelayStart): delay first, then the wait for the old task). */
export function delayedStartDue(s: State, t: Task): boolean {
  const d = t.delayed;
  if (d === null || s.now < d.startAt) return false;
  if (d.oldTaskId === '') return true;
  if (s.now >= d.timeoutAt) return true;
  const old = taskById(s.tasks, d.oldTaskId);
  if (old !== undefined && rank(old.observed) > RUNNING) return true;
  const node = nodeById(s.nodes, d.oldNodeId);
  // The old task's node went DOWN or was deleted (EventUpdateNode DOWN / EventDeleteNode).
  return node === undefined || node.status === 'down';
}

/**
 * What the orchestrators queue for restart, as state predicates:
 * - replicated (replicated/tasks.go (handleTaskChange, handleNodeChange, restartTasksByNodeID)):
 *   desired ≤ RUNNING and (observed > RUNNING, or assigned to a node that is deleted/DOWN/drained);
 * - global (global/global.go (handleTaskChange, tickTasks)): desired ≤ RUNNING and observed > RUNNING,
 *   on a tracked node (not drained, not DOWN); on a paused node or one that no longer meets the
 *   constraints the orchestrator only shuts it down (an `orchestrator: shutdown-task` action).
 * A task inside its own delayed start is restarted only after that start fired (restart.go (waitRestart)).
 */
const START_TASK = new Interned((task) => ({ actor: 'restart', kind: 'start-task', task }));
const RESTART_TASK = new Interned((task) => ({ actor: 'restart', kind: 'restart-task', task }));
const SHUTDOWN_TASK = new Interned((task) => ({ actor: 'orchestrator', kind: 'shutdown-task', task }));

// The list is a pure function of the task list, now, each service's id and spec, and each node's id,
// status, availability and the fields placement constraints read (hostname, role, os, arch, labels,
// engine labels: nodeMatches); restartDecision and delayedStartDue read nothing else. It is replayed
// while a step leaves all of those alone: about half the random-run steps (most node updates are
// event flags, dispatcher timers and partitions).
const lastRestart = new LastActions<readonly Task[], RestartInputs>();

/** The inputs besides the task list, as one object kept while they stay equivalent. */
interface RestartInputs {
  nodes: readonly Node[];
  services: readonly Service[];
  now: number;
}
let inputs: RestartInputs = { nodes: [], services: [], now: -1 };

function restartInputs(s: State): RestartInputs {
  const c = inputs;
  if (c.now === s.now && sameNodeFacts(c.nodes, s.nodes) && sameSpecs(c.services, s.services)) {
    // Equivalent: later comparisons start from the newer arrays (usually the next state's own).
    c.nodes = s.nodes;
    c.services = s.services;
    return c;
  }
  inputs = { nodes: s.nodes, services: s.services, now: s.now };
  return inputs;
}

function sameNodeFacts(a: readonly Node[], b: readonly Node[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (
      x !== y &&
      (x.id !== y.id ||
        x.status !== y.status ||
        x.availability !== y.availability ||
        x.hostname !== y.hostname ||
        x.role !== y.role ||
        x.os !== y.os ||
        x.arch !== y.arch ||
        x.labels !== y.labels ||
        x.engineLabels !== y.engineLabels)
    )
      return false;
  }
  return true;
}

function sameSpecs(a: readonly Service[], b: readonly Service[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].id !== b[i].id || a[i].spec !== b[i].spec) return false;
  return true;
}

export function restartEnabled(s: State, out: ActionList): void {
  const tasks = s.tasks;
  const key = restartInputs(s);
  if (lastRestart.replay(tasks, key, out)) return;
  const from = out.length;
  listRestarts(s, out);
  lastRestart.remember(tasks, key, out, from);
}

function listRestarts(s: State, out: ActionList): void {
  const tasks = s.tasks;
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i];
    if (t.desired === 'ready') {
      if (t.delayed !== null) {
        if (delayedStartDue(s, t)) out.push(START_TASK.of(t.id));
        continue;
      }
      // READY with no delayed start: a new leader found it failed (model/leadership.ts); FixTask
      // queues it like any failed task.
    } else if (t.desired !== 'running') continue;
    const r = restartDecision(s, t);
    if (r === 'restart') out.push(RESTART_TASK.of(t.id));
    else if (r === 'shutdown') out.push(SHUTDOWN_TASK.of(t.id));
  }
}

export function restartDecision(s: State, t: Task): 'restart' | 'shutdown' | null {
  if (rank(t.desired) > RUNNING || t.delayed !== null) return null;
  const svc = serviceById(s.services, t.serviceId);
  if (!svc) return null;
  const failed = rank(t.observed) > RUNNING;
  if (svc.spec.mode === 'replicated') {
    if (failed) return 'restart';
    if (t.nodeId === '') return null;
    return invalidNode(nodeById(s.nodes, t.nodeId)) ? 'restart' : null;
  }
  if (!failed) return null;
  const n = nodeById(s.nodes, t.nodeId);
  if (invalidNode(n)) return null;
  if (n!.availability === 'pause' || !nodeMatchesExprs(svc.spec.task.placement.constraints, n!))
    return 'shutdown';
  return 'restart';
}

export function restartStep(s: State, a: Action & { actor: 'restart' }): State | string {
  const tx = new Tx(s);
  const t = tx.task(a.task);
  if (!t) return `no such task ${a.task}`;
  if (a.kind === 'start-task') {
    if (!delayedStartDue(s, t)) return `task ${t.id} is not due to start`;
    // moby/swarmkit:manager/orchestrator/restart/restart.go (StartNow): READY → RUNNING, only raising.
    tx.updateTask(t.id, { desired: 'running', delayed: null });
    return tx.commit();
  }
  if (restartDecision(s, t) !== 'restart') return `task ${t.id} is not to be restarted`;
  restartTask(tx, t, tx.service(t.serviceId)!);
  return tx.commit();
}
