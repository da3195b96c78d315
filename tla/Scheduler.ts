/**
 * MODULE Scheduler (inside SwarmKit.tla) — actions performed by the scheduler, transcribed from
 * moby/swarmkit:design/tla/SwarmKit.tla.
 */
import { type Ctx, mkVars, type Vars } from './state.ts';
import { UpdateTask1 } from './Tasks.ts';
import { ASSIGNED, node, PENDING, State, UNASSIGNED, withStateNode } from './Types.ts';
import type { Emit } from './WorkerSpec.ts';

/**
 * (* The scheduler assigns a node to a `pending' task and moves it to `assigned'
 *    once sufficient resources are available (we don't model resources here). *)
 * Scheduler ==
 *   /\ UNCHANGED << services, nodes, nEvents >>
 *   /\ \E t \in tasks :
 *      /\ State(t) = pending
 *      /\ LET candidateNodes == IF t.node = unassigned THEN Node ELSE { t.node }
 *         IN
 *         \E node \in candidateNodes :
 *            UpdateTasks(t :> [t EXCEPT !.status.state = assigned, !.node = node ])
 */
export function Scheduler(v: Vars, K: Ctx, emit: Emit): void {
  for (const t of v.tasks) {
    if (State(t) !== PENDING) continue;
    const candidateNodes = node(t) === UNASSIGNED ? K.NodeSet : [node(t)];
    for (const n of candidateNodes)
      emit(mkVars(UpdateTask1(v.tasks, t, withStateNode(t, ASSIGNED, n)), v.services, v.nodes, v.nEvents));
  }
}
