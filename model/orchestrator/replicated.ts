/**
 * The replicated orchestrator's service reconcile: moby/swarmkit:manager/orchestrator/replicated/services.go (reconcile)
 * and slot.go (updatableAndDeadSlots, slotsByRunningState, slotsByIndex).
 *
 * Task-level restarts (a task failed, its node went DOWN/drained/deleted) are in restart.ts.
 * Every reconcile hands the slots it keeps to the update supervisor (updater.ts), as services.go does:
 * scale-up passes the current slots before adding tasks (new tasks use the current spec, so they
 * are clean), scale-down only the R slots it keeps.
 */
import type { Service, Task } from '../state.ts';
import type { Tx } from '../tx.ts';
import { updatableTasksInSlot } from './restart.ts';
import { newTask } from './task.ts';
import { supervisorUpdate } from './updater.ts';

/** Slots of a service split into updatable (count toward replicas) and dead (slot.go (updatableAndDeadSlots)). */
export function updatableAndDeadSlots(
  tx: Tx,
  svc: Service,
): { updatable: Map<number, Task[]>; dead: Map<number, Task[]> } {
  const all = new Map<number, Task[]>();
  for (const t of tx.tasks) {
    if (t.serviceId !== svc.id) continue;
    const l = all.get(t.slot);
    if (l) l.push(t);
    else all.set(t.slot, [t]);
  }
  const updatable = new Map<number, Task[]>();
  const dead = new Map<number, Task[]>();
  for (const [slot, tasks] of all) {
    const up = updatableTasksInSlot(tx.restartHistory, tasks, svc);
    if (up.length > 0) updatable.set(slot, up);
    else dead.set(slot, tasks);
  }
  return { updatable, dead };
}

/**
 * The scale-down choice (services.go (reconcile), case specifiedSlots < numSlots), exactly:
 * 1. sort slots: slots with a task observed RUNNING first, then by slot number;
 * 2. walking that order, a slot with exactly one (updatable) task that has a node gets index k = the
 *    k-th such slot seen on that node; other slots (several tasks, or unassigned) get −1;
 * 3. sort by index ascending, −1 last; keep the first R.
 * Go's sort.Sort is not stable, but for fewer than 13 elements it runs insertion sort, which is; the
 * model uses stable sorts throughout (beyond 12 slots SwarmKit's tie order is unspecified).
 */
const UNINDEXED = Number.MAX_SAFE_INTEGER;

export function scaleDownOrder(slots: Task[][]): Task[][] {
  const running = (sl: Task[]) => sl.some((t) => t.observed === 'running');
  const byRunning = slots.slice().sort((a, b) => {
    const ra = running(a);
    const rb = running(b);
    if (ra !== rb) return ra ? -1 : 1;
    return a[0].slot - b[0].slot;
  });
  const perNode = new Map<string, number>();
  const withIndex = byRunning.map((sl) => {
    if (sl.length === 1 && sl[0].nodeId !== '') {
      const k = (perNode.get(sl[0].nodeId) ?? 0) + 1;
      perNode.set(sl[0].nodeId, k);
      return { sl, index: k };
    }
    // SwarmKit gives these index −1 and sorts them after every indexed slot (slotsByIndex.Less);
    // a key above any index says the same.
    return { sl, index: UNINDEXED };
  });
  withIndex.sort((a, b) => a.index - b.index);
  return withIndex.map((x) => x.sl);
}

export function reconcileReplicated(tx: Tx, svc: Service): void {
  const { updatable, dead } = updatableAndDeadSlots(tx, svc);
  const n = updatable.size;
  const r = svc.spec.replicas ?? 0;
  // Slots in slot-number order (SwarmKit: Go map order, arbitrary).
  const slots = [...updatable.entries()].sort((a, b) => a[0] - b[0]).map(([, ts]) => ts);
  if (r > n) {
    supervisorUpdate(tx, svc, slots);
    // addTasks: the lowest slot numbers not used by an updatable slot; a reused dead slot keeps its
    // tasks as history, every other dead slot is deleted.
    let slot = 0;
    for (let i = 0; i < r - n; i++) {
      do slot++;
      while (updatable.has(slot));
      dead.delete(slot);
      tx.addTask(newTask(tx, svc, slot, ''));
    }
    deleteSlots(tx, dead);
  } else if (r < n) {
    const order = scaleDownOrder(slots);
    supervisorUpdate(tx, svc, order.slice(0, r));
    deleteSlots(tx, dead);
    for (const sl of order.slice(r)) for (const t of sl) tx.raiseDesired(t.id, 'remove');
  } else {
    deleteSlots(tx, dead);
    supervisorUpdate(tx, svc, slots);
  }
}

function deleteSlots(tx: Tx, slots: Map<number, Task[]>): void {
  for (const tasks of slots.values()) for (const t of tasks) tx.deleteTask(t.id);
}
