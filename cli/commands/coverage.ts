import { coverageReport } from '../../properties/coverage.ts';
import { collectCoverage } from '../../properties/suites.ts';
import { intFlag, parseArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { CheckFailed, UsageError } from '../errors.ts';

/** `swarm-model coverage`: how often each action kind and task transition fires in the property suite. */
export const coverage: Command = {
  name: 'coverage',
  usage: '[--runs N] [--seed N]',
  summary: 'model coverage of the property suite: action kinds and task transitions, and which never fire',
  flags: [
    { name: 'runs', value: 'N', help: 'runs per property generator (default 120)' },
    { name: 'seed', value: 'N', help: 'sample seed (default fixed, so the table is stable)' },
  ],
  async run(argv) {
    const args = parseArgs('coverage', argv, this.flags);
    if (args.positional.length > 0) throw new UsageError('swarm-model coverage: takes no arguments');
    const runs = intFlag('coverage', args, 'runs', 120);
    const seed = intFlag('coverage', args, 'seed', 20240601);
    const rep = coverageReport(collectCoverage(runs, seed));
    console.log(rep.table);
    if (rep.missing.length > 0) throw new CheckFailed(`coverage: never fired: ${rep.missing.join('; ')}`);
    return 0;
  },
};
