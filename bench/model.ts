/**
 * Model throughput: actions per second (one `enabled` + one `step` each) in seeded random runs over
 * the standard cluster (5 nodes of which 3 managers, 3 services). Single thread.
 *   npm run bench:model            (env BENCH_MS: measuring time, default 3000)
 *   node --cpu-prof --import tsx bench/model.ts   (profile)
 *
 * This machine's speed is not constant: it is a virtual machine whose two cores share a host, and the
 * same code has measured anywhere from 175,000 to 425,000 actions/s from one hour to the next. So the
 * bench also times a fixed reference workload (plain JavaScript: small objects, a Map, array scans)
 * right before and after the model and prints the model's rate relative to it; that ratio moves with the
 * code, not with the host. For a count that does not depend on timing at all, count instructions:
 *   npx esbuild bench/model.ts --bundle --keep-names --platform=node --format=esm --outfile=/tmp/m.mjs
 *   RUNS=200 valgrind --tool=callgrind --smc-check=all-non-file --callgrind-out-file=/dev/null node --single-threaded /tmp/m.mjs
 * minus the same with RUNS=0 (start-up and warm-up), over 40,000 actions: about ±1 % between repeats.
 * `--single-threaded` matters: with V8's background compiler threads the count moved by 14 % between
 * two runs of the same code on a loaded machine, since how much compiling lands inside the measured
 * window depends on timing (about half of the count is still V8 compiling, not the model).
 */
import { randomRun, rng, standardCluster } from '../model/random.ts';

const budget = Number(process.env.BENCH_MS ?? 3000);
/** RUNS=n: exactly n runs after the warm-up, untimed, no reference (for instruction counts). */
const fixedRuns = process.env.RUNS === undefined ? undefined : Number(process.env.RUNS);
const base = standardCluster();
const RUN = 200;
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

/**
 * The yardstick: rounds of plain JavaScript of the model's kind (32 small records built, indexed in a
 * Map by id, looked up, half of them copied with one field changed). Deterministic; no model code.
 */
function referenceRounds(rounds: number): number {
  const ids = Array.from({ length: 32 }, (_, i) => `r${i}`);
  const byId = new Map<string, { id: string; v: number; state: string }>();
  let acc = 0;
  for (let r = 0; r < rounds; r++) {
    const xs = [];
    for (let i = 0; i < 32; i++)
      xs.push({ id: ids[i], v: (r * 31 + i) & 1023, state: i & 1 ? 'running' : 'shutdown' });
    for (const x of xs) byId.set(x.id, x);
    for (let i = 0; i < 32; i++) {
      const x = byId.get(ids[(i * 7) & 31])!;
      if (x.state === 'running') acc += x.v;
    }
    acc += xs.map((x) => (x.v & 1 ? { ...x, v: x.v + 1 } : x)).length;
  }
  return acc;
}
/** Reference rounds per second, timed over about `ms`. */
function referenceRate(ms: number): number {
  referenceRounds(2000);
  let rounds = 0;
  const t = performance.now();
  while (performance.now() - t < ms) {
    referenceRounds(1000);
    rounds += 1000;
  }
  return rounds / ((performance.now() - t) / 1000);
}

let seed = 1;
// Warm-up.
for (let i = 0; i < 50; i++) randomRun(base, RUN, rng(seed++));
if (fixedRuns !== undefined) {
  let tasks = 0;
  for (let i = 0; i < fixedRuns; i++) tasks += randomRun(base, RUN, rng(seed++)).tasks.length;
  console.log(`model: ${fixedRuns} runs × ${RUN} actions (untimed; ${tasks} tasks at run ends)`);
} else {
  const refBefore = referenceRate(500);
  let actions = 0;
  let runs = 0;
  let tasksSeen = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  while (performance.now() - t0 < budget) {
    const end = randomRun(base, RUN, rng(seed++));
    actions += RUN;
    runs++;
    tasksSeen += end.tasks.length;
  }
  const secs = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const cpuSecs = (cpu.user + cpu.system) / 1e6;
  const ref = (refBefore + referenceRate(500)) / 2;
  // Per CPU second as well as per wall second: on a shared machine the wall-clock rate understates.
  console.log(
    `model: ${fmt(actions / secs)} actions/s wall, ${fmt(actions / cpuSecs)} actions per CPU-second (${runs} runs × ${RUN} actions, ${secs.toFixed(1)} s; mean ${(tasksSeen / runs).toFixed(1)} tasks at run end)`,
  );
  console.log(
    `reference: ${fmt(ref)} rounds/s on this machine just now; model/reference = ${(actions / secs / ref).toFixed(3)} (compare this ratio across runs and hosts)`,
  );
}
