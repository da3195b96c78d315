/**
 * Name lookups, as the docker CLI resolves references: nodes by id or hostname, services by id or
 * name, tasks by id or by the name `docker service ps` shows (`web.2`, `web.<hostname>`).
 */
import type { Node, Service, State, Task } from './state.ts';
import { rank } from './taskState.ts';

export function findNode(s: State, ref: string): Node | undefined {
  return s.nodes.find((n) => n.id === ref) ?? s.nodes.find((n) => n.hostname === ref);
}

export function findService(s: State, ref: string): Service | undefined {
  // By full ID, then by the exact name: names are unique case-insensitively
  // (moby/swarmkit:manager/state/store/services.go), but ListServices keeps only exact matches
  // (manager/controlapi/service.go (ListServices): filterContains), so `WEB` does not find `web`.
  return s.services.find((x) => x.id === ref) ?? s.services.find((x) => x.spec.name === ref);
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
