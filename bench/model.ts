/**
 * Model throughput: actions per second (one `enabled` + one `step` each) in seeded random runs over
 * the standard cluster (5 nodes of which 3 managers, 3 services). Single thread.
 *   npm run bench:model            (env BENCH_MS: measuring time, default 3000)
 *   node --cpu-prof --import tsx bench/model.ts   (profile)
 */
import { randomRun, rng, standardCluster } from '../model/random.ts';

const budget = Number(process.env.BENCH_MS ?? 3000);
const base = standardCluster();
const RUN = 200;
let actions = 0;
let runs = 0;
let seed = 1;
// Warm-up.
for (let i = 0; i < 50; i++) randomRun(base, RUN, rng(seed++));
const t0 = performance.now();
let tasksSeen = 0;
while (performance.now() - t0 < budget) {
  const end = randomRun(base, RUN, rng(seed++));
  actions += RUN;
  runs++;
  tasksSeen += end.tasks.length;
}
const secs = (performance.now() - t0) / 1000;
console.log(
  `model: ${Math.round(actions / secs).toLocaleString('en-US')} actions/s (${runs} runs × ${RUN} actions, ${secs.toFixed(1)} s; mean ${(tasksSeen / runs).toFixed(1)} tasks at run end)`,
);
