/**
 * MODULE Orchestrator (inside SwarmKit.tla) — actions performed by the orchestrator, transcribed
 * from moby/swarmkit:design/tla/SwarmKit.tla.
 *
 * Enumeration follows TLC: one successor per satisfying binding of each `\E` in action position,
 * including the existential *conjunct* of ReplaceTask (`\E task \in ... : task.desired_state # remove`),
 * for which TLC generates the successor once per witness task.
 */
import { CountEvent } from './EventCounter.ts';
import {
  type BitSet,
  cardinality,
  domainServices,
  IsReplicated,
  lowest,
  serviceSpec,
  TasksOf,
  TasksOfVSlot,
  VSlotsOf,
} from './Services.ts';
import { type Ctx, mkVars, type Vars } from './state.ts';
import { NewTask, setAdd, setRemove, UpdateTask1, UpdateTasks } from './Tasks.ts';
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
export function UnusedVSlot(v: Vars, K: Ctx, sid: number): BitSet {
  return (IsReplicated(v, sid) ? K.slotBits : K.nodeVSlotBits) & ~VSlotsOf(v, sid);
}

// UnusedId(sid, vslot) ==
//   LET swarmTaskIds == { t.id : t \in TasksOfVSlot(sid, vslot) }
//   IN  TaskId \ swarmTaskIds
export function UnusedId(v: Vars, K: Ctx, sid: number, vslot: number): BitSet {
  let swarmTaskIds = 0;
  for (const t of v.tasks) if (service(t) === sid && VSlot(t) === vslot) swarmTaskIds |= 1 << id(t);
  return K.taskIdBits & ~swarmTaskIds;
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
  for (let dom = domainServices(v, K); dom !== 0; dom &= dom - 1) {
    const sid = lowest(dom);
    if (removeOf(serviceSpec(v, sid))) continue;
    if (IsReplicated(v, sid) && !(replicasOf(serviceSpec(v, sid)) > cardinality(VSlotsOf(v, sid)))) continue;
    for (let slots = UnusedVSlot(v, K, sid); slots !== 0; slots &= slots - 1) {
      const vslot = lowest(slots);
      for (let ids = UnusedId(v, K, sid, vslot); ids !== 0; ids &= ids - 1)
        emit(
          mkVars(setAdd(v.tasks, NewTask(sid, vslot, lowest(ids), RUNNING)), v.services, v.nodes, v.nEvents),
        );
    }
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
  for (let dom = domainServices(v, K); dom !== 0; dom &= dom - 1) {
    const sid = lowest(dom);
    for (let slots = VSlotsOf(v, sid); slots !== 0; slots &= slots - 1) {
      const vslot = lowest(slots);
      // \A task \in TasksOfVSlot(sid, slot) : ~Runnable(task)
      // and the witnesses of \E task \in TasksOfVSlot(sid, slot) : task.desired_state # remove.
      // TLC enumerates that existential conjunct: each witness continues the conjunction, so the
      // successors are generated once per witness.
      let allDead = true;
      let witnesses = 0;
      for (const task of v.tasks) {
        if (service(task) !== sid || VSlot(task) !== vslot) continue;
        if (Runnable(task)) allDead = false;
        if (desired(task) !== REMOVE) witnesses++;
      }
      if (!allDead) continue;
      for (let w = 0; w < witnesses; w++)
        for (let ids = UnusedId(v, K, sid, vslot); ids !== 0; ids &= ids - 1)
          emit(
            mkVars(
              setAdd(v.tasks, NewTask(sid, vslot, lowest(ids), RUNNING)),
              v.services,
              v.nodes,
              v.nEvents,
            ),
          );
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
  for (let dom = domainServices(v, K); dom !== 0; dom &= dom - 1) {
    const sid = lowest(dom);
    if (!IsReplicated(v, sid)) continue;
    // current == RunnableWantedTasks(sid); { t.slot : t \in current } uses the slot field (not VSlot).
    let nCurrent = 0;
    let currentSlots = 0;
    for (const t of v.tasks) {
      if (service(t) !== sid || !Runnable(t) || !preceq(desired(t), RUNNING)) continue;
      nCurrent++;
      currentSlots |= 1 << slot(t);
    }
    if (!(replicasOf(serviceSpec(v, sid)) < nCurrent)) continue;
    for (let m = currentSlots; m !== 0; m &= m - 1) {
      const s = lowest(m);
      const dom = TasksOfVSlot(v, sid, s);
      const tasks = UpdateTasks(
        v.tasks,
        dom,
        dom.map((t) => withDesired(t, REMOVE)),
      );
      emit(mkVars(tasks, v.services, v.nodes, v.nEvents));
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
  for (let dom = domainServices(v, K); dom !== 0; dom &= dom - 1) {
    const sid = lowest(dom);
    for (let slots = VSlotsOf(v, sid); slots !== 0; slots &= slots - 1) {
      const vslot = lowest(slots);
      let n = 0;
      for (const t of v.tasks) if (service(t) === sid && VSlot(t) === vslot && isTerminated(t)) n++;
      if (!(n > K.maxTerminated)) continue;
      for (const t of v.tasks)
        if (service(t) === sid && VSlot(t) === vslot && isTerminated(t))
          emit(mkVars(UpdateTask1(v.tasks, t, withDesired(t, REMOVE)), v.services, v.nodes, v.nEvents));
    }
  }
}

// State(t) \in { complete, shutdown, failed, rejected }
function isTerminated(t: number): boolean {
  const s = State(t);
  return s === COMPLETE || s === SHUTDOWN || s === FAILED || s === REJECTED;
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
    // The two guards do not depend on newId, so testing them first yields the same bindings.
    if (!Runnable(oldT)) continue;
    if (!prec(desired(oldT), SHUTDOWN)) continue;
    for (let ids = UnusedId(v, K, service(oldT), VSlot(oldT)); ids !== 0; ids &= ids - 1) {
      const replacement = NewTask(service(oldT), VSlot(oldT), lowest(ids), READY);
      const tasks = setAdd(setAdd(setRemove(v.tasks, oldT), withDesired(oldT, SHUTDOWN)), replacement);
      emit(mkVars(tasks, v.services, v.nodes, nEvents));
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
    let othersDead = true;
    for (const other of v.tasks)
      if (other !== t && service(other) === service(t) && VSlot(other) === VSlot(t) && Runnable(other))
        othersDead = false;
    if (!othersDead) continue;
    emit(mkVars(UpdateTask1(v.tasks, t, withDesired(t, RUNNING)), v.services, v.nodes, v.nEvents));
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
  for (let dom = domainServices(v, K); dom !== 0; dom &= dom - 1) {
    const sid = lowest(dom);
    if (removeOf(serviceSpec(v, sid)) !== true) continue;
    if (TasksOf(v, sid).length !== 0) continue;
    const services = v.services.slice();
    services[sid] = NO_SERVICE; // sid leaves DOMAIN services
    emit(mkVars(v.tasks, services, v.nodes, v.nEvents));
  }
}

// OrchestratorProgress == \/ CreateSlot \/ ReplaceTask \/ RequestRemoval \/ CleanupTerminated
//                         \/ ReleaseReady \/ CleanupService
// Orchestrator == \/ OrchestratorProgress \/ RestartTask
// (composed in SwarmKit.ts, with action labels)
