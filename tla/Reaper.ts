/**
 * MODULE Reaper (inside SwarmKit.tla) — actions performed by the task reaper, transcribed from
 * moby/swarmkit:design/tla/SwarmKit.tla.
 */
import { type Ctx, mkVars, type Vars } from './state.ts';
import { setRemove } from './Tasks.ts';
import { ASSIGNED, desired, ORPHANED, prec, REMOVE, Runnable, State } from './Types.ts';
import type { Emit } from './WorkerSpec.ts';

/**
 * (* Forget about tasks in remove or orphan states. *)
 * Reaper ==
 *   /\ UNCHANGED << services, nodes, nEvents >>
 *   /\ \E t \in tasks :
 *       /\ \/ /\ t.desired_state = remove
 *             /\ (State(t) \prec assigned \/ ~Runnable(t)) \* Not owned by agent
 *          \/ State(t) = orphaned
 *       /\ tasks' = tasks \ {t}
 *
 * TLC explores each true disjunct of a disjunction in action position separately, so a task that
 * is both flagged for removal (and not runnable) and orphaned yields the same successor twice; both
 * count as "states generated", exactly as TLC counts them.
 */
export function Reaper(v: Vars, _K: Ctx, emit: Emit): void {
  for (const t of v.tasks) {
    let witnesses = 0;
    if (desired(t) === REMOVE) {
      if (prec(State(t), ASSIGNED)) witnesses++;
      if (!Runnable(t)) witnesses++;
    }
    if (State(t) === ORPHANED) witnesses++;
    for (let k = 0; k < witnesses; k++) emit(mkVars(setRemove(v.tasks, t), v.services, v.nodes, v.nEvents));
  }
}
