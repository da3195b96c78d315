/**
 * The refinement mapping: the full cluster model (model/) projected onto the variables of SwarmKit's
 * TLA+ spec (tla/, `vars == << tasks, services, nodes, nEvents >>`).
 *
 * The projection is a function of the model state plus a small *history* (Abadi–Lamport history
 * variables) that remembers, per task, what the spec cannot recompute from the store: which TLA
 * task ID it was given, and what its desired/observed state looked like when it stopped running.
 * `advance` computes the projected state of `next` and the history after it from the history before.
 *
 * Projection rules (each an intentional difference between SwarmKit's code and the spec, see
 * refine/README in the project README's "Exhaustive exploration" section):
 *
 *  P1 Task identity. TLA tasks are identified per vslot (ModelTaskId == << service, VSlot, id >>,
 *     with id from a small TaskId set); SwarmKit task IDs are global random strings. A task gets the
 *     lowest TLA id unused in its vslot when it appears (what CreateSlot/ReplaceTask/RestartTask's
 *     `\E id \in UnusedId(...)` allows) and keeps it. Services likewise get the lowest free ServiceId.
 *  P2 Slots and nodes. slot 0 (a global task) is `global`, VSlot its node; nodeId '' is `unassigned`;
 *     node i of the configuration is n{i+1}.
 *  P3 Worker up/down as WorkerSpec sees it: `nodes[n] = down` iff the leader's dispatcher has the
 *     node DOWN (Status.State), or the node object was deleted. Crashes, partitions and leader changes
 *     are invisible until the dispatcher writes DOWN (heartbeat expiry = WorkerDown; a session
 *     register of a DOWN node = WorkerUp) (moby/swarmkit:manager/dispatcher/dispatcher.go).
 *  P4 RemoveService. SwarmKit deletes the service object at once (manager/controlapi/service.go
 *     (RemoveService)) and the orchestrator sets its tasks' desired state to REMOVE
 *     (manager/orchestrator/service.go (SetServiceTasksRemove)); the spec models the *proposed* fix
 *     (the service stays, flagged `remove`, until CleanupService). A deleted service that still has
 *     tasks is projected as `[replicas |-> 0 (or global), remove |-> TRUE]`; once its last task is
 *     gone it is projected absent (CleanupService). The replica count of a deleted service is no
 *     longer in the store; 0 is used, and the TLA orchestrator ignores it (no task of the service is
 *     wanted any more).
 *  P5 Desired state of a stopped task. Once a task's observed state is past RUNNING, the spec never
 *     changes its desired state except to `remove` (CleanupTerminated, RemoveService); SwarmKit's
 *     restart supervisor raises a failed task's desired state to SHUTDOWN when it replaces it
 *     (manager/orchestrator/restart/restart.go (Restart)), which no spec component can see. The
 *     projected desired state of a stopped task is frozen at what it was when it stopped (or
 *     `remove`).
 *  P6 FAILED while shutting down. The spec's ContainerExit reports a non-zero exit of a task desired
 *     `shutdown` as `shutdown`; SwarmKit's agent reports FAILED when the exit beats the shutdown
 *     (agent/exec/controller.go (Do): RUNNING waits on the container before it sees the new desired
 *     state). A task that stops FAILED while its projected desired state is `shutdown` is projected
 *     as `shutdown`.
 *  P7 Delayed start. SwarmKit creates a replacement with desired READY and raises it to RUNNING after
 *     the restart delay (restart.go (DelayStart, StartNow)). When the replacement has a runnable
 *     sibling in its vslot (the spec's RestartTask) it is projected `ready`, and it becomes `running`
 *     in the projection (ReleaseReady) only once the spec allows: observed READY and every other task
 *     of the vslot stopped. When no sibling is runnable (a failed task replaced, the spec's
 *     ReplaceTask), it is projected `running` from the start: the model merely waits longer before
 *     starting it, which the spec allows by stuttering.
 *  P8 PENDING shut down by the scheduler. A task the scheduler finishes off from PENDING because its
 *     spec version is obsolete and it is desired REMOVE (manager/scheduler/scheduler.go
 *     (noSuitableNode)) is projected as already gone: the spec's Reaper deletes a `pending` task
 *     flagged `remove`; the model's reaper deleting it later is then a stutter.
 *  P10 Scale-down flags a slot. The spec's RequestRemoval (and RemoveService) set desired `remove` on
 *     every task of the vslot; SwarmKit's replicated orchestrator sets it on the slot's current
 *     (updatable) tasks only (manager/orchestrator/replicated/services.go (reconcile →
 *     setTasksDesiredState)). When a runnable task is newly flagged REMOVE, the other tasks of its
 *     vslot (stopped ones, and runnable ones already desired SHUTDOWN) are projected as flagged too;
 *     the spec then merely may reap them sooner. A projected `remove` stays `remove`.
 *  P9 nEvents is 0 (maxEvents = -1): faults and user commands are not counted in the projection.
 */
import type { State, Task } from '../model/index.ts';
import { type DesiredState, type ObservedState, rank } from '../model/taskState.ts';
import { type Ctx, mkVars, type Vars } from '../tla/state.ts';
import { normalise } from '../tla/Tasks.ts';
import {
  GLOBAL,
  GLOBAL_SLOT,
  mkSpec,
  mkTask,
  NO_SERVICE,
  order,
  READY,
  REMOVE,
  RUNNING,
  SHUTDOWN,
  UNASSIGNED,
} from '../tla/Types.ts';

/** What the projection remembers about one model task. */
export interface TaskHistory {
  /** TLA task id (0-based index into TaskId). */
  readonly tid: number;
  /** Projected observed state (a TLA `order` index), kept once the task stopped (P5, P6). */
  readonly pstate: number;
  /** Projected desired state (TLA index), see P5 and P7. */
  readonly pdesired: number;
  /** The task had stopped (observed past RUNNING) in the previous state. */
  readonly stopped: boolean;
  /** Projected absent (P8). */
  readonly absent: boolean;
}

export interface History {
  /** Model service id → TLA service index, for every service still live or referenced by a task. */
  readonly svc: ReadonlyMap<string, number>;
  readonly task: ReadonlyMap<string, TaskHistory>;
}

export const EMPTY_HISTORY: History = { svc: new Map(), task: new Map() };

export interface ProjectionConfig {
  /** The TLA constants (Node, ServiceId, TaskId, maxReplicas, maxTerminated; maxEvents -1). */
  ctx: Ctx;
  /** Model node ids, in the order of the TLA Node set (n1, n2, ...). */
  nodeIds: readonly string[];
}

/** The projection failed: the model state has no TLA counterpart (too many tasks in a vslot, ...). */
export class ProjectionError extends Error {}

const tlaState = (o: ObservedState): number => order.indexOf(o);
function tlaDesired(d: DesiredState): number {
  switch (d) {
    case 'ready':
      return READY;
    case 'running':
      return RUNNING;
    case 'shutdown':
      return SHUTDOWN;
    case 'remove':
      return REMOVE;
    case 'complete':
      throw new ProjectionError('desired state complete (jobs) has no TLA counterpart');
  }
}

const RUNNING_RANK = rank('running');
const runnable = (t: Task): boolean => rank(t.observed) <= RUNNING_RANK;
const vslotKey = (t: Task): string =>
  t.slot === 0 ? `${t.serviceId}/@${t.nodeId}` : `${t.serviceId}/${t.slot}`;

export interface Projected {
  vars: Vars;
  history: History;
}

/**
 * Project `s` given the history after the previous state (EMPTY_HISTORY for an initial state).
 */
export function advance(cfg: ProjectionConfig, prev: History, s: State): Projected {
  const K = cfg.ctx;
  // --- services (P4) ---
  const svc = new Map<string, number>();
  const used = new Set<number>();
  const live = new Map<string, State['services'][number]>();
  for (const x of s.services) live.set(x.id, x);
  const relevant: string[] = [];
  for (const x of s.services) relevant.push(x.id);
  for (const t of s.tasks)
    if (!live.has(t.serviceId) && !relevant.includes(t.serviceId)) relevant.push(t.serviceId);
  for (const id of relevant) {
    const sid = prev.svc.get(id);
    if (sid !== undefined) {
      svc.set(id, sid);
      used.add(sid);
    }
  }
  for (const id of relevant) {
    if (svc.has(id)) continue;
    let sid = 0;
    while (used.has(sid)) sid++;
    if (sid >= K.ServiceId) throw new ProjectionError(`more than ${K.ServiceId} services to project`);
    svc.set(id, sid);
    used.add(sid);
  }
  const services: number[] = K.ServiceIdSet.map(() => NO_SERVICE);
  for (const id of relevant) {
    const x = live.get(id);
    const sid = svc.get(id)!;
    if (x) {
      const r = x.spec.mode === 'global' ? GLOBAL : (x.spec.replicas ?? 0);
      if (r !== GLOBAL && r > K.maxReplicas)
        throw new ProjectionError(
          `service ${x.spec.name} has ${r} replicas, more than maxReplicas ${K.maxReplicas}`,
        );
      services[sid] = mkSpec(r, false);
    } else {
      const global = s.tasks.some((t) => t.serviceId === id && t.slot === 0);
      services[sid] = mkSpec(global ? GLOBAL : 0, true);
    }
  }

  // --- tasks: identity first (P1) ---
  const hist = new Map<string, TaskHistory>();
  const tids = new Map<string, number>();
  const usedIds = new Map<string, number>(); // vslot → bit set of TLA ids in use
  for (const t of s.tasks) {
    const h = prev.task.get(t.id);
    if (h === undefined) continue;
    tids.set(t.id, h.tid);
    if (!h.absent) usedIds.set(vslotKey(t), (usedIds.get(vslotKey(t)) ?? 0) | (1 << h.tid));
  }
  for (const t of s.tasks) {
    if (tids.has(t.id)) continue;
    const k = vslotKey(t);
    const m = usedIds.get(k) ?? 0;
    let tid = 0;
    while (tid < K.TaskId && (m >> tid) & 1) tid++;
    if (tid >= K.TaskId)
      throw new ProjectionError(`vslot ${k} holds more than ${K.TaskId} tasks (TaskId is too small)`);
    tids.set(t.id, tid);
    usedIds.set(k, m | (1 << tid));
  }

  // --- observed states (P5, P6, P8) ---
  const pstate = new Map<string, number>();
  const absent = new Set<string>();
  for (const t of s.tasks) {
    const h = prev.task.get(t.id);
    if (h?.absent || (t.observed === 'shutdown' && t.nodeId === '' && t.desired === 'remove')) {
      absent.add(t.id);
      continue;
    }
    if (runnable(t)) pstate.set(t.id, tlaState(t.observed));
    else if (h?.stopped) pstate.set(t.id, h.pstate);
    else {
      const pd = h ? h.pdesired : tlaDesired(t.desired);
      pstate.set(t.id, t.observed === 'failed' && pd === SHUTDOWN ? SHUTDOWN : tlaState(t.observed));
    }
  }
  // Runnable tasks per vslot in the projection (for P7).
  const runnableIn = new Map<string, number>();
  for (const t of s.tasks) {
    const ps = pstate.get(t.id);
    if (ps !== undefined && ps <= RUNNING)
      runnableIn.set(vslotKey(t), (runnableIn.get(vslotKey(t)) ?? 0) + 1);
  }

  // P10: vslots where a runnable task is newly flagged REMOVE (scale-down, service rm): the spec's
  // RequestRemoval/RemoveService flag every task of the vslot; SwarmKit flags the slot's current
  // tasks only (manager/orchestrator/replicated/services.go (reconcile → setTasksDesiredState)), so
  // the slot's stopped tasks are projected as flagged too (which only lets the spec reap them sooner).
  const flaggedVSlots = new Set<string>();
  for (const t of s.tasks) {
    if (t.desired !== 'remove' || absent.has(t.id) || !runnable(t)) continue;
    const h = prev.task.get(t.id);
    if (h === undefined || h.pdesired !== REMOVE) flaggedVSlots.add(vslotKey(t));
  }

  // --- desired states (P5, P7) and the records ---
  const nodes = cfg.nodeIds;
  const tasks: number[] = [];
  for (const t of s.tasks) {
    const h = prev.task.get(t.id);
    const tid = tids.get(t.id)!;
    if (absent.has(t.id)) {
      hist.set(t.id, { tid, pstate: 0, pdesired: REMOVE, stopped: true, absent: true });
      continue;
    }
    const ps = pstate.get(t.id)!;
    const isRunnable = runnable(t);
    let pd: number;
    if (!isRunnable) {
      const before = h ? h.pdesired : tlaDesired(t.desired);
      pd = t.desired === 'remove' || flaggedVSlots.has(vslotKey(t)) ? REMOVE : before;
    } else if (h?.pdesired === REMOVE || (t.desired === 'shutdown' && flaggedVSlots.has(vslotKey(t)))) {
      pd = REMOVE;
    } else if (t.desired === 'ready' || t.desired === 'running') {
      const siblings = (runnableIn.get(vslotKey(t)) ?? 0) - 1;
      if (h === undefined) pd = t.desired === 'ready' && siblings > 0 ? READY : RUNNING;
      else if (h.pdesired !== READY) pd = h.pdesired === RUNNING ? RUNNING : tlaDesired(t.desired);
      // Past `ready` while projected `ready` only after a StartBeforeOldTaskStopped divergence:
      // the projection catches up with the model there.
      else pd = t.desired === 'running' && ((ps === READY && siblings === 0) || ps > READY) ? RUNNING : READY;
    } else pd = tlaDesired(t.desired);
    hist.set(t.id, { tid, pstate: ps, pdesired: pd, stopped: !isRunnable, absent: false });
    let n = UNASSIGNED;
    if (t.nodeId !== '') {
      n = nodes.indexOf(t.nodeId);
      if (n < 0) throw new ProjectionError(`task ${t.id} is on node ${t.nodeId}, not in the configuration`);
    }
    tasks.push(
      mkTask({
        id: tid,
        service: svc.get(t.serviceId)!,
        state: ps,
        desired_state: pd,
        node: n,
        slot: t.slot === 0 ? GLOBAL_SLOT : t.slot,
      }),
    );
  }

  // --- nodes (P3) ---
  let down = 0;
  for (let i = 0; i < nodes.length; i++) {
    const n = s.nodes.find((x) => x.id === nodes[i]);
    if (!n || n.status === 'down') down |= 1 << i;
  }
  return { vars: mkVars(normalise(tasks), services, down, 0), history: { svc, task: hist } };
}

/** The projected state of `s` from the history *after* it (what `advance` returned with it). */
export function varsOf(cfg: ProjectionConfig, s: State, h: History): Vars {
  const K = cfg.ctx;
  const services: number[] = K.ServiceIdSet.map(() => NO_SERVICE);
  for (const [id, sid] of h.svc) {
    const x = s.services.find((y) => y.id === id);
    if (x) services[sid] = mkSpec(x.spec.mode === 'global' ? GLOBAL : (x.spec.replicas ?? 0), false);
    else services[sid] = mkSpec(s.tasks.some((t) => t.serviceId === id && t.slot === 0) ? GLOBAL : 0, true);
  }
  const tasks: number[] = [];
  for (const t of s.tasks) {
    const x = h.task.get(t.id);
    if (x === undefined || x.absent) continue;
    tasks.push(
      mkTask({
        id: x.tid,
        service: h.svc.get(t.serviceId)!,
        state: x.pstate,
        desired_state: x.pdesired,
        node: t.nodeId === '' ? UNASSIGNED : cfg.nodeIds.indexOf(t.nodeId),
        slot: t.slot === 0 ? GLOBAL_SLOT : t.slot,
      }),
    );
  }
  let down = 0;
  for (let i = 0; i < cfg.nodeIds.length; i++) {
    const n = s.nodes.find((x) => x.id === cfg.nodeIds[i]);
    if (!n || n.status === 'down') down |= 1 << i;
  }
  return mkVars(normalise(tasks), services, down, 0);
}
