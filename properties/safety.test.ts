/**
 * Safety: every invariant of properties/invariants.ts holds after every step of random runs with up
 * to 6 nemesis faults (managers crashed one/minority/majority/all, partitions, worker crashes,
 * container exits, rejects) interleaved with docker commands and component steps.
 */
import { expect, test } from 'vitest';
import { assertProperty, budget, rateLine } from './harness.ts';
import { ACTIVE_INVARIANTS, INVARIANTS } from './invariants.ts';
import { safetySpec } from './suites.ts';

const seen = new Map<string, number>();
let runs = 0;

test('safety: every invariant holds after every step', () => {
  const o = assertProperty({
    ...safetySpec(),
    onRun: (r) => {
      runs++;
      for (const w of r.witnesses) seen.set(w, (seen.get(w) ?? 0) + 1);
    },
  });
  console.log(rateLine('safety', o));
});

// Witnesses ("sometimes"): the faults that make the invariants interesting actually happen.
test.each([
  ['majority-down-no-leader', 0.05],
  ['write-refused-without-leader', 0.05],
  ['drained-node-with-running-task', 0.05],
  ['managers-partitioned', 0.05],
  ['two-services-on-mesh-one-auto-port', 0.05],
  ['port-conflict-refused', 0.02],
])('witness: %s happens in ≥ %d of safety runs', (w, fraction) => {
  const n = seen.get(w) ?? 0;
  expect(n, `${w} reached in ${n} of ${runs} runs`).toBeGreaterThanOrEqual(
    Math.max(1, Math.floor(fraction * budget.runs())),
  );
});

test('the catalog names every safety property of DESIGN.md §5', () => {
  const names = INVARIANTS.map((i) => i.name);
  for (const n of [
    'task-states-never-decrease',
    'task-transitions-by-owner',
    'task-never-changes-node',
    'election-safety',
    'leader-append-only',
    'log-matching',
    'leader-completeness',
    'state-machine-safety',
    'no-commit-without-majority',
    'scheduler-places-only-where-allowed',
    'secrets-reach-only-their-tasks',
    'drain-stops-tasks',
  ])
    expect(names).toContain(n);
  // Pending and elsewhere-owned entries say why; they are never among the checked ones.
  for (const i of INVARIANTS) if (i.status !== 'active') expect(i.reason.length).toBeGreaterThan(10);
  expect(ACTIVE_INVARIANTS.every((i) => i.status === 'active')).toBe(true);
});
