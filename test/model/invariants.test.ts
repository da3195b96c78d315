import fc from 'fast-check';
import { expect, test } from 'vitest';
import { describeAction } from '../../model/index.ts';
import { checkStep } from '../../model/invariants.ts';
import { randomRun, rng, STANDARD_USER_COMMANDS, standardCluster } from '../../model/random.ts';

const RUNS = Number(process.env.SWARM_RUNS ?? 60);
const STEPS = 300;
const base = standardCluster();

test('random runs of enabled/step keep every invariant of model/invariants.ts', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
      randomRun(
        base,
        STEPS,
        rng(seed),
        (prev, a, next) => {
          const v = checkStep(prev, a, next);
          if (v.length > 0) throw new Error(`after ${describeAction(a)}: ${v.join('; ')}`);
        },
        0.15,
        STANDARD_USER_COMMANDS,
      );
    }),
    { numRuns: RUNS },
  );
});

test('witness: the random runs reach the interesting states (not vacuous)', () => {
  const seen = new Set<string>();
  for (let seed = 1; seed <= Math.max(20, RUNS / 2); seed++) {
    randomRun(
      base,
      STEPS,
      rng(seed),
      (prev, a, next) => {
        if (a.actor === 'scheduler' && next.tasks.some((t) => t.observed === 'assigned'))
          seen.add('scheduled');
        if (a.kind === 'restart-task') seen.add('restart');
        if (a.kind === 'heartbeat-expired') seen.add('node-down');
        if (a.kind === 'elect' && prev.raft.term > 0) seen.add('leader-change');
        if (prev.raft.leader !== '' && next.raft.leader === '') seen.add('quorum-lost');
        if (a.kind === 'start-task') seen.add('delayed-start');
        if (a.actor === 'reaper' && next.tasks.length < prev.tasks.length) seen.add('reaped');
        if (prev.schedulerFailures.length > 0 && a.kind === 'elect') seen.add('failures-then-failover');
      },
      0.15,
      STANDARD_USER_COMMANDS,
    );
  }
  expect([...seen].sort()).toEqual([
    'delayed-start',
    'failures-then-failover',
    'leader-change',
    'node-down',
    'quorum-lost',
    'reaped',
    'restart',
    'scheduled',
  ]);
});
