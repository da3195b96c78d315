/**
 * Helpers every orchestrator shares: creating a task, whether a node is invalid, whether a task is out
 * of date. moby/swarmkit:manager/orchestrator/task.go.
 */
import { nodeMatchesExprs } from '../scheduler/constraint.ts';
import type { Node, Service, Task } from '../state.ts';
import type { Tx } from '../tx.ts';

/**
 * moby/swarmkit:manager/orchestrator/task.go (NewTask): observed NEW ("created"), desired RUNNING,
 * a copy of the service's TaskSpec, SpecVersion and endpoint; NodeID preset only for global tasks.
 */
export function newTask(tx: Tx, svc: Service, slot: number, nodeId: string): Task {
  return {
    id: tx.newId('t'),
    serviceId: svc.id,
    slot,
    nodeId,
    observed: 'new',
    desired: 'running',
    specVersion: svc.version,
    spec: svc.spec.task,
    ports: svc.ports,
    createdAt: tx.now,
    seq: tx.seq,
    statusAt: tx.now,
    message: 'created',
    err: '',
    exitCode: null,
    delayed: null,
    containerLost: false,
  };
}

/** moby/swarmkit:manager/orchestrator/task.go (InvalidNode): deleted, DOWN, or drained. */
export function invalidNode(n: Node | undefined): boolean {
  return n === undefined || n.status === 'down' || n.availability === 'drain';
}

/**
 * moby/swarmkit:manager/orchestrator/task.go (IsTaskDirty), simplified to what the model's specs carry:
 * same spec version → clean; otherwise clean iff the task spec and endpoint are equal to the service's
 * except for Placement, and the task's node satisfies the new constraints. (Image pull-option
 * differences do not exist in the model's spec.)
 */
export function isTaskDirty(svc: Service, t: Task, n: Node | undefined): boolean {
  if (t.specVersion === svc.version) return false;
  const a = svc.spec.task;
  const b = t.spec;
  const { placement: pa, ...ra } = a;
  const { placement: pb, ...rb } = b;
  if (JSON.stringify(ra) !== JSON.stringify(rb)) return true;
  if (JSON.stringify(svc.ports) !== JSON.stringify(t.ports)) return true;
  if (JSON.stringify(pa) === JSON.stringify(pb)) return false;
  return !(n !== undefined && nodeMatchesExprs(pa.constraints, n));
}
