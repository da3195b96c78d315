/**
 * Raft safety under random faults: every named property (invariants.ts) after every step of SWARM_RUNS
 * random runs (default 200) of SWARM_STEPS steps (default 300), with crashes, partitions, loss,
 * duplication, reordering and membership changes. SWARM_SEED pins (or `random` varies) the base seed;
 * SWARM_RAFT_RUN=<seed> replays one run and prints its whole trace.
 */
import { expect, test } from 'vitest';
import type { Mutations } from '../../model/raft/types.ts';
import { PROPERTY_NAMES } from './invariants.ts';
import { baseSeed, envInt } from './rng.ts';
import { DEFAULT_RUN, failureReport, type RunConfig, runOne, runSuite } from './runner.ts';

const FILE = 'properties/raft/safety.test.ts';

function config(): RunConfig {
  const mutation = process.env.SWARM_RAFT_MUTATION;
  const mutations: Mutations = mutation ? { [mutation]: true } : {};
  return { ...DEFAULT_RUN, steps: envInt('SWARM_STEPS', DEFAULT_RUN.steps), opts: { mutations } };
}

test('Raft: safety properties hold after every step of random runs with faults', () => {
  const cfg = config();
  const one = process.env.SWARM_RAFT_RUN;
  if (one !== undefined && one !== '') {
    const r = runOne(Number(one) >>> 0, cfg, true);
    if (!r.ok) throw new Error(failureReport(r, FILE, process.env.SWARM_RAFT_MUTATION));
    return;
  }
  const runs = envInt('SWARM_RUNS', 200);
  const r = runSuite(baseSeed(), runs, cfg);
  if (r.failure) throw new Error(failureReport(r.failure, FILE, process.env.SWARM_RAFT_MUTATION));
  expect(r.steps).toBeGreaterThanOrEqual(runs * 100);
  // Not vacuous: leaders were elected in later terms, entries committed and applied, faults happened.
  expect(r.totals.maxTerm).toBeGreaterThan(2);
  expect(r.totals.commits).toBeGreaterThan(runs);
  expect(r.totals.crashes).toBeGreaterThan(runs / 2);
  expect(r.totals.partitions).toBeGreaterThan(runs / 4);
  expect(r.totals.confChanges).toBeGreaterThan(0);
  for (const p of [
    'ElectionSafety',
    'LeaderAppendOnly',
    'LogMatching',
    'LeaderCompleteness',
    'StateMachineSafety',
    'CommitNeedsMajority',
    'LeaderCommitsOwnTerm',
  ] as const) {
    expect(r.witnessed.get(p) ?? 0, `${p} was never exercised`).toBeGreaterThan(0);
  }
  expect(PROPERTY_NAMES.length).toBeGreaterThanOrEqual(15);
});
