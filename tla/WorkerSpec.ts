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
import type { Ctx, Vars } from './state.ts';
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
  TaskState,
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
const PROGRESS: ReadonlyMap<number, number> = new Map([
  [ASSIGNED, ACCEPTED],
  [ACCEPTED, PREPARING],
  [PREPARING, READY],
  [READY, STARTING],
  [STARTING, RUNNING],
]);

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
    for (const s2 of TaskState) {
      if (!preceq(s2, desired(t))) continue;
      if (PROGRESS.get(State(t)) !== s2) continue;
      if (!IsUp(v, node(t))) continue;
      emit({ ...v, tasks: UpdateTask1(v.tasks, t, withState(t, s2)) });
    }
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
    emit({ ...v, tasks: UpdateTask1(v.tasks, t, withState(t, SHUTDOWN)) });
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
    emit({ ...v, nEvents, tasks: UpdateTask1(v.tasks, t, withState(t, REJECTED)) });
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
      emit({ ...v, nEvents, tasks: UpdateTasks(v.tasks, dom, rng) });
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
    emit({ ...v, nEvents, nodes: v.nodes | (1 << n) });
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
    emit({ ...v, nodes: v.nodes & ~(1 << n) });
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
    const affected = TasksOwnedByNode(v.tasks, n).filter(Runnable);
    if (IsUp(v, n)) continue;
    emit({
      ...v,
      tasks: UpdateTasks(
        v.tasks,
        affected,
        affected.map((t) => withState(t, ORPHANED)),
      ),
    });
  }
}

// AgentProgress == \/ ProgressTask \/ ShutdownComplete \/ OrphanTasks \/ WorkerUp
// Agent == \/ AgentProgress \/ RejectTask \/ ContainerExit \/ WorkerDown
// (composed in SwarmKit.ts as AgentTLC, with action labels)
