/**
 * Runs a property with fast-check and, when it fails, turns fast-check's shrunk counterexample into
 * something a person reads at once: the run is replayed with every state kept, rendered as numbered
 * diff-only steps (properties/render.ts), saved as JSON (exact replay) and as a `.swarm` scenario under
 * reports/counterexamples/, and thrown as the test's error message.
 *
 * Budgets (environment): SWARM_RUNS (runs per property, default 200), SWARM_STEPS (longest event
 * prefix, default 200, so about 100 on average, plus setup and the liveness phase), SWARM_SEED and
 * SWARM_PATH (pin or replay a run), SWARM_PLANT (run the suite against a planted bug).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import type { Plan } from './arbitraries.ts';
import { modelNamed } from './planted.ts';
import { type Failure, renderCounterexample, toScenario } from './render.ts';
import { type RunOptions, type RunResult, runPlan } from './run.ts';

function envInt(name: string, dflt: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`${name} must be an integer, got '${v}'`);
  return n;
}

export const budget = {
  runs: () => envInt('SWARM_RUNS', 200),
  maxEvents: () => envInt('SWARM_STEPS', 200),
  seed: (): number | undefined => (process.env.SWARM_SEED ? envInt('SWARM_SEED', 0) : undefined),
  path: (): string | undefined => process.env.SWARM_PATH || undefined,
  plant: (): string => process.env.SWARM_PLANT ?? '',
};

export const COUNTEREXAMPLE_DIR = 'reports/counterexamples';

export interface PropertySpec {
  /** The property's name, as in the catalog (used in file names). */
  name: string;
  /** The test file, for the replay command. */
  file: string;
  arb: fc.Arbitrary<Plan>;
  options: Omit<RunOptions, 'model' | 'keepStates' | 'coverage'>;
  /** Called with every run of the first (non-shrinking) pass: witnesses, coverage, statistics. */
  onRun?: (r: RunResult) => void;
  /** Overrides for tests of the harness itself. */
  runs?: number;
  seed?: number;
  plant?: string;
  /** Where counterexamples go ('' = do not save). */
  saveDir?: string;
}

export interface SavedCounterexample {
  format: 'swarm-model-counterexample/1';
  property: string;
  kind: 'safety' | 'liveness';
  message: string;
  test: string;
  seed: number | null;
  path: string | null;
  plant: string;
  options: PropertySpec['options'];
  plan: Plan;
  /** Every action the run took, refused ones included (exact replay without fast-check). */
  actions: { action: RunResult['steps'][number]['action']; ok: boolean; error?: string }[];
  violationStep: number;
}

/** The failure a run shows, if any: an invariant violation, or a liveness verdict other than converged. */
export function failureOf(r: RunResult): Failure | null {
  if (r.violation) {
    const live = r.liveness !== null && r.violation.step >= r.prefixEnd && !isStepInvariantViolation(r);
    return {
      property: r.violation.property,
      message: r.violation.message,
      kind: live ? 'liveness' : 'safety',
    };
  }
  if (r.liveness && r.liveness.verdict === 'inconclusive')
    return {
      property: r.liveness.property,
      message: `inconclusive: ${r.liveness.message}`,
      kind: 'liveness',
    };
  return null;
}

const LIVENESS_NAMES = new Set([
  'leader-elected',
  'replicated-converges',
  'global-converges',
  'drain-empties-node',
  'converges',
]);
const isStepInvariantViolation = (r: RunResult): boolean => !LIVENESS_NAMES.has(r.violation!.property);

export interface CheckOutcome {
  failed: boolean;
  report: string;
  runs: number;
  steps: number;
  seconds: number;
  files: string[];
  counterexample?: SavedCounterexample;
  /** Number of numbered trace items after setup (for the "readable" check). */
  traceItems?: number;
}

/** Runs the property; never throws for a property failure (see assertProperty). */
export function checkProperty(spec: PropertySpec): CheckOutcome {
  const plant = spec.plant ?? budget.plant();
  const model = modelNamed(plant);
  let runs = 0;
  let steps = 0;
  let shrinking = false;
  const t0 = performance.now();
  const prop = fc.property(spec.arb, (plan) => {
    const r = runPlan(plan, { ...spec.options, model });
    const f = failureOf(r);
    if (!shrinking) {
      runs++;
      steps += r.steps.length;
      if (f === null) spec.onRun?.(r);
      else shrinking = true;
    }
    return f === null;
  });
  const seed = spec.seed ?? budget.seed();
  const path = spec.seed === undefined ? budget.path() : undefined;
  const params: fc.Parameters<[Plan]> = { numRuns: spec.runs ?? budget.runs() };
  if (seed !== undefined) params.seed = seed;
  if (path !== undefined) {
    params.path = path;
    params.endOnFailure = true;
  }
  const out = fc.check(prop, params);
  const seconds = (performance.now() - t0) / 1000;
  if (!out.failed) return { failed: false, report: '', runs, steps, seconds, files: [] };
  if (out.counterexample === null) {
    const e: unknown = out.errorInstance;
    const err = e instanceof Error ? e.stack : String(e);
    return { failed: true, report: `Property '${spec.name}' threw: ${err}`, runs, steps, seconds, files: [] };
  }
  const plan = out.counterexample[0];
  const r = runPlan(plan, { ...spec.options, model, keepStates: true });
  const failure = failureOf(r) ?? {
    property: spec.name,
    message: 'failed in fast-check but not on re-run (non-determinism?)',
    kind: 'safety' as const,
  };
  const saved: SavedCounterexample = {
    format: 'swarm-model-counterexample/1',
    property: failure.property,
    kind: failure.kind,
    message: failure.message,
    test: spec.file,
    seed: out.seed,
    path: out.counterexamplePath,
    plant,
    options: spec.options,
    plan,
    actions: r.steps.map((s) =>
      s.ok ? { action: s.action, ok: true } : { action: s.action, ok: false, error: s.error },
    ),
    violationStep: r.violation ? r.violation.step : r.steps.length - 1,
  };
  const dir = spec.saveDir ?? COUNTEREXAMPLE_DIR;
  const base = `${failure.property}${plant ? `-planted-${plant}` : ''}-${out.seed}`;
  const files: string[] = [];
  const env = `${plant ? `SWARM_PLANT=${plant} ` : ''}SWARM_SEED=${out.seed} SWARM_PATH="${out.counterexamplePath}"`;
  const replay = [`${env} npx vitest run ${spec.file}`];
  if (dir !== '') {
    const json = join(dir, `${base}.json`);
    const scen = join(dir, `${base}.swarm`);
    replay.push(`npx swarm-model replay ${json}`);
    files.push(json, scen);
  }
  const report = renderCounterexample({
    failure,
    plan,
    run: r,
    seed: out.seed,
    path: out.counterexamplePath ?? undefined,
    numShrinks: out.numShrinks,
    replay,
    saved: files,
    plant: plant || undefined,
  });
  if (dir !== '') {
    mkdirSync(dirname(files[0]), { recursive: true });
    writeFileSync(files[0], `${JSON.stringify(saved, null, 1)}\n`);
    writeFileSync(
      files[1],
      toScenario(r, [
        `Counterexample to '${failure.property}'${plant ? ` (planted bug ${plant})` : ''}: ${failure.message}`,
        `Generated by ${spec.file}, seed ${out.seed}, path ${out.counterexamplePath}.`,
        'Docker commands and faults are exact; component steps are listed as comments (the scenario',
        'runner settles after every line, so it may take another interleaving). Exact replay:',
        `  npx swarm-model replay ${files[0]}`,
      ]),
    );
  }
  const traceItems = (report.match(/^ {0,2}\d+\. /gm) ?? []).length;
  return { failed: true, report, runs, steps, seconds, files, counterexample: saved, traceItems };
}

/** For tests: fails with the readable counterexample as the message. */
export function assertProperty(spec: PropertySpec): CheckOutcome {
  const o = checkProperty(spec);
  if (o.failed) throw new Error(`\n${o.report}\n`);
  return o;
}

/** Writes a one-line rate summary next to the counterexamples (read by the README and reports). */
export function rateLine(name: string, o: CheckOutcome): string {
  return `${name}: ${o.runs} runs, ${o.steps} steps in ${o.seconds.toFixed(1)} s (${(o.runs / o.seconds).toFixed(0)} runs/s, ${(o.steps / o.seconds).toFixed(0)} steps/s)`;
}
