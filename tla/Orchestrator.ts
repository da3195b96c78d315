/**
 * MODULE Orchestrator (inside SwarmKit.tla) — actions performed by the orchestrator, transcribed
 * from moby/swarmkit:design/tla/SwarmKit.tla.
 *
 * Enumeration follows TLC: one successor per satisfying binding of each `\E` in action position,
 * including the existential *conjunct* of ReplaceTask (`\E task \in ... : task.desired_state # remove`),
 * for which TLC generates the successor once per witness task.
 */
import { CountEvent } from './EventCounter.ts';
import { domainServices, IsReplicated, serviceSpec, TasksOf, TasksOfVSlot, VSlotsOf } from './Services.ts';
import type { Ctx, Vars } from './state.ts';
import { NewTask, normalise, setAdd, setRemove, UpdateTask1, UpdateTasks } from './Tasks.ts';
import {
  COMPLETE,
  desired,
  FAILED,
  id,
  NO_SERVICE,
  prec,
  preceq,
  READY,
  REJECTED,
  REMOVE,
  RUNNING,
  Runnable,
  removeOf,
  replicasOf,
  SHUTDOWN,
  State,
  service,
  slot,
  VSLOT_NODE,
  VSlot,
  withDesired,
} from './Types.ts';
import type { Emit } from './WorkerSpec.ts';

// (* The set of tasks for service `sid' that should be considered as active. *)
// RunnableTasks(sid) == { t \in TasksOf(sid) : Runnable(t) }
export function RunnableTasks(v: Vars, sid: number): number[] {
  return TasksOf(v, sid).filter(Runnable);
}

// RunnableWantedTasks(sid) == { t \in RunnableTasks(sid) : t.desired_state \preceq running }
export function RunnableWantedTasks(v: Vars, sid: number): number[] {
  return RunnableTasks(v, sid).filter((t) => preceq(desired(t), RUNNING));
}

// (* The set of possible new vslots for `sid'. *)
// UnusedVSlot(sid) == IF IsReplicated(sid) THEN Slot \ VSlotsOf(sid) ELSE Node \ VSlotsOf(sid)
export function UnusedVSlot(v: Vars, K: Ctx, sid: number): number[] {
  const used = VSlotsOf(v, sid);
  const universe = IsReplicated(v, sid) ? K.SlotSet : K.NodeSet.map((n) => VSLOT_NODE + n);
  return universe.filter((vs) => !used.includes(vs));
}

// UnusedId(sid, vslot) ==
//   LET swarmTaskIds == { t.id : t \in TasksOfVSlot(sid, vslot) }
//   IN  TaskId \ swarmTaskIds
export function UnusedId(v: Vars, K: Ctx, sid: number, vslot: number): number[] {
  const swarmTaskIds = TasksOfVSlot(v, sid, vslot).map(id);
  return K.TaskIdSet.filter((i) => !swarmTaskIds.includes(i));
}

/**
 * (* Create a new task/slot if the number of runnable tasks is less than the number requested. *)
 * CreateSlot ==
 *   /\ UNCHANGED << services, nodes, nEvents >>
 *   /\ \E sid \in DOMAIN services :
 *      /\ ~services[sid].remove
 *      /\ IsReplicated(sid) => services[sid].replicas > Cardinality(VSlotsOf(sid))
 *      /\ \E slot \in UnusedVSlot(sid) :
 *         \E id   \in UnusedId(sid, slot) :
 *            tasks' = tasks \union { NewTask(sid, slot, id, running) }
 */
export function CreateSlot(v: Vars, K: Ctx, emit: Emit): void {
  for (const sid of domainServices(v, K)) {
    if (removeOf(serviceSpec(v, sid))) continue;
    if (IsReplicated(v, sid) && !(replicasOf(serviceSpec(v, sid)) > VSlotsOf(v, sid).length)) continue;
    for (const vslot of UnusedVSlot(v, K, sid))
      for (const i of UnusedId(v, K, sid, vslot))
        emit({ ...v, tasks: setAdd(v.tasks, NewTask(sid, vslot, i, RUNNING)) });
  }
}

/**
 * (* Add a task if a slot exists, contains no runnable tasks, and we weren't trying to remove it. *)
 * ReplaceTask ==
 *   /\ UNCHANGED << services, nodes, nEvents >>
 *   /\ \E sid  \in DOMAIN services :
 *      \E slot \in VSlotsOf(sid) :
 *      /\ \A task \in TasksOfVSlot(sid, slot) : ~Runnable(task)
 *      /\ \E task \in TasksOfVSlot(sid, slot) : task.desired_state # remove
 *      /\ \E id \in UnusedId(sid, slot) :
 *         tasks' = tasks \union { NewTask(sid, slot, id, running) }
 */
export function ReplaceTask(v: Vars, K: Ctx, emit: Emit): void {
  for (const sid of domainServices(v, K)) {
    for (const vslot of VSlotsOf(v, sid)) {
      const inSlot = TasksOfVSlot(v, sid, vslot);
      if (!inSlot.every((task) => !Runnable(task))) continue;
      // TLC enumerates this existential conjunct: each witness continues the conjunction separately.
      for (const task of inSlot) {
        if (!(desired(task) !== REMOVE)) continue;
        for (const i of UnusedId(v, K, sid, vslot))
          emit({ ...v, tasks: setAdd(v.tasks, NewTask(sid, vslot, i, RUNNING)) });
      }
    }
  }
}

/**
 * (* If we have more replicas than the spec asks for, remove one of them. *)
 * RequestRemoval ==
 *   /\ UNCHANGED << services, nodes, nEvents >>
 *   /\ \E sid \in DOMAIN services :
 *        LET current == RunnableWantedTasks(sid)
 *        IN
 *        /\ IsReplicated(sid)
 *        /\ services[sid].replicas < Cardinality(current)
 *        /\ \E slot \in { t.slot : t \in current } :
 *             UpdateTasks( [ t \in TasksOfVSlot(sid, slot) |-> [t EXCEPT !.desired_state = remove] ] )
 */
export function RequestRemoval(v: Vars, K: Ctx, emit: Emit): void {
  for (const sid of domainServices(v, K)) {
    const current = RunnableWantedTasks(v, sid);
    if (!IsReplicated(v, sid)) continue;
    if (!(replicasOf(serviceSpec(v, sid)) < current.length)) continue;
    // { t.slot : t \in current } — the slot field (not VSlot), as the spec writes it.
    for (const s of normalise(current.map(slot))) {
      const dom = TasksOfVSlot(v, sid, s);
      emit({
        ...v,
        tasks: UpdateTasks(
          v.tasks,
          dom,
          dom.map((t) => withDesired(t, REMOVE)),
        ),
      });
    }
  }
}

/**
 * (* Mark a terminated task for removal if we already have `maxTerminated' terminated tasks for this slot. *)
 * CleanupTerminated ==
 *   /\ UNCHANGED << services, nodes, nEvents >>
 *   /\ \E sid  \in DOMAIN services :
 *      \E slot \in VSlotsOf(sid) :
 *      LET termTasksInSlot == { t \in TasksOfVSlot(sid, slot) :
 *                               State(t) \in { complete, shutdown, failed, rejected } }
 *      IN
 *      /\ Cardinality(termTasksInSlot) > maxTerminated
 *      /\ \E t \in termTasksInSlot :
 *         UpdateTasks(t :> [t EXCEPT !.desired_state = remove])
 */
export function CleanupTerminated(v: Vars, K: Ctx, emit: Emit): void {
  for (const sid of domainServices(v, K)) {
    for (const vslot of VSlotsOf(v, sid)) {
      const termTasksInSlot = TasksOfVSlot(v, sid, vslot).filter((t) => {
        const s = State(t);
        return s === COMPLETE || s === SHUTDOWN || s === FAILED || s === REJECTED;
      });
      if (!(termTasksInSlot.length > K.maxTerminated)) continue;
      for (const t of termTasksInSlot) emit({ ...v, tasks: UpdateTask1(v.tasks, t, withDesired(t, REMOVE)) });
    }
  }
}

/**
 * (* We don't model the updater explicitly, but we allow any task to be restarted (perhaps with
 *    a different image) at any time, which should cover the behaviours of the restart supervisor. *)
 * RestartTask ==
 *   /\ UNCHANGED << services, nodes >>
 *   /\ CountEvent
 *   /\ \E oldT  \in tasks :
 *      \E newId \in UnusedId(oldT.service, VSlot(oldT)) :
 *         /\ Runnable(oldT)
 *         /\ oldT.desired_state \prec shutdown
 *         /\ LET replacement == NewTask(oldT.service, VSlot(oldT), newId, ready)
 *            IN  tasks' = (tasks \ {oldT}) \union { [oldT EXCEPT !.desired_state = shutdown], replacement }
 */
export function RestartTask(v: Vars, K: Ctx, emit: Emit): void {
  const nEvents = CountEvent(v.nEvents, K.maxEvents);
  if (nEvents === undefined) return;
  for (const oldT of v.tasks) {
    for (const newId of UnusedId(v, K, service(oldT), VSlot(oldT))) {
      if (!Runnable(oldT)) continue;
      if (!prec(desired(oldT), SHUTDOWN)) continue;
      const replacement = NewTask(service(oldT), VSlot(oldT), newId, READY);
      const rest = setRemove(v.tasks, oldT);
      rest.push(withDesired(oldT, SHUTDOWN), replacement);
      emit({ ...v, nEvents, tasks: normalise(rest) });
    }
  }
}

/**
 * (* A task is set to wait at `ready' and the previous task for that slot has now finished.
 *    Allow it to proceed to `running'. *)
 * ReleaseReady ==
 *   /\ UNCHANGED << services, nodes, nEvents >>
 *   /\ \E t \in tasks :
 *        /\ t.desired_state = ready
 *        /\ State(t) = ready
 *        /\ \A other \in TasksOfVSlot(t.service, VSlot(t)) \ {t} : ~Runnable(other)
 *        /\ UpdateTasks(t :> [t EXCEPT !.desired_state = running])
 */
export function ReleaseReady(v: Vars, _K: Ctx, emit: Emit): void {
  for (const t of v.tasks) {
    if (desired(t) !== READY) continue;
    if (State(t) !== READY) continue;
    const others = TasksOfVSlot(v, service(t), VSlot(t)).filter((o) => o !== t);
    if (!others.every((other) => !Runnable(other))) continue;
    emit({ ...v, tasks: UpdateTask1(v.tasks, t, withDesired(t, RUNNING)) });
  }
}

/**
 * (* The user asked to remove a service, and now all its tasks have been cleaned up. *)
 * CleanupService ==
 *   /\ UNCHANGED << tasks, nodes, nEvents >>
 *   /\ \E sid \in DOMAIN services :
 *      /\ services[sid].remove = TRUE
 *      /\ TasksOf(sid) = {}
 *      /\ services' = [ i \in DOMAIN services \ {sid} |-> services[i] ]
 */
export function CleanupService(v: Vars, K: Ctx, emit: Emit): void {
  for (const sid of domainServices(v, K)) {
    if (removeOf(serviceSpec(v, sid)) !== true) continue;
    if (TasksOf(v, sid).length !== 0) continue;
    const services = v.services.slice();
    services[sid] = NO_SERVICE; // sid leaves DOMAIN services
    emit({ ...v, services });
  }
}

// OrchestratorProgress == \/ CreateSlot \/ ReplaceTask \/ RequestRemoval \/ CleanupTerminated
//                         \/ ReleaseReady \/ CleanupService
// Orchestrator == \/ OrchestratorProgress \/ RestartTask
// (composed in SwarmKit.ts, with action labels)
