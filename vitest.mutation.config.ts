import { defineConfig } from 'vitest/config';
import { MutationSequencer } from './test/support/mutation-sequencer.ts';

/**
 * Vitest for mutation runs (stryker.config.json). Every test that judges the model against an
 * independent oracle: the rule tests, the fixtures (goldens read against SwarmKit), the malformed-line
 * tests, the machine conformance and diagram checks, the refinement against the TLA+ transcription,
 * the study claims, and the property suite at a reduced budget so that each mutant is judged in seconds.
 *
 * Left out on purpose: test/model/hotpath-equivalence.test.ts. Its trace hashes were recorded from the
 * model itself, so it "kills" every mutant that changes behaviour at all; counting those kills would
 * measure the hash, not the suite's ability to tell right Swarm from wrong. Also left out: the Raft
 * message-level suites (model/raft is not mutated here; it has its own planted-bug tests) and the
 * planted-bug meta-tests.
 */
export default defineConfig({
  test: {
    include: [
      'test/model/**/*.test.ts',
      'test/machines/**/*.test.ts',
      'test/scenario/fixtures.test.ts',
      'test/scenario/errors.test.ts',
      'test/refine/**/*.test.ts',
      'test/study/claims.test.ts',
      'test/study/drills.test.ts',
      'properties/**/*.test.ts',
    ],
    exclude: [
      'test/model/hotpath-equivalence.test.ts',
      'properties/raft/mutations.test.ts',
      'properties/raft/safety.test.ts',
      'properties/planted.test.ts',
      // A mutant is as deterministic as the model; this test cannot tell one from the other.
      'properties/determinism.test.ts',
    ],
    env: {
      SWARM_RUNS: '30',
      SWARM_STEPS: '150',
      SWARM_SEED: '1',
      SWARM_COVERAGE_RUNS: '40',
    },
    sequence: { sequencer: MutationSequencer },
    setupFiles: ['test/support/mutation-setup.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
