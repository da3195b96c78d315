import fc from 'fast-check';
import { expect, test } from 'vitest';
import { describeAction } from '../../model/index.ts';
import { checkStep } from '../../model/invariants.ts';
import { randomRun, rng, STANDARD_USER_COMMANDS, standardCluster } from '../../model/random.ts';
import type { UserCommand } from '../../model/spec.ts';

const RUNS = Number(process.env.SWARM_RUNS ?? 60);
const STEPS = 300;
/** Built inside each test: test files compute nothing from the model at collection time (README, Mutation testing). */
const base = () => standardCluster();
// The standard scaling commands, and a worker leaving the swarm for good (LeftMachinesStayStopped).
const COMMANDS: UserCommand[] = [
  ...STANDARD_USER_COMMANDS,
  { kind: 'swarm.leave', node: 'w2', force: false },
];

test('random runs of enabled/step keep every invariant of model/invariants.ts', () => {
  const start = base();
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
      randomRun(
        start,
        STEPS,
        rng(seed),
        (prev, a, next) => {
          const v = checkStep(prev, a, next);
          if (v.length > 0) throw new Error(`after ${describeAction(a)}: ${v.join('; ')}`);
        },
        0.15,
        COMMANDS,
      );
    }),
    { numRuns: RUNS },
  );
});

test('witness: the random runs reach the interesting states (not vacuous)', () => {
  const start = base();
  const seen = new Set<string>();
  for (let seed = 1; seed <= Math.max(20, RUNS / 2); seed++) {
    randomRun(
      start,
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
        if (a.actor === 'user' && a.command.kind === 'swarm.leave') seen.add('node-left');
      },
      0.15,
      COMMANDS,
    );
  }
  expect([...seen].sort()).toEqual([
    'delayed-start',
    'failures-then-failover',
    'leader-change',
    'node-down',
    'node-left',
    'quorum-lost',
    'reaped',
    'restart',
    'scheduled',
  ]);
});
