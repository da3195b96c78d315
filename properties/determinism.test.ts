/** A run is a pure function of fast-check's values: the same seed gives byte-identical traces. */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { realModel } from './modelApi.ts';
import { runPlan } from './run.ts';
import { livenessSpec, safetySpec } from './suites.ts';

function traces(seed: number): string {
  const out: string[] = [];
  for (const spec of [safetySpec(), livenessSpec()])
    for (const plan of fc.sample(spec.arb, { seed, numRuns: 15 })) {
      const r = runPlan(plan, { ...spec.options, model: realModel });
      out.push(
        JSON.stringify({ steps: r.steps, final: r.final, violation: r.violation, liveness: r.liveness }),
      );
    }
  return out.join('\n');
}

test('same seed, byte-identical traces', () => {
  const a = traces(4242);
  const b = traces(4242);
  expect(a.length).toBeGreaterThan(1000);
  expect(a === b).toBe(true);
  expect(traces(4243) === a).toBe(false);
});
