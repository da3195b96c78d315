/**
 * Keeps the properties honest: each planted bug (types.ts `Mutations`, off unless a test turns it on) must
 * be caught by the same random suite that passes on the real model, within a bounded number of runs.
 * Where a cheap direct detector catches a bug, the bug must also be caught with that detector switched
 * off, by one of the paper's properties — except the §5.4.2 commit rule, whose consequence needs the
 * Figure 8 schedule; test/raft/figure8.test.ts shows that one deterministically.
 */
import { describe, expect, test } from 'vitest';
import type { Mutations } from '../../model/raft/types.ts';
import type { PropertyName } from './invariants.ts';
import { DEFAULT_RUN, runSuite } from './runner.ts';

const SEED = 1;
const MAX_RUNS = 1500;

const PLANTS: {
  mutation: keyof Mutations;
  caughtBy: PropertyName[];
  without?: PropertyName[];
  thenBy?: PropertyName[];
}[] = [
  {
    mutation: 'voteWithoutUpToDateCheck',
    caughtBy: ['LeaderCompleteness', 'StateMachineSafety', 'CommittedNeverTruncated', 'NoPanic'],
  },
  { mutation: 'commitPreviousTermDirectly', caughtBy: ['LeaderCommitsOwnTerm'] },
  { mutation: 'ignoreCheckQuorum', caughtBy: ['CheckQuorumStepDown'] },
  {
    mutation: 'quorumCeilHalf',
    caughtBy: ['MajoritiesIntersect'],
    without: ['MajoritiesIntersect'],
    thenBy: ['CommitNeedsMajority', 'ElectionSafety'],
  },
  {
    mutation: 'voteTwicePerTerm',
    caughtBy: ['OneVotePerTerm'],
    without: ['OneVotePerTerm'],
    thenBy: ['ElectionSafety'],
  },
  {
    mutation: 'skipPrevLogCheck',
    caughtBy: ['NoPanic', 'LogMatching'],
    without: ['NoPanic'],
    thenBy: ['LogMatching', 'CommitNeedsMajority', 'StateMachineSafety', 'LeaderCompleteness'],
  },
];

describe('Raft: every planted bug is caught by the property suite', () => {
  for (const p of PLANTS) {
    test(p.mutation, () => {
      const cfg = { ...DEFAULT_RUN, opts: { mutations: { [p.mutation]: true } } };
      const r = runSuite(SEED, MAX_RUNS, cfg);
      expect(r.failure, `${p.mutation} survived ${MAX_RUNS} runs`).not.toBeNull();
      expect(p.caughtBy).toContain(r.failure!.property);
      if (p.without) {
        const r2 = runSuite(SEED, MAX_RUNS, { ...cfg, skip: p.without });
        expect(r2.failure, `${p.mutation} survived ${MAX_RUNS} runs without ${p.without}`).not.toBeNull();
        expect(p.thenBy).toContain(r2.failure!.property);
      }
    });
  }

  test('the real model passes the same runs', () => {
    expect(runSuite(SEED, 100, DEFAULT_RUN).failure).toBeNull();
  });
});
