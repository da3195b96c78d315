/**
 * The suite's properties as data, shared by the vitest files, `swarm-model replay` and
 * `npm run coverage:model`: which arbitrary, which run options.
 */
import fc from 'fast-check';
import { planArb } from './arbitraries.ts';
import { Coverage } from './coverage.ts';
import { budget, type PropertySpec } from './harness.ts';
import { modelNamed } from './planted.ts';
import { runPlan } from './run.ts';

/** Fair-scheduling bound of the liveness phase (K). Runs that exhaust it are inconclusive = failures. */
export const LIVENESS_K = 3000;

export function safetySpec(): PropertySpec {
  return {
    name: 'safety',
    file: 'properties/safety.test.ts',
    arb: planArb({ maxEvents: budget.maxEvents() }),
    options: {},
  };
}

export function livenessSpec(): PropertySpec {
  return {
    name: 'liveness',
    file: 'properties/liveness.test.ts',
    arb: planArb({ maxEvents: budget.maxEvents(), convergent: true, specUpdates: false }),
    options: { liveness: { maxSteps: LIVENESS_K } },
  };
}

export const SPECS: Record<string, () => PropertySpec> = { safety: safetySpec, liveness: livenessSpec };

/** Coverage of both properties' generators over a fixed seed (deterministic, so the table is stable). */
export function collectCoverage(runs: number, seed = 20240601): Coverage {
  const total = new Coverage();
  const model = modelNamed(budget.plant());
  for (const spec of [safetySpec(), livenessSpec()]) {
    for (const plan of fc.sample(spec.arb, { seed, numRuns: runs })) {
      const c = new Coverage();
      runPlan(plan, { ...spec.options, model, coverage: c });
      c.runs = 1;
      total.merge(c);
    }
  }
  return total;
}
