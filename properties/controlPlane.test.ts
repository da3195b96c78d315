/**
 * The control-plane properties (properties/controlPlaneInvariants.ts) hold on the real model, are reached
 * (witnesses: commands refused with no leader, a majority of managers down), and catch the planted bug
 * "quorum counted as ⌈N/2⌉" on their own, without the gate-level leader-has-quorum check.
 */
import { expect, test } from 'vitest';
import { CONTROL_PLANE_INVARIANTS } from './controlPlaneInvariants.ts';
import { checkProperty } from './harness.ts';
import type { RunResult } from './run.ts';
import { safetySpec } from './suites.ts';

test('write-needs-majority and no-majority-freezes-tasks hold, with their situations reached', () => {
  const spec = safetySpec();
  const witnesses = new Set<string>();
  const o = checkProperty({
    ...spec,
    options: { ...spec.options, invariants: CONTROL_PLANE_INVARIANTS },
    runs: 150,
    seed: 11,
    saveDir: '',
    onRun: (r: RunResult) => {
      for (const w of r.witnesses) witnesses.add(w);
    },
  });
  expect(o.failed, o.report).toBe(false);
  expect([...witnesses]).toContain('write-refused-without-leader');
  expect([...witnesses]).toContain('majority-down-no-leader');
});

test('planted bug quorum-ceil is caught by the control-plane properties alone', () => {
  const spec = safetySpec();
  const o = checkProperty({
    ...spec,
    options: { ...spec.options, invariants: CONTROL_PLANE_INVARIANTS },
    plant: 'quorum-ceil',
    runs: 300,
    seed: 7,
    saveDir: '',
  });
  expect(o.failed, 'quorum ⌈N/2⌉ survived').toBe(true);
  expect(['write-needs-majority', 'no-majority-freezes-tasks'], o.report).toContain(
    o.counterexample?.property ?? '',
  );
});
