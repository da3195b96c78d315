/**
 * MODULE User (inside SwarmKit.tla) — actions performed by users, transcribed from
 * moby/swarmkit:design/tla/SwarmKit.tla.
 */
import { CountEvent } from './EventCounter.ts';
import { TasksOf } from './Services.ts';
import { type Ctx, mkVars, type Vars } from './state.ts';
import { UpdateTasks } from './Tasks.ts';
import { GLOBAL, mkSpec, NO_SERVICE, REMOVE, removeOf, replicasOf, withDesired } from './Types.ts';
import type { Emit } from './WorkerSpec.ts';

function withService(services: readonly number[], sid: number, spec: number): number[] {
  const out = services.slice();
  out[sid] = spec;
  return out;
}

/**
 * (* Create a new service with any ServiceSpec. *)
 * CreateService ==
 *   /\ UNCHANGED << tasks, nodes, nEvents >>
 *   /\ \E sid \in ServiceId \ DOMAIN services,     \* `sid' is an unused ServiceId
 *        spec \in ServiceSpec :                    \* `spec' is any ServiceSpec
 *         /\ spec.remove = FALSE                   \* (not flagged for removal)
 *         /\ services' = services @@ sid :> spec   \* Add `sid |-> spec' to `services'
 */
export function CreateService(v: Vars, K: Ctx, emit: Emit): void {
  for (const sid of K.ServiceIdSet) {
    if (v.services[sid] !== NO_SERVICE) continue;
    for (const spec of K.ServiceSpecSet) {
      if (removeOf(spec) !== false) continue;
      emit(mkVars(v.tasks, withService(v.services, sid, spec), v.nodes, v.nEvents));
    }
  }
}

/**
 * (* Update an existing service's spec. *)
 * UpdateService ==
 *   /\ UNCHANGED << tasks, nodes >>
 *   /\ CountEvent \* Flag as an event for model-checking purposes
 *   /\ \E sid     \in DOMAIN services,   \* `sid' is an existing ServiceId
 *         newSpec \in ServiceSpec :      \* `newSpec' is any `ServiceSpec'
 *        /\ services[sid].remove = FALSE \* We weren't trying to remove sid
 *        /\ newSpec.remove = FALSE       \* and we still aren't.
 *        \* You can't change a service's mode:
 *        /\ (services[sid].replicas = global) <=> (newSpec.replicas = global)
 *        /\ services' = [ services EXCEPT ![sid] = newSpec ]
 */
export function UpdateService(v: Vars, K: Ctx, emit: Emit): void {
  const nEvents = CountEvent(v.nEvents, K.maxEvents);
  if (nEvents === undefined) return;
  for (const sid of K.ServiceIdSet) {
    const old = v.services[sid];
    if (old === NO_SERVICE) continue;
    for (const newSpec of K.ServiceSpecSet) {
      if (removeOf(old) !== false) continue;
      if (removeOf(newSpec) !== false) continue;
      if ((replicasOf(old) === GLOBAL) !== (replicasOf(newSpec) === GLOBAL)) continue;
      emit(mkVars(v.tasks, withService(v.services, sid, newSpec), v.nodes, nEvents));
    }
  }
}

/**
 * (* The user removes a service. ... Here we model the proposed fix, in which we just flag the
 *    service for removal. *)
 * RemoveService ==
 *   /\ UNCHANGED << nodes >>
 *   /\ CountEvent
 *   /\ \E sid \in DOMAIN services : \* sid is some existing service
 *        \* Flag service for removal:
 *        /\ services' = [services EXCEPT ![sid].remove = TRUE]
 *        \* Flag every task of the service for removal:
 *        /\ UpdateTasks([ t \in TasksOf(sid) |-> [t EXCEPT !.desired_state = remove] ])
 */
export function RemoveService(v: Vars, K: Ctx, emit: Emit): void {
  const nEvents = CountEvent(v.nEvents, K.maxEvents);
  if (nEvents === undefined) return;
  for (const sid of K.ServiceIdSet) {
    const spec = v.services[sid];
    if (spec === NO_SERVICE) continue;
    const dom = TasksOf(v, sid);
    const services = withService(v.services, sid, mkSpec(replicasOf(spec), true));
    const tasks =
      dom.length === 0
        ? v.tasks
        : UpdateTasks(
            v.tasks,
            dom,
            dom.map((t) => withDesired(t, REMOVE)),
          );
    emit(mkVars(tasks, services, v.nodes, nEvents));
  }
}

// User == \/ CreateService \/ UpdateService \/ RemoveService
