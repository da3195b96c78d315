/**
 * Small, independent re-statements of Swarm rules that the invariants need as an oracle. They are
 * deliberately NOT imported from model/: a property that asks the model whether the model is right
 * cannot fail. Each is short enough to check against its SwarmKit source by eye.
 */
import type { Node, State, Task } from '../model/index.ts';
import { rank } from '../model/taskState.ts';

/**
 * Does `node` satisfy one placement constraint? moby/swarmkit:manager/constraint/constraint.go
 * (Parse, NodeMatches): `key==value` or `key!=value`; values compare case-insensitively; a missing
 * label (or attribute) compares as ""; an unknown key never matches.
 */
export function constraintMatches(expr: string, node: Node): boolean {
  const eq = expr.indexOf('==');
  const ne = expr.indexOf('!=');
  const isEq = eq >= 0;
  const at = isEq ? eq : ne;
  if (at < 0) return false;
  const key = expr.slice(0, at).trim();
  const want = expr
    .slice(at + 2)
    .trim()
    .toLowerCase();
  let have: string | undefined;
  const lk = key.toLowerCase();
  if (lk === 'node.id') have = node.id;
  else if (lk === 'node.hostname') have = node.hostname;
  else if (lk === 'node.role') have = node.role;
  else if (lk === 'node.platform.os') have = node.os;
  else if (lk === 'node.platform.arch') have = node.arch;
  else if (lk.startsWith('node.labels.')) have = node.labels[key.slice('node.labels.'.length)] ?? '';
  else if (lk.startsWith('engine.labels.'))
    have = node.engineLabels[key.slice('engine.labels.'.length)] ?? '';
  else return false;
  const same = (have ?? '').toLowerCase() === want;
  return isEq ? same : !same;
}

export const constraintsMatch = (exprs: readonly string[], node: Node): boolean =>
  exprs.every((e) => constraintMatches(e, node));

const ASSIGNED = rank('assigned');
const RUNNING = rank('running');

/**
 * Tasks the scheduler counts on a node: bound to it and not yet past RUNNING (a task desired
 * SHUTDOWN still holds its reservation and host ports until it stops; moby/swarmkit:manager/scheduler/nodeinfo.go (addTask, removeTask)).
 */
export function tasksHeldBy(s: State, nodeId: string): Task[] {
  return s.tasks.filter(
    (t) => t.nodeId === nodeId && rank(t.observed) >= ASSIGNED && rank(t.observed) <= RUNNING,
  );
}

/** A node where the scheduler may place new tasks: moby/swarmkit:manager/scheduler/filter.go (ReadyFilter). */
export const schedulable = (n: Node): boolean => n.status === 'ready' && n.availability === 'active';

/** A task that is actually running and meant to (what `docker service ls` counts as a running replica). */
export const runningAsDesired = (t: Task): boolean => t.observed === 'running' && t.desired === 'running';

export function nodeById(s: State, id: string): Node | undefined {
  for (const n of s.nodes) if (n.id === id) return n;
  return undefined;
}
