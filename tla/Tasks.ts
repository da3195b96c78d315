/**
 * MODULE Tasks — moby/swarmkit:design/tla/Tasks.tla, transcribed.
 *
 * `tasks` is a set of Task records: here a sorted array of packed tasks with no duplicates, so two
 * identical records merge, as in TLA+.
 */
import {
  ACCEPTED,
  ASSIGNED,
  COMPLETE,
  FAILED,
  GLOBAL_SLOT,
  Id,
  id,
  mkTask,
  NEW,
  ORPHANED,
  PENDING,
  PREPARING,
  preceq,
  READY,
  REJECTED,
  RUNNING,
  SHUTDOWN,
  STARTING,
  service,
  UNASSIGNED,
  VSLOT_NODE,
  VSlot,
  vslotIsNode,
} from './Types.ts';

export type TaskSet = readonly number[];

// ---- Finite sets of packed values (sorted arrays) ----

/** S \union {x} */
export function setAdd(S: TaskSet, x: number): number[] {
  let i = 0;
  while (i < S.length && S[i] < x) i++;
  if (S[i] === x) return S.slice();
  const out = S.slice(0, i);
  out.push(x);
  for (; i < S.length; i++) out.push(S[i]);
  return out;
}

/** S \ {x} */
export function setRemove(S: TaskSet, x: number): number[] {
  const out: number[] = [];
  for (const y of S) if (y !== x) out.push(y);
  return out;
}

/** Sorts and removes duplicates: the canonical form of a set. */
export function normalise(xs: number[]): number[] {
  // Insertion sort: these sets have a handful of elements.
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i];
    let j = i - 1;
    while (j >= 0 && xs[j] > x) {
      xs[j + 1] = xs[j];
      j--;
    }
    xs[j + 1] = x;
  }
  let w = 0;
  for (let r = 0; r < xs.length; r++) if (r === 0 || xs[r] !== xs[w - 1]) xs[w++] = xs[r];
  if (w !== xs.length) xs.length = w;
  return xs;
}

/** An assertion failure, as TLC reports `Assert(FALSE, msg)`: the search stops with an error. */
export class TlaAssertionFailure extends Error {}

/**
 * UpdateTasks(f) ==
 *   /\ Assert(\A t \in DOMAIN f : t \in tasks, "An old task does not exist!")
 *   /\ Assert(\A t \in DOMAIN f : LET t2 == f[t] IN /\ t.id = t2.id /\ t.service = t2.service
 *                                                   /\ VSlot(t) = VSlot(t2),
 *             "An update changes a task's identity!")
 *   /\ tasks' = (tasks \ DOMAIN f) \union Range(f)
 *
 * The function f is given as parallel arrays: f[dom[i]] = rng[i] (dom has no duplicates).
 * Returns the new value of `tasks`.
 */
export function UpdateTasks(tasks: TaskSet, dom: readonly number[], rng: readonly number[]): number[] {
  for (const t of dom)
    if (!tasks.includes(t)) throw new TlaAssertionFailure('Assertion failed: An old task does not exist!');
  for (let i = 0; i < dom.length; i++) {
    const t = dom[i];
    const t2 = rng[i];
    if (!(id(t) === id(t2) && service(t) === service(t2) && VSlot(t) === VSlot(t2)))
      throw new TlaAssertionFailure("Assertion failed: An update changes a task's identity!");
  }
  const out: number[] = [];
  for (const t of tasks) if (!dom.includes(t)) out.push(t);
  for (const t2 of rng) out.push(t2);
  return normalise(out);
}

/** UpdateTasks(t :> t2), the common single-task case (same checks, no intermediate arrays). */
export function UpdateTask1(tasks: TaskSet, t: number, t2: number): number[] {
  if (!tasks.includes(t)) throw new TlaAssertionFailure('Assertion failed: An old task does not exist!');
  if (!(id(t) === id(t2) && service(t) === service(t2) && VSlot(t) === VSlot(t2)))
    throw new TlaAssertionFailure("Assertion failed: An update changes a task's identity!");
  // (tasks \ {t}) \union {t2}, kept sorted.
  const out: number[] = [];
  let placed = false;
  for (let k = 0; k < tasks.length; k++) {
    const x = tasks[k];
    if (x === t) continue;
    if (!placed && t2 <= x) {
      if (t2 !== x) out.push(t2);
      placed = true;
    }
    out.push(x);
  }
  if (!placed) out.push(t2);
  return out;
}

/**
 * (* A `new' task belonging to service `sid' with the given slot, id, and desired state. *)
 * NewTask(sid, vslot, id, desired_state) ==
 *   [ id |-> id, service |-> sid, status |-> [ state |-> new ], desired_state |-> desired_state,
 *     node |-> IF vslot \in Node THEN vslot ELSE unassigned,
 *     slot |-> IF vslot \in Slot THEN vslot ELSE global ]
 */
export function NewTask(sid: number, vslot: number, tid: number, desired_state: number): number {
  return mkTask({
    id: tid,
    service: sid,
    state: NEW,
    desired_state,
    node: vslotIsNode(vslot) ? vslot - VSLOT_NODE : UNASSIGNED,
    slot: vslotIsNode(vslot) ? GLOBAL_SLOT : vslot,
  });
}

// IdSet(S) == { Id(t) : t \in S }
export function IdSet(S: TaskSet): number[] {
  return normalise(S.map(Id));
}

// (* A special ``state'' used when a task doesn't exist. *)  null == "null"
export const NULL = 15;

/** A transition << from, to >> as one integer (either side may be NULL). */
export const pair = (from: number, to: number): number => (from << 4) | to;

export type Actor = 'orchestrator' | 'allocator' | 'scheduler' | 'agent' | 'reaper';

/** (* All the possible transitions, grouped by the component that performs them. *) */
export const Transitions: Record<Actor, ReadonlySet<number>> = {
  orchestrator: new Set([pair(NULL, NEW)]),
  allocator: new Set([pair(NEW, PENDING)]),
  scheduler: new Set([pair(PENDING, ASSIGNED)]),
  agent: new Set([
    pair(ASSIGNED, ACCEPTED),
    pair(ACCEPTED, PREPARING),
    pair(PREPARING, READY),
    pair(READY, STARTING),
    pair(STARTING, RUNNING),

    pair(ASSIGNED, REJECTED),
    pair(ACCEPTED, REJECTED),
    pair(PREPARING, REJECTED),
    pair(READY, REJECTED),
    pair(STARTING, REJECTED),

    pair(RUNNING, COMPLETE),
    pair(RUNNING, FAILED),

    pair(RUNNING, SHUTDOWN),

    pair(ASSIGNED, ORPHANED),
    pair(ACCEPTED, ORPHANED),
    pair(PREPARING, ORPHANED),
    pair(READY, ORPHANED),
    pair(STARTING, ORPHANED),
    pair(RUNNING, ORPHANED),
  ]),
  reaper: new Set([
    pair(NEW, NULL),
    pair(PENDING, NULL),
    pair(REJECTED, NULL),
    pair(COMPLETE, NULL),
    pair(FAILED, NULL),
    pair(SHUTDOWN, NULL),
    pair(ORPHANED, NULL),
  ]),
};

/**
 * TransitionTableOK (checked by TLC as an ASSUME):
 * - no transition moves to a lower-ranked state;
 * - every source state has exactly one component handling transitions out of it, except the reaper
 *   removing `new' and `pending' tasks flagged for removal.
 */
export function TransitionTableOK(): boolean {
  const from = (p: number) => p >> 4;
  const to = (p: number) => p & 15;
  const actors = Object.keys(Transitions) as Actor[];
  for (const a of actors)
    for (const p of Transitions[a])
      if (!(from(p) === NULL || to(p) === NULL || preceq(from(p), to(p)))) return false;
  const exceptions = new Set([pair(NEW, NULL), pair(PENDING, NULL)]);
  const source = (a: Actor) => new Set([...Transitions[a]].filter((p) => !exceptions.has(p)).map(from));
  for (const a1 of actors)
    for (const a2 of actors) {
      if (a1 === a2) continue;
      for (const s of source(a1)) if (source(a2).has(s)) return false;
    }
  return true;
}
