/**
 * What the message-level Raft costs under the cluster model: cluster actions per second in the same
 * seeded random runs (properties/raft/clusterRun.ts: 1–5 managers, faults, manager commands), with the
 * atomic gate alone and with the Raft shadow in lockstep (model/raft/shadow.ts: every fault, membership
 * change and write replayed onto model/raft, plus 3 random Raft steps per cluster step). Single thread.
 *   npm run bench:controlplane        (env BENCH_MS: measuring time per mode, default 3000)
 */
import { type ClusterRunStats, clusterRun } from '../properties/raft/clusterRun.ts';

const budget = Number(process.env.BENCH_MS ?? 3000);
const STEPS = 150;

for (const shadow of [false, true]) {
  const stats: ClusterRunStats = { steps: 0, compared: { yes: 0, no: 0, stale: 0 }, witnesses: new Set() };
  let seed = 1;
  for (let i = 0; i < 5; i++) clusterRun(seed++, { steps: STEPS, shadow });
  const t0 = performance.now();
  let runs = 0;
  while (performance.now() - t0 < budget) {
    clusterRun(seed++, { steps: STEPS, shadow }, stats);
    runs++;
  }
  const secs = (performance.now() - t0) / 1000;
  console.log(
    `${shadow ? 'gate + message-level Raft' : 'atomic gate only        '}: ${Math.round(stats.steps / secs).toLocaleString('en-US')} cluster actions/s (${runs} runs, ${stats.steps} actions, ${secs.toFixed(1)} s)`,
  );
}
