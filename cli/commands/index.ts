import type { Command } from '../command.ts';
import { diagramsCommand } from './diagrams.ts';
import { exploreCommand } from './explore.ts';
import { quorum } from './quorum.ts';
import { run } from './run.ts';

/**
 * Every subcommand, in the order `swarm-model --help` lists them.
 * Add one line per command file; keep this the only shared registry.
 */
export const commands: Command[] = [run, diagramsCommand, quorum, exploreCommand];
