import { readFileSync, writeFileSync } from 'node:fs';
import { goldenPath, renderJson, renderTranscript, runScenario } from '../../scenario/index.ts';
import { parseArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../errors.ts';

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(
      `swarm-model run: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

/** `swarm-model run FILE [--json]`, and `--rewrite FILE…` to regenerate golden transcripts. */
export const run: Command = {
  name: 'run',
  usage: 'FILE [--json] | --rewrite FILE...',
  summary: 'run a .swarm scenario against the model and narrate every step (README: Scenarios)',
  flags: [
    { name: 'json', help: 'print the final JSON state (nodes, services, tasks, raft, steps) instead' },
    { name: 'rewrite', help: 'write each FILE.swarm transcript to FILE.out (golden fixtures)' },
  ],
  async run(argv) {
    const args = parseArgs('run', argv, this.flags);
    const files = args.positional;
    if (args.flags.has('rewrite')) {
      if (args.flags.has('json'))
        throw new UsageError('swarm-model run: --rewrite and --json do not combine');
      if (files.length === 0) throw new UsageError('swarm-model run: --rewrite needs at least one FILE');
      for (const f of files) {
        const out = goldenPath(f);
        writeFileSync(out, renderTranscript(runScenario(read(f), f)));
        console.log(`wrote ${out}`);
      }
      return 0;
    }
    if (files.length !== 1)
      throw new UsageError('swarm-model run: expected exactly one FILE (usage: run FILE [--json])');
    const result = runScenario(read(files[0]), files[0]);
    // console.log, not process.stdout.write: one sink for the CLI's output, which tests capture.
    console.log((args.flags.has('json') ? renderJson(result) : renderTranscript(result)).replace(/\n$/, ''));
    return 0;
  },
};
