/**
 * Matching one model step against the spec: is `to` reachable from `from` by TLA steps?
 *
 * One SwarmKit component action is often several spec actions at once: the allocator moves every NEW
 * task of a commit to PENDING in one batch (AllocateTask per task), a scheduler pass assigns many
 * tasks (Scheduler per task), a reaper pass deletes several (Reaper per task), a scale-down marks
 * several slots (RequestRemoval per slot), the agent shuts down a task that never started
 * (ProgressTask up to `running`, then ShutdownComplete). So a model step refines the spec when its
 * projection is a stutter, one spec step, or a short *sequence* of spec steps. The search only
 * follows spec steps that bring the state strictly closer to the target (a distance over task
 * states, desired states, nodes and services that every spec action changes by at least one), so it
 * is finite and small; any path it returns is a genuine behaviour of the spec.
 */
import type { Model } from '../explore/model.ts';
import type { Vars } from '../tla/state.ts';
import { desired, Id, node, REMOVE, removeOf, replicasOf, State } from '../tla/Types.ts';

function popcount(x: number): number {
  let n = 0;
  for (; x !== 0; x &= x - 1) n++;
  return n;
}

/** A distance from `u` to the fixed target; 0 iff equal (nEvents aside). */
export class Distance {
  private readonly byId = new Map<number, number>();
  constructor(private readonly target: Vars) {
    for (const t of target.tasks) this.byId.set(Id(t), t);
  }

  of(u: Vars): number {
    const to = this.target;
    let d = popcount(u.nodes ^ to.nodes);
    for (let i = 0; i < u.services.length; i++) d += serviceDistance(u.services[i], to.services[i]);
    const seen = new Set<number>();
    for (const t of u.tasks) {
      const id = Id(t);
      const b = this.byId.get(id);
      if (b === undefined) {
        // To be deleted: CleanupTerminated/RequestRemoval (desired → remove), then Reaper.
        d += 1 + (desired(t) === REMOVE ? 0 : 1);
        continue;
      }
      seen.add(id);
      d +=
        Math.abs(State(t) - State(b)) + (desired(t) !== desired(b) ? 1 : 0) + (node(t) !== node(b) ? 1 : 0);
    }
    // To be created: a new task is `new` (state 0), so creation leaves at most state + 2.
    for (const [id, b] of this.byId) if (!seen.has(id)) d += 3 + State(b);
    return d;
  }
}

function serviceDistance(a: number, b: number): number {
  if (a === b) return 0;
  // An absent service counts as [replicas |-> 0, remove |-> TRUE] plus one for its absence.
  const ra = a < 0 ? 0 : replicasOf(a);
  const rb = b < 0 ? 0 : replicasOf(b);
  const xa = a < 0 ? true : removeOf(a);
  const xb = b < 0 ? true : removeOf(b);
  return (a < 0 !== b < 0 ? 1 : 0) + (ra !== rb ? 1 : 0) + (xa !== xb ? 1 : 0);
}

export interface PathResult {
  /** Action labels of the spec steps, in order ([] for a stutter); null if no path was found. */
  path: number[] | null;
  /** Spec states the search visited. */
  visited: number;
}

/** Depth-first search for a spec path from `from` to `to` along strictly decreasing distance. */
export function findPath(model: Model<Vars>, from: Vars, to: Vars, maxVisited = 20_000): PathResult {
  const dist = new Distance(to);
  const buf = new Int32Array(model.maxWords);
  const key = (v: Vars): string => {
    const n = model.encode(v, buf);
    let k = '';
    for (let i = 0; i < n; i++) k += `${buf[i]},`;
    return k;
  };
  const failed = new Set<string>();
  let visited = 0;
  const dfs = (u: Vars, d: number): number[] | null => {
    if (d === 0) return [];
    if (++visited > maxVisited) return null;
    const succ: { a: number; n: Vars; d: number }[] = [];
    try {
      model.successors(u, (a, n) => {
        const dn = dist.of(n);
        if (dn < d) succ.push({ a, n, d: dn });
      });
    } catch {
      return null; // a spec assertion or domain error: no step from here
    }
    succ.sort((x, y) => x.d - y.d);
    for (const x of succ) {
      const k = key(x.n);
      if (failed.has(k)) continue;
      const rest = dfs(x.n, x.d);
      if (rest !== null) return [x.a, ...rest];
      failed.add(k);
    }
    return null;
  };
  const path = dfs(from, dist.of(from));
  return { path, visited };
}
