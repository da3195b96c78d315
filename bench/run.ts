/**
 * `npm run bench`: every benchmark of the project, one after another, each in its own process so
 * that one bench's heap and JIT state do not colour the next. Each bench prints its own figures as
 * rates (actions/s, steps/s, states/s) with the command that reproduces it.
 *
 * Benches run on one thread; on a shared or loaded machine the figures drop, so compare ratios
 * between runs on the same machine rather than absolute numbers across machines.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const benches = [
  { file: 'model.ts', what: 'cluster model: actions/s in random runs' },
  { file: 'raft.ts', what: 'message-level Raft: steps/s' },
  { file: 'explore.ts', what: 'explorer on the swarmkit-tla profile: states/s' },
];

let failed = 0;
for (const b of benches) {
  const path = `${here}${b.file}`;
  if (!existsSync(path)) continue;
  console.log(`\n== bench/${b.file} (${b.what})`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`bench/${b.file} exited with ${r.status}`);
    failed++;
  }
}
process.exitCode = failed ? 1 : 0;
