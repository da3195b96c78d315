/**
 * Bounded liveness: fault prefix → heal → fair scheduling for at most K steps → desired state
 * (properties/liveness.ts). Inconclusive runs (K exhausted) fail. Each liveness property is paired
 * with a witness asserting that its interesting situation is actually reached.
 */
import { expect, test } from 'vitest';
import { assertProperty, budget, rateLine } from './harness.ts';
import { livenessSpec } from './suites.ts';

const seen = new Map<string, number>();
let runs = 0;

test('liveness: after heal, fair scheduling reaches the desired state', () => {
  const o = assertProperty({
    ...livenessSpec(),
    onRun: (r) => {
      runs++;
      for (const w of r.witnesses) seen.set(w, (seen.get(w) ?? 0) + 1);
    },
  });
  console.log(rateLine('liveness', o));
});

test.each([
  // replicated-converges: a service actually at R ≥ 1 running slots; and one short of capacity.
  ['replicated-at-desired-count', 0.3],
  ['replicated-capacity-short', 0.02],
  // global-converges: one task on each of several eligible nodes.
  ['global-on-several-nodes', 0.1],
  // drain-empties-node: a drain hit a node with a running task, and the service was refilled elsewhere.
  ['drained-node-with-running-task', 0.05],
  ['drain-refilled-elsewhere', 0.02],
  // leader-elected: a leader with some (tolerable) managers down.
  ['leader-with-minority-down', 0.02],
])('witness: %s happens in ≥ %d of liveness runs', (w, fraction) => {
  const n = seen.get(w) ?? 0;
  expect(n, `${w} reached in ${n} of ${runs} runs`).toBeGreaterThanOrEqual(
    Math.max(1, Math.floor(fraction * budget.runs())),
  );
});
