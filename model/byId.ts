/**
 * Hot-path lookups by id. Ids are unique within each State array (nodes, services, tasks), so the
 * first match is the only match; scanning stops there. At the model's sizes (a handful of nodes and
 * services, tens of tasks) an early-exit scan beats building a Map per state, measured.
 */
export function byId<T extends { id: string }>(xs: readonly T[], id: string): T | undefined {
  for (let i = 0; i < xs.length; i++) if (xs[i].id === id) return xs[i];
  return undefined;
}
