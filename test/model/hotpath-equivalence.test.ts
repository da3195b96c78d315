/**
 * Refactoring guard for the model's hot path (`enabled`, `step`): seeded random runs over the standard
 * cluster, hashed in full (every enabled list, every action taken or refused, the JSON of every state),
 * compared with hashes recorded from the model BEFORE any performance work (the commit that added this
 * file). A speed-up that changes any enabled list, its order, any state, or any refusal text changes a
 * hash. This is not a semantic oracle (the property suite is); it pins behaviour while code moves.
 *
 * The expected hashes live in hotpath-equivalence.json. Regenerate them ONLY for an intended semantic
 * change, and say so in the commit: HOTPATH_RECORD=1 npx vitest run test/model/hotpath-equivalence.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { type Action, enabled, type State, step } from '../../model/index.ts';
import { rng, STANDARD_USER_COMMANDS, standardCluster } from '../../model/random.ts';
import type { UserCommand } from '../../model/spec.ts';

const FILE = new URL('./hotpath-equivalence.json', import.meta.url);
const RUNS = 240;
const STEPS = 150;

/** Beyond scaling: drain/pause/activate, spec updates (dirty tasks, constraint changes), remove and re-create. */
const EXTRA_COMMANDS: UserCommand[] = [
  ...(['w1', 'w2', 'm2'] as const).flatMap((node) =>
    (['drain', 'pause', 'active'] as const).map(
      (availability): UserCommand => ({ kind: 'node.update', node, availability }),
    ),
  ),
  { kind: 'node.update', node: 'w2', labelAdd: { zone: 'a' } },
  { kind: 'service.update', service: 'web', update: { force: true } },
  { kind: 'service.update', service: 'web', update: { constraintAdd: ['node.role==worker'] } },
  { kind: 'service.update', service: 'web', update: { constraintRm: ['node.role==worker'] } },
  { kind: 'service.update', service: 'mon', update: { constraintAdd: ['node.labels.zone!=b'] } },
  { kind: 'service.update', service: 'api', update: { replicasMaxPerNode: 2, replicas: 4 } },
  { kind: 'service.update', service: 'web', update: { restart: { maxAttempts: 2, windowMs: 60_000 } } },
  { kind: 'service.rm', service: 'api' },
  { kind: 'node.demote', node: 'm3' },
  { kind: 'node.promote', node: 'w1' },
];

/** One run's hash. Config varies with the run index: environment weight and user-command mix. */
function runHash(base: State, i: number): string {
  const h = createHash('sha256');
  const rand = rng(1000 + i);
  const envWeight = [0.15, 0.05, 0.4][i % 3];
  const commands =
    i % 4 === 0 ? [] : i % 4 === 1 ? STANDARD_USER_COMMANDS : [...STANDARD_USER_COMMANDS, ...EXTRA_COMMANDS];
  let s = base;
  const comp: Action[] = [];
  const env: Action[] = [];
  for (let k = 0; k < STEPS; k++) {
    if (commands.length > 0 && rand() < 0.04) {
      const a: Action = {
        actor: 'user',
        kind: 'command',
        command: commands[Math.floor(rand() * commands.length)],
      };
      const r = step(s, a);
      h.update(JSON.stringify(a));
      if (r.ok) {
        s = r.state;
        h.update(JSON.stringify(s));
        continue;
      }
      h.update(`refused:${r.error}`);
    }
    const acts = enabled(s);
    h.update(JSON.stringify(acts));
    if (acts.length === 0) break;
    comp.length = 0;
    env.length = 0;
    for (const x of acts) (x.actor === 'fault' || x.actor === 'clock' ? env : comp).push(x);
    const pool = comp.length === 0 || (env.length > 0 && rand() < envWeight) ? env : comp;
    const a = pool[Math.floor(rand() * pool.length)];
    const r = step(s, a);
    if (!r.ok) throw new Error(`run ${i}: enabled action refused: ${JSON.stringify(a)}: ${r.error}`);
    s = r.state;
    h.update(JSON.stringify(a));
    h.update(JSON.stringify(s));
    // A step on a stale action (one enabled earlier, not now) must be refused the same way too.
    if (k % 10 === 9) {
      const stale = acts[Math.floor(rand() * acts.length)];
      const r2 = step(s, stale);
      h.update(r2.ok ? JSON.stringify(r2.state) : `refused:${r2.error}`);
    }
  }
  return h.digest('hex').slice(0, 16);
}

test('hot path: seeded random runs hash exactly as recorded before the performance work', () => {
  const base = standardCluster();
  const got = Array.from({ length: RUNS }, (_, i) => runHash(base, i));
  if (process.env.HOTPATH_RECORD === '1') {
    writeFileSync(FILE, `${JSON.stringify({ runs: RUNS, steps: STEPS, hashes: got }, null, 1)}\n`);
    return;
  }
  const want = JSON.parse(readFileSync(FILE, 'utf8')) as { hashes: string[] };
  const firstDiff = got.findIndex((x, i) => x !== want.hashes[i]);
  expect(firstDiff, `first diverging run: ${firstDiff}`).toBe(-1);
  expect(got.length).toBe(want.hashes.length);
});
