/**
 * Raft model throughput: steps per second in random runs of 3 and 5 managers (enabled + choose + step),
 * and the same runs with every property checked after every step. Run: `npm run bench:raft`.
 * Single thread; the figure is a rate, never asserted in tests.
 */
import { enabled, initialState, step } from '../model/raft/step.ts';
import { checkInitial, checkStep, History } from '../properties/raft/invariants.ts';
import { Rng } from '../properties/raft/rng.ts';
import { chooseAction, DEFAULT_RUN, runSeed } from '../properties/raft/runner.ts';

function bench(n: number, withChecks: boolean, budgetMs: number): { steps: number; ms: number } {
  let steps = 0;
  const t0 = performance.now();
  for (let run = 0; performance.now() - t0 < budgetMs; run++) {
    const rng = new Rng(runSeed(7, run));
    let s = initialState(n);
    const h = new History();
    if (withChecks) checkInitial(s, h);
    for (let i = 0; i < DEFAULT_RUN.steps; i++) {
      const a = chooseAction(s, enabled(s, DEFAULT_RUN.bounds), rng);
      const next = step(s, a);
      if (withChecks) checkStep(s, a, next, h);
      s = next;
      steps++;
    }
  }
  return { steps, ms: performance.now() - t0 };
}

const budget = Number(process.env.BENCH_MS ?? 3000);
// Warm-up: let the JIT settle on every configuration before measuring.
for (const n of [3, 5]) for (const c of [false, true]) bench(n, c, 500);
for (const n of [3, 5]) {
  for (const checks of [false, true]) {
    const r = bench(n, checks, budget);
    const rate = Math.round((r.steps / r.ms) * 1000);
    console.log(
      `raft ${n} managers, ${checks ? 'model + all properties' : 'model only          '}: ${rate.toLocaleString('en-US')} steps/s (${r.steps} steps, ${DEFAULT_RUN.steps}-step random runs with faults)`,
    );
  }
}
