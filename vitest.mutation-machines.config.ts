import { defineConfig } from 'vitest/config';
import base from './vitest.mutation.config.ts';

/**
 * Vitest for the `machines` mutation group (mutation/run.ts). The machine definitions are module-level
 * tables, so nearly every mutant is "static" and Stryker would run every test file for each one. Only
 * these files import machines/ (checked by test/machines/mutation-scope.test.ts), so no other test can
 * kill a machines mutant: running just them gives the same verdicts in a fraction of the time.
 */
export const MACHINE_TEST_FILES = [
  'test/machines/**/*.test.ts',
  // Drives the rolling-update status machine next to the model's updater.
  'properties/updates.test.ts',
  // Run the CLI, which loads machines/diagrams.ts (a broken machine table fails at import).
  'test/scenario/errors.test.ts',
  'test/study/drills.test.ts',
];

// Not mergeConfig: it concatenates arrays, so `include` would keep every base file (54 files, ~40 s a
// mutant) instead of narrowing to these.
export default defineConfig({ ...base, test: { ...base.test, include: MACHINE_TEST_FILES } });
