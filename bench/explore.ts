/**
 * `npm run bench:explore`: the swarmkit-tla profile with Node = {n1, n2} and the other constants of
 * design/tla/models/SwarmKit.cfg, all properties checked (TypeOK, Inv, TransitionsOK, deadlock,
 * EventuallyAsDesired). For reference, TLC 2.20 needs about 145 s wall with 2 workers and 2.6 GB on
 * this kind of machine. Target here: <= 15 s on one thread, <= 1 GB peak RSS.
 *
 * Prints the figures as rates; asserts nothing (timings belong in benchmarks, not tests). The
 * machine may be shared, so it also prints the CPU time and the load average.
 *   BENCH_NODES=N  change the node count (default 2).
 */
import { loadavg } from 'node:os';
import { explore } from '../explore/explorer.ts';
import { describeConstants, REFERENCE_CONSTANTS, swarmkitTlaModel } from '../tla/profile.ts';

const K = { ...REFERENCE_CONSTANTS, Node: Number(process.env.BENCH_NODES ?? 2) };
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

console.log(`bench:explore  swarmkit-tla  ${describeConstants(K)}`);
const load0 = loadavg()[0];
const cpu0 = process.cpuUsage();
const r = explore(swarmkitTlaModel(K), {
  onProgress: (p) =>
    console.error(
      `  ${fmt(p.generated)} generated, ${fmt(p.distinct)} distinct, queue ${fmt(p.queue)}, depth ${p.depth}, ` +
        `${fmt(p.statesPerSec)} distinct/s`,
    ),
});
const cpu = process.cpuUsage(cpu0);
const seconds = r.elapsedMs / 1000;
const rssMB = process.resourceUsage().maxRSS / 1024;
if (r.violation) {
  console.log(`unexpected violation of ${r.violation.name}: ${r.violation.message}`);
  process.exitCode = 1;
}
console.log(`checked          ${r.checked.join(', ')}${r.complete ? '' : ' (INCOMPLETE)'}`);
console.log(`states generated ${fmt(r.generated)}`);
console.log(`distinct states  ${fmt(r.distinct)}`);
console.log(`depth            ${r.depth}`);
console.log(`wall             ${seconds.toFixed(1)} s   (target <= 15 s; TLC 2.20: ~145 s with 2 workers)`);
console.log(`cpu (user+sys)   ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s`);
console.log(`peak RSS         ${fmt(rssMB)} MB   (target <= 1024 MB; TLC: ~2.6 GB)`);
console.log(
  `rate             ${fmt(r.distinct / seconds)} distinct states/s, ${fmt(r.generated / seconds)} generated/s`,
);
console.log(
  `load average     ${load0.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end (2 cores; >1 means shared)`,
);
