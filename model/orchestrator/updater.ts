/**
 * The rolling updater: moby/swarmkit:manager/orchestrator/update/updater.go (Supervisor, Updater.Run,
 * worker, updateTask, useExistingTask, removeOldTasks, startUpdate, pauseUpdate, rollbackUpdate,
 * completeUpdate), transcribed as leader memory plus actions, with time explicit.
 *
 * SwarmKit runs one goroutine per updater (the Run loop) and `parallelism` worker goroutines. The
 * model keeps what those goroutines remember as plain data (State.updaters) and turns every point
 * where one of them blocks into an action that becomes enabled when the goroutine would wake up:
 *
 *   update-start      Run's first half: dirty slots, startUpdate (nil → UPDATING), config, workers.
 *   update-slot       a worker takes the next dirty slot (the Run loop's `slotQueue <- slot`) and does
 *                     its store batch: create the new task (desired READY) and, stop-first, shut the
 *                     old ones down; or reuse a clean task already in the slot.
 *   update-slot-done  the worker's wait ends: the new task is observed ≥ RUNNING (start-first: now the
 *                     old tasks are shut down), or the reused task's delayed start fired. The worker
 *                     then sleeps `delay` (its own timer: `readyAt`), with no barrier between workers.
 *   update-failure    the Run loop takes one "task went past RUNNING" event from its watch (only while
 *                     it waits to hand out a slot, or in the final monitor phase) and applies
 *                     failureTriggersAction: count it, compare the ratio strictly, pause/rollback.
 *   update-monitor    every slot was handed out and every worker finished (incl. its delay): watch one
 *                     more monitor period (Delay + 1 s if Delay ≥ Monitor).
 *   update-complete   the monitor period ended with no failure action: completeUpdate.
 *
 * Modelling compromises, each deliberate:
 * - A worker reads the slot's tasks as they are in the store when it takes the slot; SwarmKit uses the
 *   orchestrator's snapshot of them from reconcile time (their desired states may be stale there).
 *   One consequence: a clean task shut down since the snapshot (it failed and was restarted) is not
 *   reused, so the model creates a new task where SwarmKit's worker reuses the old one and creates none.
 * - Supervisor.Update's first check ("nothing to do") is evaluated when the orchestrator calls it, so
 *   an updater with no dirty slot and no status to complete is never created.
 * - Slot order: SwarmKit builds the slot list from a Go map (arbitrary); the model uses slot number
 *   (replicated) or node order (global).
 * - The new task's timestamp is taken when the worker handles its ≥ RUNNING event (update-slot-done);
 *   a failure event processed before that finds no timestamp and always counts, as in the code.
 */
import type { Action, ActionList } from '../actions.ts';
import { allocateServicePorts } from '../allocator.ts';
import { OLD_TASK_TIMEOUT_MS } from '../defaults.ts';
import type { ServiceSpec, UpdateConfig } from '../spec.ts';
import type { Service, State, Task, UpdateStatus } from '../state.ts';
import { rank } from '../taskState.ts';
import { mergeState, Tx } from '../tx.ts';
import { isTaskDirty, newTask } from './task.ts';

const RUNNING = rank('running');

export interface UpdaterWorker {
  /** Task ids of the slot being worked on; [] when the worker is idle. */
  slot: string[];
  /** The task the worker waits for ('' when idle). */
  task: string;
  /** 'create': a new task, wait for its delayed start and observed ≥ RUNNING; 'existing': a reused clean task, wait for its delayed start. */
  wait: 'none' | 'create' | 'existing';
  /** The update order the slot is processed with (start-first shuts the old tasks down after). */
  order: UpdateConfig['order'];
  /** When the worker may take another slot: the end of its `delay` after its previous slot (ms). */
  readyAt: number;
}

/** One service's updater, as the leader remembers it (lost on leader change). */
export interface Updater {
  serviceId: string;
  /** The spec this updater works towards (Supervisor.Update keeps an updater whose spec is deep-equal). */
  spec: ServiceSpec;
  /** The SpecVersion of that spec (u.newService.SpecVersion): new tasks carry it. */
  version: number;
  /** The service's UpdateStatus when the updater was made (u.newService.UpdateStatus): it decides the config and "never roll back a rollback". */
  statusAtStart: UpdateStatus['state'] | null;
  phase: 'start' | 'slots' | 'monitor';
  /** Phase start: the slots the orchestrator passed. Phase slots: the dirty slots not handed out yet. */
  slots: string[][];
  /**
   * Tasks of those slots that were already desired past RUNNING in the orchestrator's snapshot:
   * removeOldTasks skips them silently, while a task shut down since then makes it fail.
   */
  stoppedAtStart: string[];
  /** len(dirtySlots): the failure ratio's denominator. */
  dirtyCount: number;
  workers: UpdaterWorker[];
  /** End of the final monitor period (ms), -1 before it. */
  monitorUntil: number;
  /** updatedTasks: tasks this updater created, and when it saw each ≥ RUNNING (-1: not yet). */
  updated: { task: string; at: number }[];
  /** failedTasks plus tasks whose event was examined and not counted: never examined twice. */
  examined: string[];
  failures: number;
  /** Run's `stopped`: a pause or rollback was triggered; no further slots, no completion. */
  stopped: boolean;
}

/** Test-only switches that plant a bug, to show the property suite catches it (properties/updates.test.ts). */
export const PLANTED = {
  /** Hand out slots even while every worker is busy (parallelism ignored). */
  ignoreParallelism: false,
  /** Compare the failure ratio with ≥ instead of > (the docs' reading). */
  ratioNotStrict: false,
  /** Start-first shuts the old task down at once, like stop-first. */
  startFirstStopsEarly: false,
  /** A rollback keeps the failed spec (forgets to restore PreviousSpec). */
  rollbackKeepsSpec: false,
};

// ---- reading and writing the leader memory inside a store transaction --------------------------

export function updatersOf(tx: Tx): readonly Updater[] {
  return (tx.patch.updaters ?? tx.base.updaters) as readonly Updater[];
}
function setUpdaters(tx: Tx, us: Updater[]): void {
  tx.patch.updaters = us;
}
function putUpdater(tx: Tx, u: Updater): void {
  setUpdaters(tx, [...updatersOf(tx).filter((x) => x.serviceId !== u.serviceId), u]);
}
function dropUpdater(tx: Tx, serviceId: string): void {
  setUpdaters(
    tx,
    updatersOf(tx).filter((x) => x.serviceId !== serviceId),
  );
}

/** The hook a leader change calls (manager.go (becomeLeader) starts new orchestrators): updater memory is gone, UpdateStatus stays in the store. */
export function forgetUpdaters(s: State): State {
  return mergeState(s, { updaters: [] });
}

/** The config the updater runs with: Spec.Rollback while the status it started from is ROLLBACK_STARTED, else Spec.Update (Run). */
export function updaterConfig(u: Updater): UpdateConfig {
  return u.statusAtStart === 'rollback_started' ? u.spec.rollback : u.spec.update;
}

/** The service as the updater sees it (u.newService): its spec and version, the store's allocated ports. */
function newService(svc: Service, u: Updater): Service {
  return { ...svc, spec: u.spec, version: u.version };
}

/** updater.go (isSlotDirty); the model never passes an empty slot (start drops them). */
function slotDirty(tx: Tx, svc: Service, slot: readonly Task[]): boolean {
  return slot.length > 1 || isTaskDirty(svc, slot[0], tx.node(slot[0].nodeId));
}

function deepEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// ---- the store writes (each a store.Update in SwarmKit, a service event for the orchestrator) -----

function writeStatus(tx: Tx, svc: Service, status: UpdateStatus | null, extra: Partial<Service> = {}): void {
  tx.updateService(svc.id, { updateStatus: status, ...extra, reconcile: true });
}

/** startUpdate: only over a nil status. */
function startUpdate(tx: Tx, svcId: string): void {
  const svc = tx.service(svcId);
  if (!svc || svc.updateStatus !== null) return;
  writeStatus(tx, svc, { state: 'updating', message: 'update in progress' });
}

/** completeUpdate: nil → nothing (a user update came since); ROLLBACK_STARTED → ROLLBACK_COMPLETED; anything else → COMPLETED. */
function completeUpdate(tx: Tx, svcId: string): void {
  const svc = tx.service(svcId);
  if (!svc || svc.updateStatus === null) return;
  writeStatus(
    tx,
    svc,
    svc.updateStatus.state === 'rollback_started'
      ? { state: 'rollback_completed', message: 'rollback completed' }
      : { state: 'completed', message: 'update completed' },
  );
}

/** pauseUpdate: nil → nothing; ROLLBACK_STARTED → ROLLBACK_PAUSED; anything else → PAUSED. */
function pauseUpdate(tx: Tx, svcId: string, message: string): void {
  const svc = tx.service(svcId);
  if (!svc || svc.updateStatus === null) return;
  writeStatus(tx, svc, {
    state: svc.updateStatus.state === 'rollback_started' ? 'rollback_paused' : 'paused',
    message,
  });
}

/**
 * rollbackUpdate: nil → nothing; no PreviousSpec → the transaction fails and nothing changes;
 * otherwise ROLLBACK_STARTED, Spec ← PreviousSpec, SpecVersion ← PreviousSpecVersion, PreviousSpec
 * cleared (so this rollback cannot itself be rolled back by a failure action).
 */
function rollbackUpdate(tx: Tx, svcId: string, message: string): void {
  const svc = tx.service(svcId);
  if (!svc || svc.updateStatus === null || svc.previousSpec === null) return;
  const spec = PLANTED.rollbackKeepsSpec ? svc.spec : svc.previousSpec;
  writeStatus(
    tx,
    svc,
    { state: 'rollback_started', message },
    {
      spec,
      version: PLANTED.rollbackKeepsSpec ? svc.version : svc.previousVersion,
      previousSpec: null,
      previousVersion: 0,
      // The allocator's reaction to the restored spec, folded in as the control API does for updates.
      ports: allocateServicePorts(tx, svc.id, svc.ports, spec.endpoint.ports),
    },
  );
}

// ---- Supervisor.Update: called by the orchestrators at the end of a reconcile -------------------

/**
 * moby/swarmkit:manager/orchestrator/update/updater.go (Supervisor.Update): an updater already working
 * towards a deep-equal spec carries on; any other is cancelled (its workers stop where they are, the
 * delayed starts it armed stay with the restart supervisor) and a new one starts from `slots`.
 */
export function supervisorUpdate(tx: Tx, svc: Service, slots: readonly Task[][]): void {
  const existing = updatersOf(tx).find((u) => u.serviceId === svc.id);
  if (existing && deepEqual(existing.spec, svc.spec)) return;
  if (existing) dropUpdater(tx, svc.id);
  const status = svc.updateStatus?.state ?? null;
  // Run: "If the update is in a PAUSED state, we should not do anything."
  if (status === 'paused' || status === 'rollback_paused') return;
  const anyDirty = slots.some((sl) => slotDirty(tx, svc, sl));
  if (!anyDirty && status !== 'updating' && status !== 'rollback_started') return;
  putUpdater(tx, {
    serviceId: svc.id,
    spec: svc.spec,
    version: svc.version,
    statusAtStart: status,
    phase: 'start',
    slots: slots.map((sl) => sl.map((t) => t.id)),
    stoppedAtStart: slots.flatMap((sl) => sl.filter((t) => rank(t.desired) > RUNNING).map((t) => t.id)),
    dirtyCount: 0,
    workers: [],
    monitorUntil: -1,
    updated: [],
    examined: [],
    failures: 0,
    stopped: false,
  });
}

// ---- enabled / step --------------------------------------------------------------------------

function taskById(s: State, id: string): Task | undefined {
  for (const t of s.tasks) if (t.id === id) return t;
  return undefined;
}

function workerWaitOver(s: State, w: UpdaterWorker): boolean {
  if (w.wait === 'none') return false;
  const t = taskById(s, w.task);
  if (w.wait === 'existing') return t === undefined || t.delayed === null;
  // updateTask waits for the delayed start, then (with no timeout) for an event with state ≥ RUNNING;
  // a deleted task never sends one, so that worker waits forever.
  return t !== undefined && t.delayed === null && rank(t.observed) >= RUNNING;
}

/** A failure event the Run loop would act on now (failureTriggersAction's inputs), or undefined. */
function pendingFailure(s: State, u: Updater): Task | undefined {
  // No watch at all with CONTINUE. (A stopped updater needs no check: failure() dropped its slots or
  // ended its monitor period, so it is no longer listening.)
  if (updaterConfig(u).failureAction === 'continue') return undefined;
  // The Run loop reads its watch only inside its two selects: while handing out slots, and while monitoring.
  // (A monitor period that has run out, or was left by a failure action, reads no more events.)
  const listening =
    (u.phase === 'slots' && u.slots.length > 0) || (u.phase === 'monitor' && s.now < u.monitorUntil);
  if (!listening) return undefined;
  for (const e of u.updated) {
    if (u.examined.includes(e.task)) continue;
    const t = taskById(s, e.task);
    if (t && rank(t.observed) > RUNNING) return t;
  }
  return undefined;
}

// Stryker disable all: the planted bug "ignoreParallelism" (properties/planted.test.ts), not Swarm's behaviour.
/** Planted: one more slot is offered whenever every worker is busy. */
function plantedExtraWorker(u: Updater, service: string, out: ActionList): void {
  if (!u.stopped && u.slots.length > 0 && u.workers.some((w) => w.wait !== 'none'))
    out.push({ actor: 'updater', kind: 'update-slot', service, worker: -1 });
}

/** Planted: the extra worker that takes that slot. */
function plantedWorker(u: Updater, now: number): [number, Updater] {
  const extra: UpdaterWorker = { slot: [], task: '', wait: 'none', order: 'stop-first', readyAt: now };
  return [u.workers.length, { ...u, workers: [...u.workers, extra] }];
}
// Stryker restore all

const allIdle = (u: Updater, now: number) => u.workers.every((w) => w.wait === 'none' && w.readyAt <= now);

export function updaterEnabled(s: State, out: ActionList): void {
  for (const u of s.updaters) {
    const service = u.serviceId;
    if (u.phase === 'start') {
      out.push({ actor: 'updater', kind: 'update-start', service });
      continue;
    }
    if (u.phase === 'slots') {
      if (!u.stopped && u.slots.length > 0)
        for (let i = 0; i < u.workers.length; i++) {
          const w = u.workers[i];
          if (w.wait === 'none' && w.readyAt <= s.now) {
            out.push({ actor: 'updater', kind: 'update-slot', service, worker: i });
            break; // workers are interchangeable: the first free one takes the slot
          }
        }
      // Stryker disable next-line all: the planted bug of properties/planted.test.ts, not Swarm's behaviour
      if (PLANTED.ignoreParallelism) plantedExtraWorker(u, service, out);
      for (let i = 0; i < u.workers.length; i++)
        if (workerWaitOver(s, u.workers[i]))
          out.push({ actor: 'updater', kind: 'update-slot-done', service, worker: i });
      if (!u.stopped && u.slots.length === 0 && allIdle(u, s.now))
        out.push({ actor: 'updater', kind: 'update-monitor', service });
    } else if (s.now >= u.monitorUntil) {
      out.push({ actor: 'updater', kind: 'update-complete', service });
    }
    const f = pendingFailure(s, u);
    if (f) out.push({ actor: 'updater', kind: 'update-failure', service, task: f.id });
  }
}

/** Timers the clock must stop at: a worker's delay (only while it matters) and the monitor period. */
export function updaterDeadlines(s: State, consider: (d: number) => void): void {
  for (const u of s.updaters) {
    if (u.phase === 'slots') {
      if (u.stopped) continue;
      for (const w of u.workers) if (w.wait === 'none') consider(w.readyAt);
    } else if (u.phase === 'monitor') consider(u.monitorUntil);
  }
}

export function updaterStep(s: State, a: Action & { actor: 'updater' }): State | string {
  const tx = new Tx(s);
  const u = updatersOf(tx).find((x) => x.serviceId === a.service);
  const svc = tx.service(a.service);
  if (!u || !svc) return `no updater for service ${a.service}`;
  switch (a.kind) {
    case 'update-start':
      if (u.phase !== 'start') return `the updater of ${a.service} has started`;
      start(tx, svc, u);
      return tx.commit();
    case 'update-slot': {
      if (u.phase !== 'slots' || u.stopped || u.slots.length === 0)
        return `no slot to hand out for ${a.service}`;
      let w = a.worker;
      let cur = u;
      // Stryker disable next-line all: the planted bug of properties/planted.test.ts, not Swarm's behaviour
      if (w === -1 && PLANTED.ignoreParallelism) [w, cur] = plantedWorker(u, tx.now);
      const worker = cur.workers[w];
      if (worker?.wait !== 'none' || worker.readyAt > tx.now) return `worker ${w} is busy`;
      takeSlot(tx, svc, cur, w);
      return tx.commit();
    }
    case 'update-slot-done': {
      const worker = u.workers[a.worker];
      if (!worker || !workerWaitOver(s, worker)) return `worker ${a.worker} is still waiting`;
      slotDone(tx, u, a.worker);
      return tx.commit();
    }
    case 'update-monitor': {
      if (u.phase !== 'slots' || u.stopped || u.slots.length > 0 || !allIdle(u, tx.now))
        return `the updater of ${a.service} is not done with its slots`;
      const cfg = updaterConfig(u);
      // "if a delay is set we need to monitor for a period longer than the delay"
      const period = cfg.delayMs >= cfg.monitorMs ? cfg.delayMs + 1000 : cfg.monitorMs;
      putUpdater(tx, { ...u, phase: 'monitor', monitorUntil: tx.now + period, workers: [] });
      return tx.commit();
    }
    case 'update-complete':
      if (u.phase !== 'monitor' || tx.now < u.monitorUntil) return `the monitor period of ${a.service} runs`;
      completeUpdate(tx, svc.id);
      dropUpdater(tx, svc.id);
      return tx.commit();
    case 'update-failure': {
      const t = pendingFailure(s, u);
      if (!t || t.id !== a.task) return `no failure of ${a.task} to examine`;
      failure(tx, svc, u, t);
      return tx.commit();
    }
  }
}

/** Run, up to starting the workers. */
function start(tx: Tx, svc: Service, u: Updater): void {
  const ns = newService(svc, u);
  const slots = u.slots
    .map((ids) => ids.map((id) => tx.task(id)).filter((t): t is Task => t !== undefined))
    .filter((sl) => sl.length > 0);
  const dirty = slots.filter((sl) => slotDirty(tx, ns, sl));
  if (dirty.length === 0) {
    if (u.statusAtStart === 'updating' || u.statusAtStart === 'rollback_started') completeUpdate(tx, svc.id);
    dropUpdater(tx, svc.id);
    return;
  }
  if (u.statusAtStart === null) startUpdate(tx, svc.id);
  const cfg = updaterConfig(u);
  const p = cfg.parallelism === 0 ? dirty.length : cfg.parallelism;
  const workers: UpdaterWorker[] = [];
  for (let i = 0; i < p; i++)
    workers.push({ slot: [], task: '', wait: 'none', order: cfg.order, readyAt: tx.now });
  putUpdater(tx, {
    ...u,
    phase: 'slots',
    slots: dirty.map((sl) => sl.map((t) => t.id)),
    dirtyCount: dirty.length,
    workers,
  });
}

/**
 * removeOldTasks: every task still desired ≤ RUNNING → SHUTDOWN; returns one that was shut down.
 * `failed`: SwarmKit returns an error when it shut none down and some task of the slot had been
 * deleted or shut down by someone else since the snapshot ("task … was already shut down when
 * reached by updater"); the caller's store batch then aborts, so the new task is not created either
 * (moby/swarmkit:manager/orchestrator/update/updater.go (removeOldTasks, updateTask, useExistingTask);
 * manager/state/store/memory.go (Batch): an error from the callback aborts the transaction).
 */
function removeOldTasks(
  tx: Tx,
  u: Updater,
  tasks: readonly Task[],
): { removed: Task | undefined; failed: boolean } {
  const { toRemove, failed } = planRemoveOldTasks(tx, u, tasks);
  if (failed) return { removed: undefined, failed };
  for (const t of toRemove) tx.raiseDesired(t.id, 'shutdown');
  return { removed: toRemove[toRemove.length - 1], failed: false };
}

/** removeOldTasks without its writes: which tasks it would shut down, and whether it would fail. */
function planRemoveOldTasks(
  tx: Tx,
  u: Updater,
  tasks: readonly Task[],
): { toRemove: Task[]; failed: boolean } {
  const toRemove: Task[] = [];
  let lastErr = false;
  for (const t of tasks) {
    if (u.stoppedAtStart.includes(t.id)) continue;
    const cur = tx.task(t.id);
    if (!cur || rank(cur.desired) > RUNNING) {
      lastErr = true;
      continue;
    }
    toRemove.push(cur);
  }
  return { toRemove, failed: toRemove.length === 0 && lastErr };
}

/** restart.Supervisor.DelayStart with delay 0, as the updater arms it: the task's start waits for `old` to stop (≤ 1 min). */
function delayStart(tx: Tx, taskId: string, old: Task | undefined, waitStop: boolean): void {
  const waitFor = waitStop && old !== undefined && rank(old.observed) <= RUNNING;
  tx.updateTask(taskId, {
    delayed: {
      startAt: tx.now,
      oldTaskId: waitFor ? old.id : '',
      oldNodeId: old?.nodeId ?? '',
      timeoutAt: tx.now + OLD_TASK_TIMEOUT_MS,
    },
  });
}

/** worker: one slot. */
function takeSlot(tx: Tx, svc: Service, u: Updater, w: number): void {
  const ids = u.slots[0];
  const rest = u.slots.slice(1);
  // The slot as the orchestrator's snapshot had it: a task deleted since then still counts for
  // removeOldTasks (it fails on it), so keep the ids and read what is left.
  const slot = ids.map((id) => tx.task(id)).filter((t): t is Task => t !== undefined);
  const snapshot = ids.map((id) => slot.find((t) => t.id === id) ?? ({ id } as Task));
  const cfg = updaterConfig(u);
  const ns = newService(svc, u);
  const workers = u.workers.slice();
  const idle = (): UpdaterWorker => ({
    slot: [],
    task: '',
    wait: 'none',
    order: cfg.order,
    readyAt: tx.now + cfg.delayMs,
  });
  if (slot.length === 0) {
    workers[w] = idle();
    putUpdater(tx, { ...u, slots: rest, workers });
    return;
  }
  // "Do we have a task with the new spec in desired state = RUNNING?" (first such), else a clean one
  // desired below RUNNING (last such).
  let running: Task | undefined;
  let clean: Task | undefined;
  for (const t of slot) {
    if (isTaskDirty(ns, t, tx.node(t.nodeId))) continue;
    if (t.desired === 'running') {
      running = t;
      break;
    }
    if (rank(t.desired) < RUNNING) clean = t;
  }
  const existing = running ?? clean;
  if (existing) {
    // useExistingTask
    const others = snapshot.filter((t) => t.id !== existing.id);
    if (planRemoveOldTasks(tx, u, others).failed) {
      // useExistingTask's batch aborted: nothing changes; the worker logs it and takes its delay.
      workers[w] = idle();
      putUpdater(tx, { ...u, slots: rest, workers });
      return;
    }
    const old = removeOldTasks(tx, u, others).removed;
    if (existing.desired !== 'running') {
      delayStart(tx, existing.id, old, true);
      workers[w] = { slot: ids, task: existing.id, wait: 'existing', order: cfg.order, readyAt: tx.now };
    } else workers[w] = idle();
    putUpdater(tx, { ...u, slots: rest, workers });
    return;
  }
  if (cfg.order === 'stop-first' || PLANTED.startFirstStopsEarly) {
    // updateTask's batch: CreateTask, then removeOldTasks; if that fails the batch aborts and the
    // new task is never created (the worker logs "update failed" and takes its delay).
    if (planRemoveOldTasks(tx, u, snapshot).failed) {
      workers[w] = idle();
      putUpdater(tx, { ...u, slots: rest, workers });
      return;
    }
  }
  const base = newTask(
    tx,
    ns,
    svc.spec.mode === 'global' ? 0 : slot[0].slot,
    svc.spec.mode === 'global' ? slot[0].nodeId : '',
  );
  tx.addTask({ ...base, desired: 'ready' });
  if (cfg.order === 'start-first' && !PLANTED.startFirstStopsEarly) delayStart(tx, base.id, undefined, false);
  else delayStart(tx, base.id, removeOldTasks(tx, u, snapshot).removed, true);
  workers[w] = { slot: ids, task: base.id, wait: 'create', order: cfg.order, readyAt: tx.now };
  putUpdater(tx, { ...u, slots: rest, workers, updated: [...u.updated, { task: base.id, at: -1 }] });
}

/** The end of a worker's wait (updateTask's loop / useExistingTask's delayed start), then its delay. */
function slotDone(tx: Tx, u: Updater, w: number): void {
  const worker = u.workers[w];
  const cfg = updaterConfig(u);
  let updated = u.updated;
  if (worker.wait === 'create') {
    const t = tx.task(worker.task)!;
    updated = updated.map((e) => (e.task === t.id ? { ...e, at: tx.now } : e));
    if (worker.order === 'start-first' && t.observed === 'running' && !PLANTED.startFirstStopsEarly)
      // A failure here is only logged by SwarmKit ("failed to remove old task after starting replacement").
      removeOldTasks(
        tx,
        u,
        worker.slot.map((id) => tx.task(id) ?? ({ id } as Task)),
      );
  }
  const workers = u.workers.slice();
  workers[w] = { slot: [], task: '', wait: 'none', order: cfg.order, readyAt: tx.now + cfg.delayMs };
  const next = { ...u, workers, updated };
  // A stopped updater ends once its in-flight slots are done (its workers' sleeps change nothing).
  if (next.stopped && workers.every((x) => x.wait === 'none')) dropUpdater(tx, u.serviceId);
  else putUpdater(tx, next);
}

/** failureTriggersAction, and what the Run loop does when it returns true (leave the current loop). */
function failure(tx: Tx, svc: Service, u: Updater, t: Task): void {
  const cfg = updaterConfig(u);
  const entry = u.updated.find((e) => e.task === t.id)!;
  const next: Updater = { ...u, examined: [...u.examined, t.id] };
  // Counted iff it never got a timestamp, or failed within Monitor of reaching RUNNING (when seen).
  const counts = entry.at === -1 || tx.now - entry.at <= cfg.monitorMs;
  if (!counts) {
    putUpdater(tx, next);
    return;
  }
  next.failures += 1;
  // float32(totalFailures)/float32(len(dirtySlots)) > MaxFailureRatio — strictly, in float32.
  const ratio = Math.fround(Math.fround(next.failures) / Math.fround(u.dirtyCount));
  const limit = Math.fround(cfg.maxFailureRatio);
  const triggered = ratio > limit || plantedRatioAtLimit(ratio, limit);
  // (With FailureAction CONTINUE the Run loop has no failure watch at all: pendingFailure.)
  if (!triggered) {
    putUpdater(tx, next);
    return;
  }
  if (cfg.failureAction === 'pause') {
    pauseUpdate(tx, svc.id, `update paused due to failure or early termination of task ${t.id}`);
    next.stopped = true;
  } else if (u.statusAtStart === 'rollback_started') {
    // "Never roll back a rollback": pause instead — and SwarmKit does not set `stopped` here, so the
    // updater goes on to its monitor period and then completeUpdate (→ COMPLETED) [code-read].
    pauseUpdate(tx, svc.id, `rollback paused due to failure or early termination of task ${t.id}`);
  } else {
    rollbackUpdate(tx, svc.id, `update rolled back due to failure or early termination of task ${t.id}`);
    next.stopped = true;
  }
  // Leave the loop the event was read in.
  if (next.phase === 'slots') {
    next.slots = [];
    if (next.stopped && next.workers.every((w) => w.wait === 'none')) {
      dropUpdater(tx, u.serviceId);
      return;
    }
    putUpdater(tx, next);
    return;
  }
  // monitorLoop: break; then completeUpdate unless stopped — a store write of its own, so it is the
  // next `update-complete`, due now.
  if (next.stopped) dropUpdater(tx, u.serviceId);
  else putUpdater(tx, { ...next, monitorUntil: tx.now });
}

// Stryker disable all: the planted bug "ratioNotStrict" (properties/updates.test.ts), not Swarm's behaviour.
/** Planted: a ratio exactly at MaxFailureRatio triggers the failure action too (≥, the docs' reading). */
function plantedRatioAtLimit(ratio: number, limit: number): boolean {
  return PLANTED.ratioNotStrict && ratio === limit;
}
// Stryker restore all
