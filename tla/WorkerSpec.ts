/**
 * MODULE WorkerSpec — moby/swarmkit:design/tla/WorkerSpec.tla, transcribed.
 *
 * Actions performed by worker nodes (actually, by the dispatcher on their behalf). SwarmKit.tla uses
 * them as `AgentTLC`, each conjoined with `UNCHANGED services`, which is what these functions do
 * (they copy `services` through).
 *
 * Enumeration follows TLC: one successor per satisfying binding of each `\E`, in action position.
 */
import { CountEvent } from './EventCounter.ts';
import { type Ctx, mkVars, type Vars } from './state.ts';
import { type TaskSet, UpdateTask1, UpdateTasks } from './Tasks.ts';
import {
  ACCEPTED,
  ASSIGNED,
  COMPLETE,
  desired,
  FAILED,
  node,
  ORPHANED,
  PREPARING,
  prec,
  preceq,
  READY,
  REJECTED,
  REMOVE,
  RUNNING,
  Runnable,
  SHUTDOWN,
  STARTING,
  State,
  UNASSIGNED,
  withState,
} from './Types.ts';

export type Emit = (next: Vars) => void;

// nodeUp == "up"  nodeDown == "down"  (bit n of `nodes` set = down)

/** A function applied outside its domain: TLC stops with this error. */
export class TlaDomainError extends Error {}

// IsUp(n) == nodes[n] = nodeUp
export function IsUp(v: Vars, n: number): boolean {
  if (n === UNASSIGNED)
    throw new TlaDomainError('Attempted to apply function nodes to argument unassigned, not in its domain');
  return ((v.nodes >> n) & 1) === 0;
}

/** The ``progress'' (desirable) transitions of ProgressTask, from -> to. */
const PROGRESS = new Int8Array(16).fill(-1);
PROGRESS[ASSIGNED] = ACCEPTED;
PROGRESS[ACCEPTED] = PREPARING;
PROGRESS[PREPARING] = READY;
PROGRESS[READY] = STARTING;
PROGRESS[STARTING] = RUNNING;

/**
 * (* Try to advance containers towards `desired_state' if we're not there yet. *)
 * ProgressTask ==
 *   /\ UNCHANGED << nodes, nEvents >>
 *   /\ \E t \in tasks, s2 \in TaskState :
 *        LET t2 == [t EXCEPT !.status.state = s2] IN
 *        /\ s2 \preceq t.desired_state
 *        /\ << State(t), State(t2) >> \in { <<assigned, accepted>>, ..., <<starting, running>> }
 *        /\ IsUp(t.node)
 *        /\ UpdateTasks(t :> t2)
 */
export function ProgressTask(v: Vars, _K: Ctx, emit: Emit): void {
  for (const t of v.tasks) {
    // \E s2 \in TaskState: of the 13 candidates only the progress successor of State(t) can satisfy
    // the second conjunct, so we test just that one, with the conjuncts in the spec's order.
    const s2 = PROGRESS[State(t)];
    if (s2 < 0) continue;
    if (!preceq(s2, desired(t))) continue;
    if (!IsUp(v, node(t))) continue;
    emit(mkVars(UpdateTask1(v.tasks, t, withState(t, s2)), v.services, v.nodes, v.nEvents));
  }
}

/**
 * (* A running container finishes because we stopped it. *)
 * ShutdownComplete ==
 *   /\ UNCHANGED << nodes, nEvents >>
 *   /\ \E t \in tasks :
 *      /\ t.desired_state \in {shutdown, remove}
 *      /\ State(t) = running
 *      /\ IsUp(t.node)
 *      /\ UpdateTasks(t :> [t EXCEPT !.status.state = shutdown])
 */
export function ShutdownComplete(v: Vars, _K: Ctx, emit: Emit): void {
  for (const t of v.tasks) {
    if (!(desired(t) === SHUTDOWN || desired(t) === REMOVE)) continue;
    if (State(t) !== RUNNING) continue;
    if (!IsUp(v, node(t))) continue;
    emit(mkVars(UpdateTask1(v.tasks, t, withState(t, SHUTDOWN)), v.services, v.nodes, v.nEvents));
  }
}

/**
 * RejectTask ==
 *   /\ UNCHANGED << nodes >>
 *   /\ CountEvent
 *   /\ \E t \in tasks :
 *        /\ State(t) \in { assigned, accepted, preparing, ready, starting }
 *        /\ IsUp(t.node)
 *        /\ UpdateTasks(t :> [t EXCEPT !.status.state = rejected])
 */
export function RejectTask(v: Vars, K: Ctx, emit: Emit): void {
  const nEvents = CountEvent(v.nEvents, K.maxEvents);
  if (nEvents === undefined) return;
  for (const t of v.tasks) {
    const s = State(t);
    if (!(s === ASSIGNED || s === ACCEPTED || s === PREPARING || s === READY || s === STARTING)) continue;
    if (!IsUp(v, node(t))) continue;
    emit(mkVars(UpdateTask1(v.tasks, t, withState(t, REJECTED)), v.services, v.nodes, nEvents));
  }
}

/**
 * (* We notify the managers that some running containers have finished.
 *    There might be several updates at once (e.g. if we're reconnecting). *)
 * ContainerExit ==
 *   /\ UNCHANGED << nodes >>
 *   /\ CountEvent
 *   /\ \E n \in Node :
 *        /\ IsUp(n)
 *        /\ \E ts \in SUBSET { t \in tasks : t.node = n /\ State(t) = running } :
 *           \E s2 \in [ ts -> { failed, complete } ] :
 *             UpdateTasks( [ t \in ts |-> [t EXCEPT !.status.state =
 *                              IF s2[t] = failed /\ t.desired_state = shutdown THEN shutdown
 *                              ELSE s2[t]] ] )
 *
 * Every subset `ts` (the empty one too, a stuttering step) and every exit-status function on it is
 * one binding: 3^k successors for k running tasks on the node.
 */
export function ContainerExit(v: Vars, K: Ctx, emit: Emit): void {
  const nEvents = CountEvent(v.nEvents, K.maxEvents);
  if (nEvents === undefined) return;
  for (const n of K.NodeSet) {
    if (!IsUp(v, n)) continue;
    const running = v.tasks.filter((t) => node(t) === n && State(t) === RUNNING);
    // Each running task is either outside ts, in ts with s2 = failed, or in ts with s2 = complete.
    const k = running.length;
    let combos = 1;
    for (let i = 0; i < k; i++) combos *= 3;
    for (let c = 0; c < combos; c++) {
      const dom: number[] = [];
      const rng: number[] = [];
      let x = c;
      for (let i = 0; i < k; i++) {
        const choice = x % 3;
        x = (x - choice) / 3;
        if (choice === 0) continue;
        const t = running[i];
        const s2 = choice === 1 ? FAILED : COMPLETE;
        dom.push(t);
        rng.push(withState(t, s2 === FAILED && desired(t) === SHUTDOWN ? SHUTDOWN : s2));
      }
      emit(mkVars(dom.length === 0 ? v.tasks : UpdateTasks(v.tasks, dom, rng), v.services, v.nodes, nEvents));
    }
  }
}

// TasksOwnedByNode(n) == { t \in tasks : /\ t.node = n /\ assigned \preceq State(t) /\ State(t) \prec remove }
export function TasksOwnedByNode(tasks: TaskSet, n: number): number[] {
  return tasks.filter((t) => node(t) === n && preceq(ASSIGNED, State(t)) && prec(State(t), REMOVE));
}

/**
 * (* The dispatcher notices that the worker is down (the connection is lost). *)
 * WorkerDown ==
 *   /\ UNCHANGED << tasks >>
 *   /\ CountEvent
 *   /\ \E n \in Node : /\ IsUp(n) /\ nodes' = [nodes EXCEPT ![n] = nodeDown]
 */
export function WorkerDown(v: Vars, K: Ctx, emit: Emit): void {
  const nEvents = CountEvent(v.nEvents, K.maxEvents);
  if (nEvents === undefined) return;
  for (const n of K.NodeSet) {
    if (!IsUp(v, n)) continue;
    emit(mkVars(v.tasks, v.services, v.nodes | (1 << n), nEvents));
  }
}

/**
 * WorkerUp ==
 *   /\ UNCHANGED << tasks, nEvents >>
 *   /\ \E n \in Node : /\ ~IsUp(n) /\ nodes' = [nodes EXCEPT ![n] = nodeUp]
 */
export function WorkerUp(v: Vars, K: Ctx, emit: Emit): void {
  for (const n of K.NodeSet) {
    if (IsUp(v, n)) continue;
    emit(mkVars(v.tasks, v.services, v.nodes & ~(1 << n), v.nEvents));
  }
}

/**
 * (* If SwarmKit sees a node as down for a long time (48 hours or so) then
 *    it marks all the node's tasks as orphaned. *)
 * OrphanTasks ==
 *   /\ UNCHANGED << nodes, nEvents >>
 *   /\ \E n \in Node :
 *        LET affected == { t \in TasksOwnedByNode(n) : Runnable(t) } IN
 *        /\ ~IsUp(n)
 *        /\ UpdateTasks([ t \in affected |-> [t EXCEPT !.status.state = orphaned] ])
 */
export function OrphanTasks(v: Vars, K: Ctx, emit: Emit): void {
  for (const n of K.NodeSet) {
    if (IsUp(v, n)) continue;
    const affected = TasksOwnedByNode(v.tasks, n).filter(Runnable);
    // UpdateTasks of the empty function leaves `tasks` as it is (a stuttering step).
    const tasks =
      affected.length === 0
        ? v.tasks
        : UpdateTasks(
            v.tasks,
            affected,
            affected.map((t) => withState(t, ORPHANED)),
          );
    emit(mkVars(tasks, v.services, v.nodes, v.nEvents));
  }
}

// AgentProgress == \/ ProgressTask \/ ShutdownComplete \/ OrphanTasks \/ WorkerUp
// Agent == \/ AgentProgress \/ RejectTask \/ ContainerExit \/ WorkerDown
// (composed in SwarmKit.ts as AgentTLC, with action labels)
