/**
 * The scheduler's per-node bookkeeping: moby/swarmkit:manager/scheduler/nodeinfo.go (NodeInfo, addTask).
 *
 * Built fresh from the store at each scheduling pass (SwarmKit keeps it incrementally; the content is
 * the same): a node tracks its tasks observed ASSIGNED..RUNNING (moby/swarmkit:manager/scheduler/scheduler.go
 * (setupTasksList, updateTask): tasks < PENDING or > RUNNING do not consume resources; PENDING ones are
 * queued, not counted). Reservations and host ports stay held by a task desired SHUTDOWN until it is
 * observed stopped; only tasks desired ≤ COMPLETED count as "active".
 */
import type { Node, RecentFailures, State, Task } from '../state.ts';
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

// moby/swarmkit:manager/scheduler/scheduler.go (maxFailures, monitorFailures).
export const MAX_FAILURES = 5;
export const MONITOR_FAILURES_MS = 5 * 60 * 1000;

const PENDING = rank('pending');

/**
 * The scheduler's failure memory, fed by one store update: task `before` (as the scheduler last saw
 * it) becomes FAILED or REJECTED at `now`. Returns the new memory, or `failures` itself when the
 * scheduler records nothing.
 *
 * When it records (moby/swarmkit:manager/scheduler/scheduler.go (updateTask)): only for a task it was
 * tracking (observed PENDING..RUNNING before the update; it forgets tasks past RUNNING), not one it saw
 * pending with a node already set ("preassigned": it did not choose that node), and only on a node in
 * its node set (nodeSet.nodeInfo). Any writer counts: agent reports and the constraint enforcer alike.
 * Preassigned tasks are global ones in the model (replicated tasks get their node from the scheduler),
 * so slot 0 stands for the set SwarmKit keeps. SwarmKit's set only holds tasks this scheduler saw
 * pending, so after a failover a global task already running does get recorded; the model leaves it
 * out, which no rule can tell: ranking reads the memory only for unassigned tasks, a global service
 * never has one, and a service cannot change mode (controlapi/service.go (UpdateService)).
 *
 * What it records (nodeinfo.go (taskFailed)): under (service, spec version), the failures at least
 * monitorFailures old are dropped from the front and `now` is appended. SwarmKit also sweeps the node's
 * other keys, at most every monitorFailures (cleanupFailures, dropping keys with nothing younger than
 * the window); the model sweeps on every record but only keys whose newest failure is strictly older
 * than the window, which countRecentFailures never counts. The two differ only when a sweep falls on
 * the very instant a key's newest failure turns 5 minutes old.
 */
export function taskFailed(
  failures: RecentFailures[],
  nodes: readonly Node[],
  before: Task,
  now: number,
): RecentFailures[] {
  const o = rank(before.observed);
  if (o < PENDING || o > RUNNING || before.slot === 0) return failures;
  let known = false;
  for (let i = 0; i < nodes.length && !known; i++) known = nodes[i].id === before.nodeId;
  if (!known) return failures;
  const out: RecentFailures[] = [];
  let found = false;
  for (const f of failures) {
    if (f.node !== before.nodeId) out.push(f);
    else if (f.serviceId === before.serviceId && f.specVersion === before.specVersion) {
      found = true;
      let expired = 0;
      while (expired < f.at.length && now - f.at[expired] >= MONITOR_FAILURES_MS) expired++;
      const at = f.at.slice(expired);
      at.push(now);
      out.push({ node: f.node, serviceId: f.serviceId, specVersion: f.specVersion, at });
    } else if (now - f.at[f.at.length - 1] <= MONITOR_FAILURES_MS) out.push(f);
  }
  if (!found)
    out.push({
      node: before.nodeId,
      serviceId: before.serviceId,
      specVersion: before.specVersion,
      at: [now],
    });
  return out;
}

/**
 * moby/swarmkit:manager/scheduler/nodeinfo.go (countRecentFailures): failures of this service and spec
 * version on the node at most monitorFailures old (one exactly 5 minutes old still counts).
 */
export function countRecentFailures(
  failures: readonly RecentFailures[],
  nodeId: string,
  t: Task,
  now: number,
): number {
  for (const f of failures) {
    if (f.node !== nodeId || f.serviceId !== t.serviceId || f.specVersion !== t.specVersion) continue;
    let n = 0;
    for (let i = f.at.length - 1; i >= 0 && now - f.at[i] <= MONITOR_FAILURES_MS; i--) n++;
    return n;
  }
  return 0;
}
