/**
 * MODULE Types — moby/swarmkit:design/tla/Types.tla, transcribed.
 *
 * TLA+ values become small integers so that the explorer can hash states fast:
 * - a task state is its position in `order` (0-based; TLA+'s StateRank is 1-based, the comparisons
 *   `\prec`/`\preceq` are the same);
 * - a Task record is packed into one integer, 4 bits a field (see `mkTask`); a set of tasks is a sorted
 *   array of those integers, so equal records merge exactly as they do in a TLA+ set;
 * - a ServiceSpec record is `replicas << 1 | remove`, with `global` as replicas = GLOBAL.
 * Model values: node i is `n{i+1}`, service i is `s{i+1}`, task ID i is `t{i+1}`. The packed form can
 * hold values outside the TLA+ types (e.g. a task whose state is `remove`), so TypeOK stays a real check.
 */

/** The constants of the model (CONSTANT Node, ServiceId, TaskId, maxReplicas; SwarmKit's maxTerminated;
 * EventCounter's maxEvents definition, -1 = unlimited). Sets of model values are given by their size. */
export interface Constants {
  Node: number;
  ServiceId: number;
  TaskId: number;
  maxReplicas: number;
  maxTerminated: number;
  maxEvents: number;
}

/** Every field is packed in 4 bits, so each set may have at most 15 elements (one code is reserved). */
export const MAX_SET_SIZE = 14;

// (* The possible states for a task: *)
export const order = [
  'new',
  'pending',
  'assigned',
  'accepted',
  'preparing',
  'ready',
  'starting',
  'running',
  'complete',
  'shutdown',
  'failed',
  'rejected',
  'remove', // Only used as a ``desired state'', not an actual state
  'orphaned',
] as const;
export type StateName = (typeof order)[number];

export const NEW = 0;
export const PENDING = 1;
export const ASSIGNED = 2;
export const ACCEPTED = 3;
export const PREPARING = 4;
export const READY = 5;
export const STARTING = 6;
export const RUNNING = 7;
export const COMPLETE = 8;
export const SHUTDOWN = 9;
export const FAILED = 10;
export const REJECTED = 11;
export const REMOVE = 12;
export const ORPHANED = 13;

// s1 \prec s2   == StateRank(s1) < StateRank(s2)
export const prec = (s1: number, s2: number): boolean => s1 < s2;
// s1 \preceq s2 == StateRank(s1) <= StateRank(s2)
export const preceq = (s1: number, s2: number): boolean => s1 <= s2;

// TaskState == Range(order) \ {remove}
export const TaskState: readonly number[] = order.map((_, i) => i).filter((s) => s !== REMOVE);
export const isTaskState = (s: number): boolean => s >= NEW && s <= ORPHANED && s !== REMOVE;

// DesiredState == { ready, running, shutdown, remove }
export const DesiredState: readonly number[] = [READY, RUNNING, SHUTDOWN, REMOVE];
export const isDesiredState = (s: number): boolean =>
  s === READY || s === RUNNING || s === SHUTDOWN || s === REMOVE;

// unassigned == CHOOSE n : n \notin Node  (the .cfg binds it to the model value `unassigned`)
export const UNASSIGNED = 15;
// global == CHOOSE x : x \notin Nat  (the .cfg binds it to the model value `global`).
// As a slot it is packed as 0 (slots are 1..maxReplicas); as `replicas` as GLOBAL.
export const GLOBAL_SLOT = 0;
export const GLOBAL = 15;

// ServiceSpec == [ replicas : 0..maxReplicas \union {global}, remove : BOOLEAN ]
export const mkSpec = (replicas: number, remove: boolean): number => (replicas << 1) | (remove ? 1 : 0);
export const replicasOf = (spec: number): number => spec >> 1;
export const removeOf = (spec: number): boolean => (spec & 1) === 1;
/** `services[sid]` for sid \notin DOMAIN services. */
export const NO_SERVICE = -1;

/** The ServiceSpec set, in a fixed order (replicas 0..maxReplicas, then global; remove FALSE, TRUE). */
export function ServiceSpec(K: Constants): number[] {
  const out: number[] = [];
  for (const r of [...range(0, K.maxReplicas), GLOBAL])
    for (const rm of [false, true]) out.push(mkSpec(r, rm));
  return out;
}

// Task == [ id : TaskId, service : ServiceId, status : [state : TaskState],
//           desired_state : DesiredState, node : Node \union {unassigned}, slot : Slot \union {global} ]
// Packed: service<<20 | slot<<16 | node<<12 | id<<8 | state<<4 | desired_state.
export interface TaskFields {
  id: number;
  service: number;
  state: number;
  desired_state: number;
  node: number;
  slot: number;
}
export const mkTask = (f: TaskFields): number =>
  (f.service << 20) | (f.slot << 16) | (f.node << 12) | (f.id << 8) | (f.state << 4) | f.desired_state;
export const service = (t: number): number => (t >> 20) & 15;
export const slot = (t: number): number => (t >> 16) & 15;
export const node = (t: number): number => (t >> 12) & 15;
export const id = (t: number): number => (t >> 8) & 15;
export const desired = (t: number): number => t & 15;

// State(t) == t.status.state
export const State = (t: number): number => (t >> 4) & 15;

// [t EXCEPT !.status.state = s]
export const withState = (t: number, s: number): number => (t & ~0xf0) | (s << 4);
// [t EXCEPT !.desired_state = d]
export const withDesired = (t: number, d: number): number => (t & ~0xf) | d;
// [t EXCEPT !.status.state = s, !.node = n]
export const withStateNode = (t: number, s: number, n: number): number =>
  (t & ~0xf0f0) | (n << 12) | (s << 4);

// Runnable(t) == State(t) \preceq running
export const Runnable = (t: number): boolean => preceq(State(t), RUNNING);

/**
 * VSlot(t) == IF t.slot = global THEN t.node ELSE t.slot
 * A vslot is a slot (1..15) or a node; nodes are coded 16 + node so the two never collide
 * (TLA+'s Slot is a set of integers and Node a set of model values, also disjoint).
 */
export const VSLOT_NODE = 16;
export const VSlot = (t: number): number => (slot(t) === GLOBAL_SLOT ? VSLOT_NODE + node(t) : slot(t));
export const vslotIsNode = (v: number): boolean => v >= VSLOT_NODE;

// Id(t) == << t.service, VSlot(t), t.id >>   (a ModelTaskId)
export const Id = (t: number): number => (service(t) << 9) | (VSlot(t) << 4) | id(t);

/** Integers lo..hi. */
export function range(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let i = lo; i <= hi; i++) out.push(i);
  return out;
}

/** TLC-style display of values. */
export const nodeName = (n: number): string => (n === UNASSIGNED ? 'unassigned' : `n${n + 1}`);
export const slotName = (s: number): string => (s === GLOBAL_SLOT ? 'global' : String(s));
export const vslotName = (v: number): string => (vslotIsNode(v) ? nodeName(v - VSLOT_NODE) : String(v));
export const stateName = (s: number): string => (s < order.length ? `"${order[s]}"` : `<bad state ${s}>`);
export function showTask(t: number): string {
  return (
    `[id |-> t${id(t) + 1}, service |-> s${service(t) + 1}, status |-> [state |-> ${stateName(State(t))}], ` +
    `desired_state |-> ${stateName(desired(t))}, node |-> ${nodeName(node(t))}, slot |-> ${slotName(slot(t))}]`
  );
}
export function showSpec(spec: number): string {
  const r = replicasOf(spec);
  return `[replicas |-> ${r === GLOBAL ? 'global' : r}, remove |-> ${removeOf(spec) ? 'TRUE' : 'FALSE'}]`;
}
