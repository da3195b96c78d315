import { readFileSync } from 'node:fs';
import { parseSaved, replaySaved } from '../../properties/replay.ts';
import { parseArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { CheckFailed, UsageError } from '../errors.ts';

/** `swarm-model replay FILE`: replays a saved counterexample and says whether it still fails. */
export const replay: Command = {
  name: 'replay',
  usage: 'FILE',
  summary: 'replay a saved property counterexample (reports/counterexamples/*.json): does it still fail?',
  flags: [{ name: 'quiet', help: 'print only the verdict line, not the trace' }],
  async run(argv) {
    const args = parseArgs('replay', argv, this.flags);
    if (args.positional.length !== 1)
      throw new UsageError('swarm-model replay: expected exactly one FILE (a counterexample .json)');
    const file = args.positional[0];
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new UsageError(`swarm-model replay: cannot read ${file}`);
    }
    let saved: ReturnType<typeof parseSaved>;
    try {
      saved = parseSaved(text, file);
    } catch (e) {
      throw new UsageError(`swarm-model replay: ${(e as Error).message}`);
    }
    const o = replaySaved(saved, file);
    if (!args.flags.has('quiet') && o.report) console.log(o.report);
    if (o.divergence) console.log(`note: the recorded actions no longer replay exactly: ${o.divergence}`);
    if (o.stillFails) {
      const same = o.failure?.property === saved.property;
      throw new CheckFailed(
        `${file}: still fails: ${o.failure?.property}${same ? '' : ` (saved as ${saved.property})`}: ${o.failure?.message}`,
      );
    }
    console.log(
      `${file}: no longer fails: '${saved.property}' holds on this run (saved message: ${saved.message})`,
    );
    return 0;
  },
};
