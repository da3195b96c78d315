/**
 * A store transaction over an immutable State: components read through it and write through it, and
 * `commit()` returns a new State that shares every array and object that did not change. This is the
 * model's stand-in for SwarmKit's `store.Update(func(tx) ...)`, and the place where store events are
 * turned into the event flags the leader's components react to (SwarmKit's watch queue):
 *
 * - a task created → the reaper marks its instance dirty (moby/swarmkit:manager/orchestrator/taskreaper/task_reaper.go (Run));
 * - a task deleted while desired ≤ RUNNING → the replicated orchestrator reconciles its service
 *   (moby/swarmkit:manager/orchestrator/replicated/tasks.go (handleTaskEvent));
 * - any task or node change → the scheduler has something to look at (moby/swarmkit:manager/scheduler/scheduler.go (Run));
 * - a task turning FAILED or REJECTED → the scheduler's failure memory (scheduler.go (updateTask));
 *   a node deleted → its memory goes with it (scheduler.go (Run): EventDeleteNode).
 */
import { taskFailed } from './scheduler/nodeInfo.ts';
import type { DynamicPortNext, Node, RecentFailures, RestartHistory, Service, State, Task } from './state.ts';
import { rank } from './taskState.ts';

export class Tx {
  readonly base: State;
  now: number;
  seq: number;
  nodes: Node[];
  services: Service[];
  tasks: Task[];
  restartHistory: RestartHistory[];
  reaperDirty: string[];
  schedulerPending: boolean;
  reaperPending: boolean;
  /** Replaced, never mutated (model/scheduler/nodeInfo.ts (taskFailed) builds a new array). */
  schedulerFailures: RecentFailures[];
  /** Replaced, never mutated (model/allocator.ts). */
  dynamicPortNext: DynamicPortNext;
  private nodesCopied = false;
  private servicesCopied = false;
  private tasksCopied = false;
  private dirtyCopied = false;
  /** Other top-level fields replaced wholesale (secrets, raft, ...). */
  patch: Partial<State> = {};

  constructor(s: State) {
    this.base = s;
    this.now = s.now;
    this.seq = s.seq;
    this.nodes = s.nodes;
    this.services = s.services;
    this.tasks = s.tasks;
    this.restartHistory = s.restartHistory;
    this.reaperDirty = s.reaperDirty;
    this.schedulerPending = s.schedulerPending;
    this.reaperPending = s.reaperPending;
    this.schedulerFailures = s.schedulerFailures;
    this.dynamicPortNext = s.dynamicPortNext;
  }

  newId(prefix: string): string {
    this.seq += 1;
    return internalized(`${prefix}${this.seq}`);
  }

  // ---- nodes ----
  nodeIndex(id: string): number {
    const ns = this.nodes;
    for (let i = 0; i < ns.length; i++) if (ns[i].id === id) return i;
    return -1;
  }
  node(id: string): Node | undefined {
    const i = this.nodeIndex(id);
    return i < 0 ? undefined : this.nodes[i];
  }
  setNode(i: number, n: Node): void {
    if (!this.nodesCopied) {
      this.nodes = this.nodes.slice();
      this.nodesCopied = true;
    }
    this.nodes[i] = n;
    this.schedulerPending = true;
  }
  updateNode(id: string, patch: Partial<Node>): Node {
    const i = this.nodeIndex(id);
    const n = mergeNode(this.nodes[i], patch);
    this.setNode(i, n);
    return n;
  }
  /**
   * A node update as a store event: besides the scheduler, the global orchestrator (reconcileOneNode)
   * and the constraint enforcer react to every node update (moby/swarmkit:manager/orchestrator/global/global.go (Run),
   * constraintenforcer/constraint_enforcer.go (Run)); the replicated orchestrator's reaction is a state
   * predicate (model/orchestrator/restart.ts).
   */
  nodeEvent(id: string, patch: Partial<Node>): Node {
    const i = this.nodeIndex(id);
    const n = mergeNode(this.nodes[i], patch);
    n.pending = { globalReconcile: true, enforce: true };
    this.setNode(i, n);
    return n;
  }
  addNode(n: Node): void {
    if (!this.nodesCopied) {
      this.nodes = this.nodes.slice();
      this.nodesCopied = true;
    }
    this.nodes.push(n);
    this.schedulerPending = true;
  }
  deleteNode(id: string): void {
    this.nodes = this.nodes.filter((n) => n.id !== id);
    this.nodesCopied = true;
    this.schedulerPending = true;
    if (this.schedulerFailures.some((f) => f.node === id))
      this.schedulerFailures = this.schedulerFailures.filter((f) => f.node !== id);
  }

  // ---- services ----
  serviceIndex(id: string): number {
    const ss = this.services;
    for (let i = 0; i < ss.length; i++) if (ss[i].id === id) return i;
    return -1;
  }
  service(id: string): Service | undefined {
    const i = this.serviceIndex(id);
    return i < 0 ? undefined : this.services[i];
  }
  setService(i: number, s: Service): void {
    if (!this.servicesCopied) {
      this.services = this.services.slice();
      this.servicesCopied = true;
    }
    this.services[i] = s;
  }
  updateService(id: string, patch: Partial<Service>): void {
    const i = this.serviceIndex(id);
    if (i >= 0) this.setService(i, mergeService(this.services[i], patch));
  }
  addService(s: Service): void {
    if (!this.servicesCopied) {
      this.services = this.services.slice();
      this.servicesCopied = true;
    }
    this.services.push(s);
  }
  deleteService(id: string): void {
    this.services = this.services.filter((s) => s.id !== id);
    this.servicesCopied = true;
  }
  /** Mark a service for the orchestrator's reconcile (a store event about it). */
  markReconcile(serviceId: string): void {
    const i = this.serviceIndex(serviceId);
    if (i >= 0 && !this.services[i].reconcile)
      this.setService(i, mergeService(this.services[i], { reconcile: true }));
  }

  // ---- tasks ----
  taskIndex(id: string): number {
    const ts = this.tasks;
    for (let i = 0; i < ts.length; i++) if (ts[i].id === id) return i;
    return -1;
  }
  task(id: string): Task | undefined {
    const i = this.taskIndex(id);
    return i < 0 ? undefined : this.tasks[i];
  }
  private copyTasks(): void {
    if (!this.tasksCopied) {
      this.tasks = this.tasks.slice();
      this.tasksCopied = true;
    }
  }
  setTask(i: number, t: Task): void {
    this.copyTasks();
    const before = this.tasks[i];
    this.tasks[i] = t;
    this.schedulerPending = true;
    this.reaperPending = true;
    // The leader's scheduler sees the update (there is one: every store write goes through a leader).
    if ((t.observed === 'failed' || t.observed === 'rejected') && before.observed !== t.observed)
      this.schedulerFailures = taskFailed(this.schedulerFailures, this.nodes, before, this.now);
  }
  updateTask(id: string, patch: Partial<Task>): Task {
    const i = this.taskIndex(id);
    const t = mergeTask(this.tasks[i], patch);
    this.setTask(i, t);
    return t;
  }
  /** Observed-state change with SwarmKit's status bookkeeping (timestamp, message). */
  setObserved(id: string, observed: Task['observed'], message: string, extra?: Partial<Task>): Task {
    // updateTask(id, { observed, statusAt, message, ...extra }) without spreading `extra` (V8's slow
    // generic path) into a fresh patch on every agent report.
    const i = this.taskIndex(id);
    const t = copyTask(this.tasks[i]);
    t.observed = observed;
    t.statusAt = this.now;
    t.message = message;
    if (extra !== undefined)
      for (const k in extra) (t as unknown as Record<string, unknown>)[k] = extra[k as keyof Task];
    this.setTask(i, t);
    return t;
  }
  /**
   * Raise desired state to SHUTDOWN or REMOVE; never lowers it (every SwarmKit writer checks this,
   * orchestration.md §1.2). READY → RUNNING is not a raise of this kind: it is StartNow, in
   * model/orchestrator/restart.ts and model/leadership.ts.
   */
  raiseDesired(id: string, desired: 'shutdown' | 'remove'): void {
    const t = this.task(id);
    // A pending delayed start dies with it: StartNow only ever raises READY (restart.go (StartNow)).
    if (t && rank(t.desired) < rank(desired)) this.updateTask(id, { desired, delayed: null });
  }
  addTask(t: Task): void {
    this.copyTasks();
    this.tasks.push(t);
    this.schedulerPending = true;
    this.reaperPending = true;
    this.markReaperDirty(instanceKey(t));
  }
  deleteTask(id: string): void {
    const i = this.taskIndex(id);
    if (i < 0) return;
    const t = this.tasks[i];
    this.copyTasks();
    this.tasks.splice(i, 1);
    this.schedulerPending = true;
    // moby/swarmkit:manager/orchestrator/replicated/tasks.go (handleTaskEvent): EventDeleteTask with
    // desired ≤ RUNNING → reconcile the service. The global orchestrator does the same
    // (moby/swarmkit:manager/orchestrator/global/global.go (Run): EventDeleteTask → reconcileServices).
    if (rank(t.desired) <= rank('running')) this.markReconcile(t.serviceId);
  }

  // ---- leader memory ----
  markReaperDirty(key: string): void {
    if (this.reaperDirty.includes(key)) return;
    if (!this.dirtyCopied) {
      this.reaperDirty = this.reaperDirty.slice();
      this.dirtyCopied = true;
    }
    this.reaperDirty.push(key);
  }
  clearReaperDirty(keep: string[]): void {
    this.reaperDirty = keep;
    this.dirtyCopied = true;
  }
  setHistory(h: RestartHistory[]): void {
    this.restartHistory = h;
  }

  commit(): State {
    // Same result as `{ ...base, ...patch, seq, now, ... }` (same keys, same key order).
    const next = mergeState(this.base, this.patch);
    next.seq = this.seq;
    next.now = this.now;
    next.nodes = this.nodes;
    next.services = this.services;
    next.tasks = this.tasks;
    next.restartHistory = this.restartHistory;
    next.reaperDirty = this.reaperDirty;
    next.schedulerPending = this.schedulerPending;
    next.reaperPending = this.reaperPending;
    next.schedulerFailures = this.schedulerFailures;
    next.dynamicPortNext = this.dynamicPortNext;
    return next;
  }
}

/**
 * The same text as V8's internalized (unique) string. Ids are compared all the time (`t.nodeId ===
 * n.id`, the lookups of model/byId.ts); two distinct internalized strings are unequal by pointer, while
 * a freshly built one (a template string) makes every unequal comparison a call that compares
 * lengths and characters: about 4 % of a random run's instructions (bench/model.ts). A property name
 * is always internalized, so the key of a one-property object is the id's unique copy. Invisible to
 * the model: same characters, same JSON.
 */
function internalized(id: string): string {
  for (const k in { [id]: 0 }) return k;
  return id;
}

/**
 * Copies of the store's records, field by field in declaration order (so the same JSON as `{ ...o }`).
 * A literal with every field is V8's fastest allocation (one hidden class, all fields in-object);
 * `{ ...o }` takes the generic clone path, and for State it measured 10× slower. TypeScript checks
 * that each literal names every field; a field added to an interface must be added here too.
 */
export function copyState(o: State): State {
  return {
    now: o.now,
    initialized: o.initialized,
    seq: o.seq,
    nodes: o.nodes,
    services: o.services,
    tasks: o.tasks,
    secrets: o.secrets,
    configs: o.configs,
    networks: o.networks,
    raft: o.raft,
    taskHistoryLimit: o.taskHistoryLimit,
    heartbeatPeriodMs: o.heartbeatPeriodMs,
    restartHistory: o.restartHistory,
    schedulerPending: o.schedulerPending,
    reaperDirty: o.reaperDirty,
    reaperPending: o.reaperPending,
    updaters: o.updaters,
    agentObjects: o.agentObjects,
    schedulerFailures: o.schedulerFailures,
    dynamicPortNext: o.dynamicPortNext,
  };
}
export function copyNode(o: Node): Node {
  return {
    id: o.id,
    hostname: o.hostname,
    role: o.role,
    desiredRole: o.desiredRole,
    availability: o.availability,
    labels: o.labels,
    engineLabels: o.engineLabels,
    nanoCpus: o.nanoCpus,
    memoryBytes: o.memoryBytes,
    os: o.os,
    arch: o.arch,
    status: o.status,
    statusMessage: o.statusMessage,
    up: o.up,
    left: o.left,
    group: o.group,
    dispatcher: o.dispatcher,
    pending: o.pending,
  };
}
export function copyService(o: Service): Service {
  return {
    id: o.id,
    spec: o.spec,
    version: o.version,
    previousSpec: o.previousSpec,
    previousVersion: o.previousVersion,
    ports: o.ports,
    createdAt: o.createdAt,
    updateStatus: o.updateStatus,
    reconcile: o.reconcile,
  };
}
export function copyTask(o: Task): Task {
  return {
    id: o.id,
    serviceId: o.serviceId,
    slot: o.slot,
    nodeId: o.nodeId,
    observed: o.observed,
    desired: o.desired,
    specVersion: o.specVersion,
    spec: o.spec,
    ports: o.ports,
    createdAt: o.createdAt,
    seq: o.seq,
    statusAt: o.statusAt,
    message: o.message,
    err: o.err,
    exitCode: o.exitCode,
    delayed: o.delayed,
    containerLost: o.containerLost,
  };
}

/** `{ ...o, ...patch }`: a copy plus stores (same own keys in the same order, so the same JSON). */
export function mergeState(o: State, patch: Partial<State>): State {
  const out = copyState(o);
  for (const k in patch) (out as unknown as Record<string, unknown>)[k] = patch[k as keyof State];
  return out;
}
export function mergeNode(o: Node, patch: Partial<Node>): Node {
  const out = copyNode(o);
  for (const k in patch) (out as unknown as Record<string, unknown>)[k] = patch[k as keyof Node];
  return out;
}
export function mergeService(o: Service, patch: Partial<Service>): Service {
  const out = copyService(o);
  for (const k in patch) (out as unknown as Record<string, unknown>)[k] = patch[k as keyof Service];
  return out;
}
export function mergeTask(o: Task, patch: Partial<Task>): Task {
  const out = copyTask(o);
  for (const k in patch) (out as unknown as Record<string, unknown>)[k] = patch[k as keyof Task];
  return out;
}

/** The restart/reaper instance of a task: (service, slot) or (service, node) for slot 0 (moby/swarmkit:manager/orchestrator/slot.go (SlotTuple)). */
export function instanceKey(t: Task): string {
  return t.slot === 0 ? `${t.serviceId}/@${t.nodeId}` : `${t.serviceId}/${t.slot}`;
}
