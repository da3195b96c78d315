/**
 * The task reaper (leader only): moby/swarmkit:manager/orchestrator/taskreaper/task_reaper.go (Run, tick).
 *
 * - Immediate cleanup: tasks desired REMOVE that never reached a node (observed < ASSIGNED) or have
 *   stopped (observed ≥ COMPLETE) are deleted — scale-down and service-rm leftovers.
 * - History retention: a task creation marks its instance (service, slot) / (service, node) dirty.
 *   At the next pass, if the instance holds more than L tasks (L = cluster limit, default 5, replaced
 *   by MaxAttempts+1 when the restart policy sets MaxAttempts > 0; L < 0 = never prune), the oldest
 *   terminal or will-never-run tasks are deleted until L remain. L counts the current task too.
 *   An instance with more than one non-terminal task stays dirty for the next pass.
 * Passes are batched behind a 250 ms timer started by task events; the model runs a pass whenever a
 * task event happened since the last one (State.reaperPending) and there is something to look at.
 */
import type { Action, ActionList } from './actions.ts';
import type { State, Task } from './state.ts';
import { rank } from './taskState.ts';
import { Tx } from './tx.ts';

const ASSIGNED = rank('assigned');
const RUNNING = rank('running');
const COMPLETE = rank('complete');

const cleanupNow = (t: Task): boolean =>
  t.desired === 'remove' && (rank(t.observed) < ASSIGNED || rank(t.observed) >= COMPLETE);
const terminal = (t: Task): boolean => rank(t.observed) > RUNNING;
const willNeverRun = (t: Task): boolean => rank(t.observed) < ASSIGNED && rank(t.desired) > RUNNING;

// Actions are immutable values: the one reaper action is shared.
const REAP: Action = { actor: 'reaper', kind: 'reap' };

export function reaperEnabled(s: State, out: ActionList): void {
  if (!s.reaperPending) return;
  if (s.reaperDirty.length > 0) {
    out.push(REAP);
    return;
  }
  for (const t of s.tasks)
    if (cleanupNow(t)) {
      out.push(REAP);
      return;
    }
}

export function reaperStep(s: State, _a: Action & { actor: 'reaper' }): State | string {
  if (!s.reaperPending) return 'the task reaper has nothing to do';
  const tx = new Tx(s);
  const del = new Set<string>();
  for (const t of s.tasks) if (cleanupNow(t)) del.add(t.id);
  const keep: string[] = [];
  for (const key of s.reaperDirty) {
    const slash = key.indexOf('/');
    const serviceId = key.slice(0, slash);
    const rest = key.slice(slash + 1);
    const svc = s.services.find((x) => x.id === serviceId);
    if (!svc) continue;
    let limit = s.taskHistoryLimit;
    if (svc.spec.task.restart.maxAttempts > 0) limit = svc.spec.task.restart.maxAttempts + 1;
    if (limit < 0) continue;
    // Replicated: all tasks of the slot. Global: the service's tasks on that node. The dirty key of a
    // replicated task is taken at creation (no node yet), so it names the slot.
    const inst = s.tasks.filter(
      (t) =>
        t.serviceId === serviceId &&
        (rest.startsWith('@') ? t.slot === 0 && t.nodeId === rest.slice(1) : t.slot === Number(rest)),
    );
    if (inst.length <= limit) continue;
    // TasksByTimestamp: oldest status timestamp first (ties: creation order).
    inst.sort((a, b) => a.statusAt - b.statusAt || a.seq - b.seq);
    let running = 0;
    for (const t of inst) {
      if (terminal(t) || willNeverRun(t)) {
        del.add(t.id);
        limit++;
        if (inst.length <= limit) break;
      } else running++;
    }
    if (running > 1) keep.push(key);
  }
  for (const id of del) tx.deleteTask(id);
  tx.clearReaperDirty(keep);
  tx.reaperPending = false;
  return tx.commit();
}
