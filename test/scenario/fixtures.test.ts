/**
 * Golden fixtures, in the manner of etcd-io/raft's testdata: one behaviour per fixtures/NAME.swarm
 * (a prose header in `#` comments, then the steps), its narrated transcript in fixtures/NAME.out.
 * Every golden file was read against SwarmKit's rules before it was accepted; regenerate with
 * `REWRITE=1 npx vitest run test/scenario/fixtures.test.ts` (or `swarm-model run --rewrite FILE…`)
 * and read the diff before committing it.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { goldenPath, renderJson, renderTranscript, runScenario } from '../../scenario/index.ts';

const DIR = join(import.meta.dirname, '../../fixtures');
const REWRITE = process.env.REWRITE === '1';
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.swarm'))
  .sort();

describe('scenario fixtures', () => {
  test('there are fixtures to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  test.each(files)('%s', (f) => {
    const path = join(DIR, f);
    const text = readFileSync(path, 'utf8');
    // Fixture paths in transcripts are relative, so goldens do not depend on the checkout location.
    const run = runScenario(text, `fixtures/${f}`);
    const got = renderTranscript(run);
    const golden = goldenPath(path);
    if (REWRITE) writeFileSync(golden, got);
    expect(existsSync(golden), `${golden} is missing: run with REWRITE=1 and read it`).toBe(true);
    expect(got).toBe(readFileSync(golden, 'utf8'));
    // A fixture is a scenario a learner can run: no line of it may be a model-side livelock.
    expect(run.records.filter((r) => r.message.includes('did not settle'))).toEqual([]);
  });

  test('runs are deterministic byte for byte (transcript and JSON)', () => {
    for (const f of files) {
      const text = readFileSync(join(DIR, f), 'utf8');
      const a = runScenario(text, f);
      const b = runScenario(text, f);
      expect(renderTranscript(a)).toBe(renderTranscript(b));
      expect(renderJson(a)).toBe(renderJson(b));
    }
  });
});
