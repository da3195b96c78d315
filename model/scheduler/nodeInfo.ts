/**
 * The scheduler's per-node bookkeeping: moby/swarmkit:manager/scheduler/nodeinfo.go (NodeInfo, addTask).
 *
 * Built fresh from the store at each scheduling pass (SwarmKit keeps it incrementally; the content is
 * the same): a node tracks its tasks observed ASSIGNED..RUNNING (moby/swarmkit:manager/scheduler/scheduler.go
 * (setupTasksList, updateTask): tasks < PENDING or > RUNNING do not consume resources; PENDING ones are
 * queued, not counted). Reservations and host ports stay held by a task desired SHUTDOWN until it is
 * observed stopped; only tasks desired ≤ COMPLETED count as "active".
 */
import type { Node, State, Task } from '../state.ts';
import { rank } from '../taskState.ts';

export interface NodeInfo {
  node: Node;
  /** Creation order of the node: the model's deterministic tie-break where SwarmKit uses Go map order. */
  order: number;
  availableCpu: number;
  availableMem: number;
  activeTasks: number;
  activeByService: Map<string, number>;
  /** `${protocol}/${publishedPort}` of host-mode published ports held by tracked tasks. */
  usedHostPorts: Set<string>;
}

const ASSIGNED = rank('assigned');
const RUNNING = rank('running');
const COMPLETE = rank('complete');

export function tracksTask(t: Task): boolean {
  const o = rank(t.observed);
  return t.nodeId !== '' && o >= ASSIGNED && o <= RUNNING;
}

export function buildNodeInfos(s: State): Map<string, NodeInfo> {
  const m = new Map<string, NodeInfo>();
  s.nodes.forEach((n, i) => {
    m.set(n.id, {
      node: n,
      order: i,
      availableCpu: n.nanoCpus,
      availableMem: n.memoryBytes,
      activeTasks: 0,
      activeByService: new Map(),
      usedHostPorts: new Set(),
    });
  });
  for (const t of s.tasks) {
    if (!tracksTask(t)) continue;
    const ni = m.get(t.nodeId);
    if (ni) addTask(ni, t);
  }
  return m;
}

/** moby/swarmkit:manager/scheduler/nodeinfo.go (addTask) for a task new to the node. */
export function addTask(ni: NodeInfo, t: Task): void {
  ni.availableCpu -= t.spec.reservations.nanoCpus;
  ni.availableMem -= t.spec.reservations.memoryBytes;
  for (const p of t.ports)
    if (p.mode === 'host' && p.publishedPort !== 0) ni.usedHostPorts.add(`${p.protocol}/${p.publishedPort}`);
  if (rank(t.desired) <= COMPLETE) {
    ni.activeTasks++;
    ni.activeByService.set(t.serviceId, (ni.activeByService.get(t.serviceId) ?? 0) + 1);
  }
}
