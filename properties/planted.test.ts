/**
 * The suite is not vacuous: each planted bug (properties/planted.ts, wrappers around the real model)
 * is caught, by the property it breaks, with a shrunk counterexample short enough to read.
 */
import { expect, test } from 'vitest';
import { checkProperty } from './harness.ts';
import { livenessSpec, safetySpec } from './suites.ts';

const MAX_ITEMS = 12;

test.each([
  ['drain-forgets-global', safetySpec, ['drain-stops-tasks']],
  ['quorum-ceil', safetySpec, ['leader-has-quorum', 'write-needs-majority', 'no-majority-freezes-tasks']],
  // Without the restart supervisor, drained replicated tasks are not stopped either (restart.go
  // (restartTasksByNodeID) is how the orchestrator reacts to a drain), so either property may fire.
  ['ingress-port-reused', safetySpec, ['ingress-ports-unique']],
  ['no-restart', livenessSpec, ['replicated-converges', 'global-converges', 'drain-stops-tasks']],
])('planted bug %s is caught', (plant, spec, properties) => {
  const o = checkProperty({
    ...spec(),
    plant,
    seed: 7,
    runs: 300,
    saveDir: 'reports/counterexamples/planted',
  });
  expect(o.failed, `planted bug ${plant} survived ${o.runs} runs`).toBe(true);
  const property = o.counterexample?.property ?? '';
  expect(properties, o.report).toContain(property);
  expect(o.traceItems ?? 99, o.report).toBeLessThanOrEqual(MAX_ITEMS);
  // The report a person reads names the property, shows numbered steps and the replay command.
  expect(o.report).toContain(`Property '${property}' failed`);
  expect(o.report).toContain('npx swarm-model replay');
  expect(o.report).toMatch(/^ {2}1\. /m);
});
