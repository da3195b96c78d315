import type { FlagSpec } from './args.ts';

/** One `swarm-model` subcommand. Each lives in its own file under cli/commands/. */
export interface Command {
  name: string;
  /** `swarm-model NAME` followed by this, e.g. `FILE [--json]`. */
  usage: string;
  summary: string;
  flags: FlagSpec[];
  /** Returns the process exit code. Throws UsageError/InputError/CheckFailed for one-line failures. */
  run(argv: string[]): Promise<number>;
}
