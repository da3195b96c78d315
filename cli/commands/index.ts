import type { Command } from '../command.ts';
import { coverage } from './coverage.ts';
import { diagramsCommand } from './diagrams.ts';
import { exploreCommand } from './explore.ts';
import { quorum } from './quorum.ts';
import { replay } from './replay.ts';
import { report } from './report.ts';
import { run } from './run.ts';
import { study } from './study.ts';

/**
 * Every subcommand, in the order `swarm-model --help` lists them.
 * Add one line per command file; keep this the only shared registry.
 */
export const commands: Command[] = [
  run,
  replay,
  study,
  report,
  exploreCommand,
  diagramsCommand,
  quorum,
  coverage,
];
