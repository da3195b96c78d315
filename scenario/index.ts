/**
 * The scenario language's entry points: parse a `.swarm` file, run it against the model, render it.
 * Used by `swarm-model run` (cli/commands/run.ts) and by the fixture test (test/scenario/).
 */
import { emptyState } from '../model/index.ts';
import { parseScenario } from './parse.ts';
import { type RunResult, runSteps } from './run.ts';
import { type JsonState, jsonState, transcript } from './transcript.ts';

export { parseLine, parseScenario } from './parse.ts';
export type { RunResult, StepRecord } from './run.ts';
export type { Step } from './steps.ts';
export type { JsonState } from './transcript.ts';

/** Parses and runs a scenario text; throws InputError (exit 2) for a malformed or dangling line. */
export function runScenario(text: string, file: string): RunResult {
  return runSteps(parseScenario(text, file), file, emptyState());
}

export function renderTranscript(run: RunResult): string {
  return transcript(run);
}

export function renderJson(run: RunResult): string {
  const j: JsonState = jsonState(run);
  return `${JSON.stringify(j, null, 2)}\n`;
}

/** Where a fixture's golden transcript lives: `NAME.swarm` → `NAME.out`. */
export const goldenPath = (file: string): string => `${file.replace(/\.swarm$/, '')}.out`;
