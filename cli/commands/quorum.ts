import { quorumTable } from '../../model/raft/quorumTable.ts';
import { intFlag, parseArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';

const FLAGS = [
  { name: 'max', value: 'N', help: 'largest swarm size to run (1..9, default 9)' },
  { name: 'salts', value: 'K', help: 'fair schedules per fault set (default 2)' },
  { name: 'random', value: 'K', help: 'random schedules per fault set that did not commit (default 2)' },
  { name: 'steps', value: 'S', help: 'steps per random schedule (default 300)' },
  { name: 'json', help: 'print the rows as JSON' },
];

/** `swarm-model quorum`: majority and fault tolerance per swarm size, computed by running the Raft model. */
export const quorum: Command = {
  name: 'quorum',
  usage: '[--max N] [--salts K] [--random K] [--steps S] [--json]',
  summary: 'compute the quorum table (majority, fault tolerance) for 1..9 managers by running the Raft model',
  flags: FLAGS,
  async run(argv) {
    const args = parseArgs('quorum', argv, FLAGS);
    if (args.positional.length > 0)
      throw new UsageError(`swarm-model quorum: unexpected argument '${args.positional[0]}'`);
    const max = intFlag('quorum', args, 'max', 9);
    if (max < 1 || max > 9)
      throw new UsageError(`swarm-model quorum: --max must be between 1 and 9, got ${max}`);
    const salts = Math.max(1, intFlag('quorum', args, 'salts', 2));
    const randomSchedules = intFlag('quorum', args, 'random', 2);
    const randomSteps = intFlag('quorum', args, 'steps', 300);
    const started = performance.now();
    const rows = quorumTable(max, { salts, randomSchedules, randomSteps, rounds: 50 }, (r) =>
      process.stderr.write(`quorum: ${r.n} manager(s): ${r.faultSets} fault sets, ${r.runs} runs\n`),
    );
    const secs = (performance.now() - started) / 1000;
    if (args.flags.has('json')) {
      console.log(JSON.stringify(rows, null, 2));
      return 0;
    }
    console.log('Quorum by running the Raft model (etcd raft v3.6 as SwarmKit configures it):');
    console.log(
      `every set of f managers crashed, or each cut off by a partition; ${salts} fair schedule(s) per set,`,
    );
    console.log(
      `plus ${randomSchedules} random schedule(s) of ${randomSteps} steps where no fair one committed.`,
    );
    console.log('');
    console.log('managers  majority  fault tolerance  fault sets  runs');
    for (const r of rows) {
      console.log(
        `${String(r.n).padStart(8)}  ${String(r.majority).padStart(8)}  ${String(r.tolerance).padStart(15)}  ${String(r.faultSets).padStart(10)}  ${String(r.runs).padStart(4)}`,
      );
    }
    console.log('');
    console.log(
      'majority: fewest managers holding a write when it committed; tolerance: most managers lost with every',
    );
    console.log(`write still committing (one more lost: no write committed). ${secs.toFixed(1)} s.`);
    return 0;
  },
};
