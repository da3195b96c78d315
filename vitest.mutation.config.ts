import { defineConfig } from 'vitest/config';

/**
 * Vitest for mutation runs (stryker.config.json): the fast model tests plus the property suite at a
 * reduced budget, so that each mutant is judged in seconds. The property files set their budgets from
 * the environment (properties/harness.ts), which is fixed here.
 */
export default defineConfig({
  test: {
    include: ['test/model/**/*.test.ts', 'test/machines/**/*.test.ts', 'properties/**/*.test.ts'],
    exclude: ['properties/raft/**', 'properties/planted.test.ts'],
    env: { SWARM_RUNS: '60', SWARM_STEPS: '200', SWARM_SEED: '1', SWARM_COVERAGE_RUNS: '60' },
    testTimeout: 120_000,
    pool: 'forks',
  },
});
