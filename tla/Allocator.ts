/**
 * MODULE Allocator (inside SwarmKit.tla) — actions performed by the allocator, transcribed from
 * moby/swarmkit:design/tla/SwarmKit.tla.
 */
import { type Ctx, mkVars, type Vars } from './state.ts';
import { UpdateTask1 } from './Tasks.ts';
import { NEW, PENDING, State, withState } from './Types.ts';
import type { Emit } from './WorkerSpec.ts';

/**
 * (* Pick a `new' task and move it to `pending'. ... we don't model any resources here. *)
 * AllocateTask ==
 *   /\ UNCHANGED << services, nodes, nEvents >>
 *   /\ \E t \in tasks :
 *      /\ State(t) = new
 *      /\ UpdateTasks(t :> [t EXCEPT !.status.state = pending])
 */
export function AllocateTask(v: Vars, _K: Ctx, emit: Emit): void {
  for (const t of v.tasks) {
    if (State(t) !== NEW) continue;
    emit(mkVars(UpdateTask1(v.tasks, t, withState(t, PENDING)), v.services, v.nodes, v.nEvents));
  }
}

// AllocatorProgress == \/ AllocateTask
// Allocator == \/ AllocatorProgress
