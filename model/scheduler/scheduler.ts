/**
 * The scheduler: one action is one scheduling pass (moby/swarmkit:manager/scheduler/scheduler.go (tick)).
 *
 * A pass first validates preassigned (global) tasks against their node (processPreassignedTasks,
 * taskFitNode), then schedules unassigned PENDING tasks grouped by (service, spec version)
 * (scheduleTaskGroup): build the decision tree over placement preferences (nodeset.go (tree)), split
 * the group over branches (scheduleNTasksOnSubtree), fill each leaf with SwarmKit's exact loop
 * (scheduleNTasksOnNodes); what is left stays PENDING with "no suitable node (…)" (noSuitableNode).
 *
 * Where SwarmKit's order is arbitrary (Go map iteration: groups, tasks inside a group, branches of
 * the tree, equally ranked nodes), the model is deterministic: groups and tasks in task creation
 * order, branches in order of first appearance among nodes in creation order, equal nodes in node
 * creation (join) order. The property suite may later expose these as choices.
 *
 * Passes are event-driven in SwarmKit (a task or node change, debounced 50 ms); there is no periodic
 * retry. The model enables a pass when some task is PENDING and a task/node change happened since
 * the last pass (State.schedulerPending).
 */
import type { Action, ActionList } from '../actions.ts';
import type { Service, State, Task } from '../state.ts';
import { Tx } from '../tx.ts';
import { spreadValue } from './constraint.ts';
import { addTask, buildNodeInfos, countRecentFailures, MAX_FAILURES, type NodeInfo } from './nodeInfo.ts';
import { Pipeline } from './pipeline.ts';

// Actions are immutable values: the one scheduler action is shared.
const SCHEDULE: Action = { actor: 'scheduler', kind: 'schedule' };

// Whether some task is PENDING is a function of the task list alone: remembered for the last list
// (immutable) seen, since most steps leave the tasks alone while the scheduler flag stays set.
let lastTasks: readonly Task[] | null = null;
let lastAnyPending = false;

export function schedulerEnabled(s: State, out: ActionList): void {
  if (!s.schedulerPending) return;
  if (s.tasks !== lastTasks) {
    lastTasks = s.tasks;
    lastAnyPending = s.tasks.some((t) => t.observed === 'pending');
  }
  if (lastAnyPending) out.push(SCHEDULE);
}

export function schedulerStep(s: State, _a: Action & { actor: 'scheduler' }): State | string {
  if (!s.schedulerPending) return 'nothing changed since the last scheduling pass';
  const tx = new Tx(s);
  schedulePass(tx);
  tx.schedulerPending = false;
  return tx.commit();
}

interface Ctx {
  tx: Tx;
  infos: Map<string, NodeInfo>;
  pipeline: Pipeline;
}

export function schedulePass(tx: Tx): void {
  const s = tx.base;
  const ctx: Ctx = { tx, infos: buildNodeInfos(s), pipeline: new Pipeline() };
  const pending = s.tasks.filter((t) => t.observed === 'pending');
  // Preassigned tasks first (scheduler.go (tick → processPreassignedTasks)).
  for (const t of pending) if (t.nodeId !== '') fitPreassigned(ctx, t);
  // Unassigned tasks of existing services, grouped by (service, spec version).
  const groups = new Map<string, Task[]>();
  for (const t of pending) {
    if (t.nodeId !== '') continue;
    const key = `${t.serviceId}@${t.specVersion}`;
    const g = groups.get(key);
    if (g) g.push(t);
    else groups.set(key, [t]);
  }
  for (const g of groups.values()) scheduleTaskGroup(ctx, g);
}

/** moby/swarmkit:manager/scheduler/scheduler.go (taskFitNode). */
function fitPreassigned(ctx: Ctx, t: Task): void {
  const ni = ctx.infos.get(t.nodeId);
  if (!ni) return; // node gone: nothing to decide
  ctx.pipeline.setTask(t);
  if (!ctx.pipeline.process(ni)) {
    const err = ctx.pipeline.explain();
    if (t.err !== err) ctx.tx.updateTask(t.id, { err, statusAt: ctx.tx.now });
    return;
  }
  const assigned = ctx.tx.setObserved(
    t.id,
    'assigned',
    'scheduler confirmed task can run on preassigned node',
    { err: '' },
  );
  addTask(ni, assigned);
}

interface Tree {
  tasks: number;
  next: Map<string, Tree> | null;
  nodes: NodeInfo[];
  /** The leaf's nodes were handed out once already (decision_tree.go: the heap was collapsed). */
  ordered: boolean;
}

/**
 * nodeLess for one task group, and the model's tie-break (node creation order) for where SwarmKit's
 * order of equal nodes is Go's map order. A class rather than closures: tsx (esbuild keepNames)
 * renames every named closure at creation, a defineProperty each.
 */
class NodeOrder {
  /** Recent failures per node id for this group's (service, spec version), computed on first use. */
  private readonly failures = new Map<string, number>();
  constructor(
    private readonly s: State,
    private readonly t: Task,
  ) {}

  /** The scheduler's memory at the start of the group (scheduleTaskGroup takes `now` once). */
  private fails(ni: NodeInfo): number {
    const memory = this.s.schedulerFailures;
    if (memory.length === 0) return 0;
    let f = this.failures.get(ni.node.id);
    if (f === undefined) {
      f = countRecentFailures(memory, ni.node.id, this.t, this.s.now);
      this.failures.set(ni.node.id, f);
    }
    return f;
  }

  /**
   * scheduler.go (scheduleTaskGroup: nodeLess) exactly: strict, so false for nodes equal on recent
   * failures (when they matter), tasks of the service and tasks in all. The fill loop asks this one.
   */
  nodeLess(a: NodeInfo, b: NodeInfo): boolean {
    const fa = this.fails(a);
    const fb = this.fails(b);
    if (fa >= MAX_FAILURES || fb >= MAX_FAILURES) {
      if (fa > fb) return false;
      if (fb > fa) return true;
    }
    const serviceId = this.t.serviceId;
    const sa = a.activeByService.get(serviceId) ?? 0;
    const sb = b.activeByService.get(serviceId) ?? 0;
    if (sa !== sb) return sa < sb;
    return a.activeTasks < b.activeTasks;
  }

  /**
   * nodeLess, equal nodes in creation order: for sorting a leaf and for choosing which of equal nodes
   * a leaf keeps, where SwarmKit's outcome follows Go's map order (nodeset.go (tree), decision_tree.go).
   */
  less(a: NodeInfo, b: NodeInfo): boolean {
    return this.nodeLess(a, b) || (!this.nodeLess(b, a) && a.order < b.order);
  }
}

/** moby/swarmkit:manager/scheduler/scheduler.go (scheduleTaskGroup). */
function scheduleTaskGroup(ctx: Ctx, group: Task[]): void {
  const s = ctx.tx.base;
  const t = group[0];
  const svc = s.services.find((x) => x.id === t.serviceId);
  ctx.pipeline.setTask(t);
  const order = new NodeOrder(s, t);
  const remaining = group.slice();
  const tree = buildTree(ctx, t.serviceId, t.spec.placement.preferences, remaining.length, order);
  scheduleOnSubtree(ctx, remaining.length, remaining, tree, order);
  if (remaining.length > 0) noSuitableNode(ctx, remaining, svc);
}

/** moby/swarmkit:manager/scheduler/nodeset.go (tree): only the n best passing nodes are kept per leaf. */
function buildTree(ctx: Ctx, serviceId: string, prefs: readonly string[], n: number, order: NodeOrder): Tree {
  const root: Tree = { tasks: 0, next: null, nodes: [], ordered: false };
  if (n === 0) return root;
  for (const ni of ctx.infos.values()) {
    let tree = root;
    const count = ni.activeByService.get(serviceId) ?? 0;
    for (const pref of prefs) {
      const value = spreadValue(pref, ni.node);
      if (value === null) continue; // not node.labels.* / engine.labels.*: skipped
      tree.tasks += count;
      if (tree.next === null) tree.next = new Map();
      let next = tree.next.get(value);
      if (!next) {
        next = { tasks: 0, next: null, nodes: [], ordered: false };
        tree.next.set(value, next);
      }
      tree = next;
    }
    tree.tasks += count;
    if (tree.nodes.length < n) {
      if (ctx.pipeline.process(ni)) tree.nodes.push(ni);
    } else {
      let worst = 0;
      for (let i = 1; i < tree.nodes.length; i++) if (order.less(tree.nodes[worst], tree.nodes[i])) worst = i;
      if (order.less(ni, tree.nodes[worst]) && ctx.pipeline.process(ni)) tree.nodes[worst] = ni;
    }
  }
  return root;
}

/** moby/swarmkit:manager/scheduler/scheduler.go (scheduleNTasksOnSubtree). */
function scheduleOnSubtree(ctx: Ctx, n: number, group: Task[], tree: Tree, order: NodeOrder): number {
  if (tree.next === null) {
    const nodes = orderedNodes(ctx, tree, order);
    if (nodes.length === 0) return 0;
    return scheduleOnNodes(ctx, n, group, nodes, order);
  }
  let scheduled = 0;
  let inUsable = tree.tasks;
  const noRoom = new Set<Tree>();
  const branches = [...tree.next.values()];
  let converging = true;
  while (scheduled !== n && noRoom.size !== branches.length && converging) {
    const usable = branches.length - noRoom.size;
    const desired = Math.floor((inUsable + n - scheduled) / usable);
    let remainder = (inUsable + n - scheduled) % usable;
    converging = false;
    for (const sub of branches) {
      if (noRoom.has(sub)) continue;
      const subTasks = sub.tasks;
      if (subTasks < desired || (subTasks === desired && remainder > 0)) {
        converging = true;
        let toAssign = desired - subTasks;
        if (remainder > 0) toAssign++;
        const res = scheduleOnSubtree(ctx, toAssign, group, sub, order);
        if (res < toAssign) {
          noRoom.add(sub);
          inUsable -= subTasks;
        } else if (remainder > 0) remainder--;
        scheduled += res;
      }
    }
  }
  return scheduled;
}

/**
 * moby/swarmkit:manager/scheduler/decision_tree.go (orderedNodes): a leaf's nodes, best first. A leaf
 * asked again in a later round of scheduleNTasksOnSubtree first runs its nodes through the filters
 * once more (in their last order, a failing node replaced by the last one), since the tasks it took
 * may have used a node up; those that fail are dropped from the leaf.
 */
function orderedNodes(ctx: Ctx, tree: Tree, order: NodeOrder): NodeInfo[] {
  const nodes = tree.nodes;
  if (tree.ordered) {
    for (let i = 0; i < nodes.length; ) {
      if (ctx.pipeline.process(nodes[i])) i++;
      else {
        nodes[i] = nodes[nodes.length - 1];
        nodes.pop();
      }
    }
  }
  tree.ordered = true;
  return nodes.sort((a, b) => (order.less(a, b) ? -1 : order.less(b, a) ? 1 : 0));
}

/** moby/swarmkit:manager/scheduler/scheduler.go (scheduleNTasksOnNodes), step for step. */
function scheduleOnNodes(ctx: Ctx, n: number, group: Task[], nodes: NodeInfo[], order: NodeOrder): number {
  let scheduled = 0;
  const failed = new Set<number>();
  let iter = 0;
  const count = nodes.length;
  while (group.length > 0) {
    const t = group.shift()!;
    const ni = nodes[iter % count];
    const assigned = ctx.tx.updateTask(t.id, {
      nodeId: ni.node.id,
      observed: 'assigned',
      statusAt: ctx.tx.now,
      message: 'scheduler assigned task to node',
      err: '',
    });
    addTask(ni, assigned);
    scheduled++;
    if (scheduled === n) return scheduled;
    if (iter + 1 < count) {
      // First pass: move on only to a node strictly better than this one (nodeLess); on a tie the
      // same node takes the next task too.
      if (order.nodeLess(nodes[(iter + 1) % count], ni)) iter++;
    } else iter++;
    const orig = iter;
    while (failed.has(iter % count) || !ctx.pipeline.process(nodes[iter % count])) {
      failed.add(iter % count);
      iter++;
      if (iter - orig === count) return scheduled;
    }
  }
  return scheduled;
}

/** moby/swarmkit:manager/scheduler/scheduler.go (noSuitableNode). */
function noSuitableNode(ctx: Ctx, tasks: Task[], svc: Service | undefined): void {
  if (!svc) return; // service gone: the task is just dropped from the queue
  const explanation = ctx.pipeline.explain();
  for (const t of tasks) {
    if (svc.version > t.specVersion) {
      // Obsolete spec version: only a task already desired ≥ SHUTDOWN is finished off, by the scheduler.
      if (t.desired === 'shutdown' || t.desired === 'remove')
        ctx.tx.setObserved(t.id, 'shutdown', t.message, { err: '' });
      continue;
    }
    const err = explanation !== '' ? `no suitable node (${explanation})` : 'no suitable node';
    if (t.err !== err) ctx.tx.updateTask(t.id, { err, statusAt: ctx.tx.now });
  }
}
