/**
 * Coverage: every action kind and every task transition SwarmKit makes fires at least once over a
 * fixed-seed sample of the suite's generators, unless listed unreachable with its reason.
 * `npm run coverage:model` prints the same table.
 */
import { expect, test } from 'vitest';
import { coverageReport } from './coverage.ts';
import { collectCoverage } from './suites.ts';

test('every action kind and task transition is exercised', () => {
  const runs = Number(process.env.SWARM_COVERAGE_RUNS ?? 120);
  const rep = coverageReport(collectCoverage(runs));
  expect(rep.missing, `never fired:\n${rep.table}`).toEqual([]);
});
