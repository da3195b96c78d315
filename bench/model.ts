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
const c0 = process.cpuUsage();
let tasksSeen = 0;
while (performance.now() - t0 < budget) {
  const end = randomRun(base, RUN, rng(seed++));
  actions += RUN;
  runs++;
  tasksSeen += end.tasks.length;
}
const secs = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(c0);
const cpuSecs = (cpu.user + cpu.system) / 1e6;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
// Per CPU second as well as per wall second: on a shared machine the wall-clock rate understates.
console.log(
  `model: ${fmt(actions / secs)} actions/s wall, ${fmt(actions / cpuSecs)} actions per CPU-second (${runs} runs × ${RUN} actions, ${secs.toFixed(1)} s; mean ${(tasksSeen / runs).toFixed(1)} tasks at run end)`,
);
