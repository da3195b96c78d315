/**
 * Refinement on random traces: every step of seeded random runs of the full model (faults, clock,
 * user commands), projected onto SwarmKit's TLA+ variables, is a stutter, a spec step, a short
 * sequence of spec steps, or a named divergence. Never unexplained.
 * SWARM_RUNS scales the number of runs (default 25), SWARM_STEPS their length (default 300).
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { DEFAULT_CLUSTER } from '../../refine/cluster.ts';
import { DIVERGENCES } from '../../refine/divergences.ts';
import { checkRandomRun } from '../../refine/traces.ts';

const cfg = { ...DEFAULT_CLUSTER, nodes: 3, services: 2, replicas: 2, maxReplicas: 3 };
const RUNS = Number(process.env.SWARM_RUNS ?? 25);
const STEPS = Number(process.env.SWARM_STEPS ?? 300);

test('every random step refines the spec or is a named divergence', () => {
  const seen = new Map<string, number>();
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
      const r = checkRandomRun(cfg, seed, STEPS);
      for (const [k, n] of r.counts) seen.set(k, (seen.get(k) ?? 0) + n);
      if (r.unexplained !== undefined) throw new Error(`unexplained refinement failure\n${r.unexplained}`);
    }),
    { numRuns: RUNS },
  );
  // Not vacuous: single spec steps, multi-step batches and stutters all occur.
  expect(seen.get('step')).toBeGreaterThan(0);
  expect(seen.get('path')).toBeGreaterThan(0);
  expect(seen.get('stutter')).toBeGreaterThan(0);
});

/**
 * Every listed divergence really occurs (a witness run each, found by search and pinned here), and
 * its witness run has no unexplained step: the list keeps no dead entry and hides nothing.
 */
const WITNESS_STEPS = 400;
const WITNESS: Record<string, number> = {
  ShutdownWithoutReplacement: 1,
  ReplacementBesideRunnableTask: 2,
  LeaderDeletesTasksOfRemovedService: 2,
  StartBeforeOldTaskStopped: 14,
  ReportFromDownNode: 3,
  OrchestratorDeletesDeadSlot: 49,
  ScaleDownCountsStoppedTasks: 12,
  SlotReusedWhileRemoved: 157,
  ReaperDeletesUnflagged: 3,
};

test('the divergence list is exactly the divergences that occur', () => {
  expect(Object.keys(WITNESS).sort()).toEqual(DIVERGENCES.map((d) => d.name).sort());
  for (const [name, seed] of Object.entries(WITNESS)) {
    const r = checkRandomRun(cfg, seed, WITNESS_STEPS);
    expect(r.unexplained, name).toBeUndefined();
    expect(r.counts.get(name) ?? 0, `${name} (seed ${seed})`).toBeGreaterThan(0);
  }
});

test('every divergence cites SwarmKit code and says what the spec allows', () => {
  for (const d of DIVERGENCES) {
    expect(d.swarmkit, d.name).toMatch(/moby\/swarmkit:[\w/.]+\.go \(\w+/);
    expect(d.spec.length, d.name).toBeGreaterThan(20);
  }
});
