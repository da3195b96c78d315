/**
 * The "Services" section of moby/swarmkit:design/tla/SwarmKit.tla (before its nested modules):
 * the `services` variable's helpers, used by User, Orchestrator and the properties.
 */
import type { Ctx, Vars } from './state.ts';
import { GLOBAL, NO_SERVICE, replicasOf, service, VSlot } from './Types.ts';

// (* A replicated service is one that specifies some number of replicas it wants. *)
// IsReplicated(sid) == services[sid].replicas \in Nat
export function IsReplicated(v: Vars, sid: number): boolean {
  return replicasOf(serviceSpec(v, sid)) !== GLOBAL;
}

// (* A global service is one that wants one task running on each node. *)
// IsGlobal(sid) == services[sid].replicas = global
export function IsGlobal(v: Vars, sid: number): boolean {
  return replicasOf(serviceSpec(v, sid)) === GLOBAL;
}

/** A function applied outside its domain: TLC stops with this error. */
export class TlaServiceDomainError extends Error {}

/** services[sid], which TLC refuses when sid \notin DOMAIN services. */
export function serviceSpec(v: Vars, sid: number): number {
  const spec = v.services[sid];
  if (spec === NO_SERVICE)
    throw new TlaServiceDomainError(`Attempted to apply function services to s${sid + 1}, not in its domain`);
  return spec;
}

// DOMAIN services, as a BitSet of service indices
export function domainServices(v: Vars, K: Ctx): BitSet {
  let out = 0;
  for (let sid = 0; sid < K.ServiceId; sid++) if (v.services[sid] !== NO_SERVICE) out |= 1 << sid;
  return out;
}

// (* TasksOf(sid) is the set of tasks for service `sid'. *)
// TasksOf(sid) == { t \in tasks : t.service = sid }
export function TasksOf(v: Vars, sid: number): number[] {
  return v.tasks.filter((t) => service(t) === sid);
}

// (* All tasks of service `sid' in `vslot'. *)
// TasksOfVSlot(sid, vslot) == { t \in TasksOf(sid) : VSlot(t) = vslot }
export function TasksOfVSlot(v: Vars, sid: number, vslot: number): number[] {
  return v.tasks.filter((t) => service(t) === sid && VSlot(t) === vslot);
}

/**
 * Small sets of vslots or task IDs are 32-bit masks (bit k = element k; vslot codes are < 32), which
 * spares the hot path an array per call. Iterate with `for (let m = S; m !== 0; m &= m - 1)` and
 * `lowest(m)`, which visits the elements in ascending order.
 */
export type BitSet = number;
export const lowest = (m: BitSet): number => 31 - Math.clz32(m & -m);
export function cardinality(m: BitSet): number {
  let n = 0;
  for (; m !== 0; m &= m - 1) n++;
  return n;
}

// (* All vslots of service `sid'. *)
// VSlotsOf(sid) == { VSlot(t) : t \in TasksOf(sid) }
export function VSlotsOf(v: Vars, sid: number): BitSet {
  let out = 0;
  for (const t of v.tasks) if (service(t) === sid) out |= 1 << VSlot(t);
  return out;
}
