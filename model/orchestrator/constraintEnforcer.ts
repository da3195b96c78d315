/**
 * The constraint enforcer: moby/swarmkit:manager/orchestrator/constraintenforcer/constraint_enforcer.go
 * (rejectNoncompliantTasks). Runs on every node update event (and at leader start), only for ACTIVE
 * nodes. A task on the node with desired in ASSIGNED..COMPLETED and observed < COMPLETE is REJECTED
 * by the manager if the node no longer meets its service's current constraints, or if the node's
 * total CPU/memory cannot hold the reservations accumulated so far. SwarmKit walks the node's tasks in
 * store order (by random task id); the model walks them in creation order, so which task loses a
 * resource squeeze is deterministic here and arbitrary in SwarmKit.
 */
import { nodeMatchesExprs } from '../scheduler/constraint.ts';
import type { Node, State, Task } from '../state.ts';
import { rank } from '../taskState.ts';
import type { Tx } from '../tx.ts';

export function noncompliantTasks(
  s: { tasks: readonly Task[]; services: State['services'] },
  node: Node,
): Task[] {
  if (node.availability !== 'active') return [];
  let cpu = node.nanoCpus;
  let mem = node.memoryBytes;
  const out: Task[] = [];
  for (const t of s.tasks) {
    if (t.nodeId !== node.id) continue;
    // SwarmKit skips desired < ASSIGNED too; no component ever sets a desired state below READY.
    if (rank(t.desired) > rank('complete')) continue;
    if (rank(t.observed) >= rank('complete')) continue;
    const svc = s.services.find((x) => x.id === t.serviceId);
    const constraints = svc ? svc.spec.task.placement.constraints : t.spec.placement.constraints;
    if (!nodeMatchesExprs(constraints, node)) {
      out.push(t);
      continue;
    }
    const r = t.spec.reservations;
    if (r.memoryBytes > mem || r.nanoCpus > cpu) {
      out.push(t);
      continue;
    }
    mem -= r.memoryBytes;
    cpu -= r.nanoCpus;
  }
  return out;
}

export function enforce(tx: Tx, node: Node): void {
  for (const t of noncompliantTasks(tx, node)) {
    tx.setObserved(t.id, 'rejected', 'task rejected by constraint enforcer', {
      err: 'assigned node no longer meets constraints',
    });
  }
}
