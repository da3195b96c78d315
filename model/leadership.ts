/**
 * What happens when a manager becomes leader (moby/swarmkit:manager/manager.go (becomeLeader)): the
 * leader-only components start from the store, their memory from the old leader is gone.
 * - Dispatcher (dispatcher.go (markNodesUnknown)): every node not DOWN → UNKNOWN with a deadline of
 *   6 heartbeat periods; DOWN nodes restart their 24 h orphan timer.
 * - Restart supervisor history rebuilt (orchestrator/taskinit/init.go (CheckTasks)): per instance, the
 *   tasks of the highest spec version in creation order; each after the first counts as one restart.
 *   Tasks of deleted services are deleted. Tasks left desired READY get a fresh delayed start for the
 *   rest of their delay, without waiting for any old task (or start now); a READY task that has
 *   already failed loses its delayed start and is restarted at once (FixTask).
 * - Orchestrators reconcile every service; the scheduler and the reaper look at everything.
 * - The scheduler is a new one (manager.go (becomeLeader): scheduler.New): its failure memory starts
 *   empty, and building its node set from the store (scheduler.go (setupTasksList)) skips tasks already
 *   past RUNNING, so failures from before the failover are not counted again.
 */
import { FRESH_PORT_ALLOCATOR } from './allocator.ts';
import { serviceById } from './byId.ts';
import { NODE_DOWN_ORPHAN_MS, OLD_TASK_TIMEOUT_MS, UNKNOWN_GRACE_MULTIPLIER } from './defaults.ts';
import { refreshLiveness } from './dispatcher.ts';
import { forgetUpdaters } from './orchestrator/updater.ts';
import type { RestartHistory, State, Task } from './state.ts';
import { rank } from './taskState.ts';
import { copyNode, copyService, instanceKey, Tx } from './tx.ts';

export function becomeLeader(s: State, id: string): State {
  const tx = new Tx(s);
  // Written out, not spread: a spread copy gets another object shape (see model/orchestrator/index.ts).
  tx.patch.raft = { voters: s.raft.voters, leader: id, term: s.raft.term + 1 };
  const now = s.now;
  // markNodesUnknown
  // (Each node copied and its fields set directly: a leader change rewrites every node.)
  for (let i = 0; i < tx.nodes.length; i++) {
    const n = copyNode(tx.nodes[i]);
    if (n.status === 'down') {
      n.dispatcher = { heartbeatDeadline: -1, orphanAt: now + NODE_DOWN_ORPHAN_MS };
    } else {
      n.status = 'unknown';
      n.statusMessage = 'Node moved to "unknown" state due to leadership change in cluster';
      n.dispatcher = {
        heartbeatDeadline: now + UNKNOWN_GRACE_MULTIPLIER * s.heartbeatPeriodMs,
        orphanAt: -1,
      };
    }
    n.pending = { globalReconcile: true, enforce: true };
    tx.setNode(i, n);
  }
  // CheckTasks. Instances (service, slot) or (service, node) in order of first appearance, found by
  // comparing with each instance's first task (a task's key string is only built for a history entry;
  // a scan of the few instances is cheaper than maps per service).
  const instances: Task[][] = [];
  for (const t of s.tasks) {
    if (serviceById(s.services, t.serviceId) === undefined) {
      tx.deleteTask(t.id);
      continue;
    }
    const l = instanceOf(instances, t);
    if (l) l.push(t);
    else instances.push([t]);
    if (t.desired !== 'ready') continue;
    if (rank(t.observed) > rank('complete')) {
      // A READY task that failed gets no delayed start from CheckTasks, and the old leader's timer died
      // with it: the new restart supervisor holds no delay for the task, so the Restart that FixTask
      // queues goes ahead at once (restart.go (Restart): only a task with a pending delay waits for it).
      if (t.delayed !== null) tx.updateTask(t.id, { delayed: null });
      continue;
    }
    let delay = t.spec.restart.delayMs;
    if (delay !== 0) {
      const remaining = t.statusAt + delay - now;
      if (remaining < delay) delay = remaining;
    }
    if (delay > 0)
      tx.updateTask(t.id, {
        delayed: {
          startAt: now + delay,
          oldTaskId: '',
          oldNodeId: t.nodeId,
          timeoutAt: now + OLD_TASK_TIMEOUT_MS,
        },
      });
    else tx.updateTask(t.id, { desired: 'running', delayed: null });
  }
  const history: RestartHistory[] = [];
  for (const inst of instances) {
    if (inst.length < 2) continue; // a lone task has no replacement to count (and most instances are lone)
    let maxVersion = 0;
    for (const t of inst) if (t.specVersion > maxVersion) maxVersion = t.specVersion;
    const upToDate = inst.filter((t) => t.specVersion === maxVersion);
    if (upToDate.length < 2) continue; // the first up-to-date task is not a restart
    // In creation order already: tasks are only appended and deleted (invariant TasksInCreationOrder).
    const recorded = upToDate.slice(1).filter((t) => t.spec.restart.maxAttempts > 0);
    if (recorded.length === 0) continue;
    history.push({
      key: instanceKey(inst[0]),
      specVersion: maxVersion,
      totalRestarts: recorded.length,
      restartedAt: recorded.filter((t) => t.spec.restart.windowMs !== 0).map((t) => t.createdAt),
    });
  }
  tx.setHistory(history);
  if (tx.schedulerFailures.length > 0) tx.schedulerFailures = [];
  // A fresh port allocator: its serial search starts from the bottom of the dynamic range again
  // (moby/swarmkit:manager/allocator/portallocator.go (newPortAllocator)); the services' ports are
  // re-reserved as they are (reconcilePortConfigs keeps them), which does not move the search.
  tx.dynamicPortNext = FRESH_PORT_ALLOCATOR;
  for (let i = 0; i < tx.services.length; i++) {
    const svc = copyService(tx.services[i]);
    svc.reconcile = true;
    tx.setService(i, svc);
  }
  tx.schedulerPending = true;
  tx.reaperPending = true;
  return refreshLiveness(forgetUpdaters(tx.commit()));
}

/** The instance of `t` among `instances`: same service and slot, or same node for slot 0 (global). */
function instanceOf(instances: readonly Task[][], t: Task): Task[] | undefined {
  for (const inst of instances) {
    const first = inst[0];
    if (first.serviceId !== t.serviceId || first.slot !== t.slot) continue;
    if (t.slot !== 0 || first.nodeId === t.nodeId) return inst;
  }
  return undefined;
}
