/**
 * Hot-path lookups by id. Ids are unique within each State array (nodes, services, tasks), so the
 * first match is the only match; scanning stops there. At the model's sizes (a handful of nodes and
 * services, tens of tasks) an early-exit scan beats building a Map per state, measured.
 * One function per record type: a single generic scan sees three object shapes, and V8 then neither
 * inlines it nor keeps the `.id` load monomorphic (it was 2 % of bench time in restartEnabled alone).
 */
import type { Node, Service, Task } from './state.ts';

export function nodeById(xs: readonly Node[], id: string): Node | undefined {
  for (let i = 0; i < xs.length; i++) if (xs[i].id === id) return xs[i];
  return undefined;
}
export function serviceById(xs: readonly Service[], id: string): Service | undefined {
  for (let i = 0; i < xs.length; i++) if (xs[i].id === id) return xs[i];
  return undefined;
}
export function taskById(xs: readonly Task[], id: string): Task | undefined {
  for (let i = 0; i < xs.length; i++) if (xs[i].id === id) return xs[i];
  return undefined;
}
