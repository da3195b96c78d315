/**
 * The global orchestrator: moby/swarmkit:manager/orchestrator/global/global.go.
 *
 * Tracked nodes = nodes that are neither drained nor DOWN (updateNode). A tracked node that is not
 * paused and meets the service's constraints gets one task (created with its NodeID preset; the
 * scheduler only confirms it, §5.8). Resources, platform, host ports and readiness are the
 * scheduler's business, not the orchestrator's.
 *
 * Node iteration: SwarmKit ranges over a Go map (arbitrary order); the model uses node creation
 * order. The order only affects task id numbering, not which tasks exist.
 */
import { nodeMatchesExprs } from '../scheduler/constraint.ts';
import type { Node, Service, Task } from '../state.ts';
import type { Tx } from '../tx.ts';
import { updatableTasksInSlot } from './restart.ts';
import { isTaskDirty, newTask } from './task.ts';
import { supervisorUpdate } from './updater.ts';

/** global.go (updateNode): drained or DOWN nodes are not tracked. */
export const tracked = (n: Node): boolean => n.availability !== 'drain' && n.status !== 'down';

function shutdown(tx: Tx, tasks: readonly Task[]): void {
  // global.go (shutdownTask): only raises desired state, to SHUTDOWN.
  for (const t of tasks) tx.raiseDesired(t.id, 'shutdown');
}

/** global.go (reconcileServices) for one service; the nodes that already have tasks go to the update supervisor. */
export function reconcileGlobal(tx: Tx, svc: Service): void {
  const byNode = new Map<string, Task[]>();
  for (const t of tx.tasks) {
    if (t.serviceId !== svc.id) continue;
    const l = byNode.get(t.nodeId);
    if (l) l.push(t);
    else byNode.set(t.nodeId, [t]);
  }
  // A node whose tasks are all dead maps to [] and is treated like a node without tasks.
  const updatable = new Map<string, Task[]>();
  for (const [nodeId, slot] of byNode)
    updatable.set(nodeId, updatableTasksInSlot(tx.restartHistory, slot, svc));
  const constraints = svc.spec.task.placement.constraints;
  const updateTasks: Task[][] = [];
  for (const n of tx.nodes) {
    if (!tracked(n)) continue;
    const ntasks = updatable.get(n.id) ?? [];
    updatable.delete(n.id);
    if (!nodeMatchesExprs(constraints, n)) {
      shutdown(tx, ntasks);
      continue;
    }
    if (n.availability === 'pause') continue;
    if (ntasks.length === 0) tx.addTask(newTask(tx, svc, 0, n.id));
    else updateTasks.push(ntasks);
  }
  // Tasks on nodes that are not tracked (drained, DOWN, deleted).
  for (const ntasks of updatable.values()) shutdown(tx, ntasks);
  // After the batch, and only when some node has tasks (global.go: `if len(updateTasks) > 0`).
  if (updateTasks.length > 0) supervisorUpdate(tx, svc, updateTasks);
}

/** global.go (reconcileOneNode): a node was created or updated. */
export function reconcileNode(tx: Tx, node: Node): void {
  const onNode = tx.tasks.filter((t) => t.nodeId === node.id);
  const globals = tx.services.filter((s) => s.spec.mode === 'global');
  if (node.availability === 'drain' || node.status === 'down') {
    // No replacement anywhere: a global task belongs to its node.
    shutdown(
      tx,
      onNode.filter((t) => globals.some((s) => s.id === t.serviceId)),
    );
    return;
  }
  if (node.availability === 'pause') return;
  for (const svc of globals) {
    if (!nodeMatchesExprs(svc.spec.task.placement.constraints, node)) continue; // the constraint enforcer evicts
    const slot = onNode.filter((t) => t.serviceId === svc.id);
    // A node that missed an update catches up at once, not as a rolling update. No clean task (none
    // at all, or only dirty ones) → a new task.
    const up = updatableTasksInSlot(tx.restartHistory, slot, svc);
    const dirty = up.filter((t) => isTaskDirty(svc, t, node));
    const clean = up.filter((t) => !isTaskDirty(svc, t, node));
    if (clean.length === 0) tx.addTask(newTask(tx, svc, 0, node.id));
    else dirty.push(...clean.slice(1));
    shutdown(tx, dirty);
  }
}

/** global.go (EventDeleteNode → foreachTaskFromNode(deleteTask)). */
export function deleteNodeGlobalTasks(tx: Tx, nodeId: string): void {
  const globals = new Set(tx.services.filter((s) => s.spec.mode === 'global').map((s) => s.id));
  for (const t of tx.tasks.filter((x) => x.nodeId === nodeId && globals.has(x.serviceId)))
    tx.deleteTask(t.id);
}
