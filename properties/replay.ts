/**
 * Replaying a saved counterexample (reports/counterexamples/*.json) without fast-check:
 * - exactly: the recorded actions are stepped one by one through the model, every invariant checked,
 *   and each outcome (applied / refused) compared with the recording;
 * - by plan: the saved plan is run again (properties/run.ts), liveness phase included, which gives
 *   the verdict even after the model changed so much that the recorded actions no longer apply.
 */
import type { SavedCounterexample } from './harness.ts';
import { failureOf } from './harness.ts';
import { modelNamed } from './planted.ts';
import { type Failure, renderCounterexample } from './render.ts';
import { Runner, runPlan } from './run.ts';

export interface ReplayOutcome {
  /** The property fails again (the same one as saved, or another: see `failure`). */
  stillFails: boolean;
  failure: Failure | null;
  /** '' when the recorded actions replay exactly, else where and how they diverge. */
  divergence: string;
  report: string;
}

export function parseSaved(text: string, file: string): SavedCounterexample {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: not JSON (${(e as Error).message})`);
  }
  const o = v as Partial<SavedCounterexample>;
  if (o?.format !== 'swarm-model-counterexample/1' || !o.plan || !Array.isArray(o.actions))
    throw new Error(
      `${file}: not a swarm-model counterexample (expected "format": "swarm-model-counterexample/1" with plan and actions)`,
    );
  return o as SavedCounterexample;
}

export function replaySaved(saved: SavedCounterexample, file: string): ReplayOutcome {
  const model = modelNamed(saved.plant);
  // Exact replay of the recorded actions.
  const exact = new Runner({ model, keepStates: false });
  let divergence = '';
  for (let i = 0; i < saved.actions.length && divergence === '' && !exact.failed; i++) {
    const rec = saved.actions[i];
    const ok = exact.apply(rec.action, false);
    if (ok !== rec.ok)
      divergence = `step ${i + 1} (${rec.action.actor} ${rec.action.kind}) was ${rec.ok ? 'applied' : 'refused'} when recorded, now ${ok ? 'applied' : 'refused'}`;
  }
  // Verdict by re-running the plan (includes the liveness phase).
  const r = runPlan(saved.plan, { ...saved.options, model, keepStates: true });
  const failure = failureOf(r);
  const report = failure
    ? renderCounterexample({
        failure,
        plan: saved.plan,
        run: r,
        seed: saved.seed ?? undefined,
        path: saved.path ?? undefined,
        replay: [`npx swarm-model replay ${file}`],
        plant: saved.plant || undefined,
      })
    : '';
  return { stillFails: failure !== null, failure, divergence, report };
}
