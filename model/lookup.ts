/**
 * Name lookups: nodes, services, secrets and configs as the daemon resolves a docker command's
 * reference; tasks by id or by the name `docker service ps` shows (`web.2`, `web.<hostname>`).
 */
import type { Node, Service, State, Task } from './state.ts';
import { rank } from './taskState.ts';

/**
 * The daemon's resolution of a reference (moby/moby:daemon/cluster/helpers.go (getNode, getService,
 * getSecret, getConfig)): the object with that full ID; else the objects whose name is exactly the
 * reference (a node's name is its hostname; no case folding: the controlapi List calls keep only exact
 * matches, manager/controlapi/common.go (filterContains)); else the objects whose ID begins with it.
 * One match is the answer; otherwise the number of matches (0, or several: ambiguous).
 */
export function resolveRef<T extends { id: string }>(
  xs: readonly T[],
  ref: string,
  nameOf: (x: T) => string,
): T | number {
  const byId = xs.find((x) => x.id === ref);
  if (byId) return byId;
  let hits = xs.filter((x) => nameOf(x) === ref);
  if (hits.length === 0) hits = xs.filter((x) => x.id.startsWith(ref));
  return hits.length === 1 ? hits[0] : hits.length;
}

/** The daemon's error when a reference resolves to no object or to several (helpers.go). */
export function unresolved(kind: string, ref: string, matches: number): string {
  return matches === 0
    ? `${kind} ${ref} not found`
    : `${kind} ${ref} is ambiguous (${matches} matches found)`;
}

export const nodeName = (n: Node): string => n.hostname;
export const serviceName = (x: Service): string => x.spec.name;
export const objectName = (x: { name: string }): string => x.name;

/** The node a reference resolves to, if exactly one. */
export function findNode(s: State, ref: string): Node | undefined {
  const r = resolveRef(s.nodes, ref, nodeName);
  return typeof r === 'number' ? undefined : r;
}

/** The service a reference resolves to, if exactly one. */
export function findService(s: State, ref: string): Service | undefined {
  const r = resolveRef(s.services, ref, serviceName);
  return typeof r === 'number' ? undefined : r;
}

/**
 * `web.2` for slot 2 of replicated service web; `web.<hostname>` for a global task (DESIGN.md §4;
 * docker CLI names them so in `docker service ps`, SwarmKit's own name is `<service>.<nodeID>.<taskID>`,
 * moby/swarmkit:api/naming/naming.go (Task)). Falls back to the node id if the node is gone.
 */
export function taskName(s: State, t: Task): string {
  const svc = s.services.find((x) => x.id === t.serviceId);
  const name = svc ? svc.spec.name : t.serviceId;
  if (t.slot !== 0) return `${name}.${t.slot}`;
  const n = s.nodes.find((x) => x.id === t.nodeId);
  return `${name}.${n ? n.hostname : t.nodeId}`;
}

/**
 * A task id, or a task name; several tasks share a name (history), so the current one is returned:
 * the newest task whose desired state is ≤ RUNNING, else the newest task of that slot.
 */
export function findTask(s: State, ref: string): Task | undefined {
  const byId = s.tasks.find((t) => t.id === ref);
  if (byId) return byId;
  let best: Task | undefined;
  for (const t of s.tasks) {
    if (taskName(s, t) !== ref) continue;
    if (!best) {
      best = t;
      continue;
    }
    const tCur = rank(t.desired) <= rank('running');
    const bCur = rank(best.desired) <= rank('running');
    if ((tCur && !bCur) || (tCur === bCur && t.seq > best.seq)) best = t;
  }
  return best;
}
