/**
 * The variables of SwarmKit.tla (`vars == << tasks, services, nodes, nEvents >>`), their canonical
 * encoding for the explorer, and the derived constant sets every module uses.
 */
import type { TaskSet } from './Tasks.ts';
import {
  type Constants,
  MAX_SET_SIZE,
  NO_SERVICE,
  range,
  ServiceSpec,
  showSpec,
  showTask,
  VSLOT_NODE,
} from './Types.ts';

export interface Vars {
  /** Tasks.tla `tasks`: a set of packed Task records, sorted (canonical). */
  readonly tasks: TaskSet;
  /** SwarmKit.tla `services`: services[sid] is a packed ServiceSpec, or NO_SERVICE if sid \notin DOMAIN. */
  readonly services: readonly number[];
  /** WorkerSpec.tla `nodes`: bit n set means nodes[n] = nodeDown (clear = nodeUp). */
  readonly nodes: number;
  /** EventCounter.tla `nEvents`. */
  readonly nEvents: number;
}

/** A state; every action names all four variables (the TLA+ UNCHANGED ones are passed through). */
export function mkVars(tasks: TaskSet, services: readonly number[], nodes: number, nEvents: number): Vars {
  return { tasks, services, nodes, nEvents };
}

/** The constants plus the sets derived from them, computed once. */
export interface Ctx extends Constants {
  /** Node, ServiceId, TaskId as lists of indices; Slot == 1..maxReplicas. */
  NodeSet: readonly number[];
  ServiceIdSet: readonly number[];
  TaskIdSet: readonly number[];
  SlotSet: readonly number[];
  /** ServiceSpec, the set of all service specs. */
  ServiceSpecSet: readonly number[];
  /** Bit mask with one bit per node. */
  allNodes: number;
  /** Slot, Node (as vslots) and TaskId as BitSets (see Services.ts). */
  slotBits: number;
  nodeVSlotBits: number;
  taskIdBits: number;
}

export function makeCtx(K: Constants): Ctx {
  for (const [name, v] of [
    ['Node', K.Node],
    ['ServiceId', K.ServiceId],
    ['TaskId', K.TaskId],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > MAX_SET_SIZE)
      throw new RangeError(`${name} must have 1..${MAX_SET_SIZE} elements, got ${v}`);
  }
  if (!Number.isInteger(K.maxReplicas) || K.maxReplicas < 0 || K.maxReplicas > MAX_SET_SIZE)
    throw new RangeError(`maxReplicas must be in 0..${MAX_SET_SIZE}, got ${K.maxReplicas}`);
  if (!Number.isInteger(K.maxTerminated) || K.maxTerminated < 0)
    throw new RangeError(`maxTerminated must be a natural number, got ${K.maxTerminated}`);
  // ASSUME Cardinality(TaskId) >= 1 + maxTerminated
  if (K.TaskId < 1 + K.maxTerminated)
    throw new RangeError(
      `the spec assumes Cardinality(TaskId) >= 1 + maxTerminated (got TaskId=${K.TaskId}, maxTerminated=${K.maxTerminated})`,
    );
  if (!Number.isInteger(K.maxEvents) || K.maxEvents < -1)
    throw new RangeError(`maxEvents must be -1 (unlimited) or a natural number, got ${K.maxEvents}`);
  return {
    ...K,
    NodeSet: range(0, K.Node - 1),
    ServiceIdSet: range(0, K.ServiceId - 1),
    TaskIdSet: range(0, K.TaskId - 1),
    SlotSet: range(1, K.maxReplicas),
    ServiceSpecSet: ServiceSpec(K),
    allNodes: (1 << K.Node) - 1,
    slotBits: range(1, K.maxReplicas).reduce((m, s) => m | (1 << s), 0),
    nodeVSlotBits: range(0, K.Node - 1).reduce((m, n) => m | (1 << (VSLOT_NODE + n)), 0),
    taskIdBits: (1 << K.TaskId) - 1,
  };
}

/** Encoding: [nEvents, nodes, services[0..S-1] + 1, tasks...]; the task count is the remainder. */
export function encodeVars(K: Ctx, v: Vars, out: Int32Array): number {
  out[0] = v.nEvents;
  out[1] = v.nodes;
  const S = K.ServiceId;
  for (let i = 0; i < S; i++) out[2 + i] = v.services[i] + 1;
  const ts = v.tasks;
  const n = ts.length;
  if (2 + S + n > out.length) throw new RangeError(`state has ${n} tasks, more than the encoding bound`);
  for (let i = 0; i < n; i++) out[2 + S + i] = ts[i];
  return 2 + S + n;
}

export function decodeVars(K: Ctx, w: Int32Array, start: number, len: number): Vars {
  const S = K.ServiceId;
  // push() into [] keeps the arrays PACKED_SMI (new Array(n) would make them holey, and mixing
  // the two element kinds makes every array access in the actions polymorphic).
  const services: number[] = [];
  for (let i = 0; i < S; i++) services.push(w[start + 2 + i] - 1);
  const n = len - 2 - S;
  const tasks: number[] = [];
  for (let i = 0; i < n; i++) tasks.push(w[start + 2 + S + i]);
  return { nEvents: w[start], nodes: w[start + 1], services, tasks };
}

/**
 * An upper bound on |tasks| for the encoding buffer: every record with a valid service, vslot and id,
 * in any of 14 states and 14 desired states (far above what Inv allows, so even a broken model whose
 * tasks merge or duplicate IDs still encodes).
 */
export function maxWords(K: Ctx): number {
  return 2 + K.ServiceId + K.ServiceId * (K.maxReplicas + K.Node + 2) * K.TaskId * 14 * 14;
}

/** TLC-style `/\ var = value` lines. */
export function formatVars(K: Ctx, v: Vars): string[] {
  const dom = K.ServiceIdSet.filter((s) => v.services[s] !== NO_SERVICE);
  const services =
    dom.length === 0
      ? '<< >>'
      : `(${dom.map((s) => `s${s + 1} :> ${showSpec(v.services[s])}`).join(' @@ ')})`;
  const nodes = `(${K.NodeSet.map((n) => `n${n + 1} :> "${(v.nodes >> n) & 1 ? 'down' : 'up'}"`).join(' @@ ')})`;
  const tasks = v.tasks.length === 0 ? '{}' : `{ ${v.tasks.map(showTask).join(',\n               ')} }`;
  return [
    `/\\ nEvents = ${v.nEvents}`,
    `/\\ nodes = ${nodes}`,
    `/\\ services = ${services}`,
    `/\\ tasks = ${tasks}`,
  ];
}
