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
const all = readdirSync(DIR)
  .filter((f) => f.endsWith('.swarm'))
  .sort();

/**
 * Fixtures whose golden file says what SwarmKit does while the model still does something else
 * (each reported in notes/core-bugs.md). They run as `test.fails`: the day the model is fixed, the
 * test turns red, and the fixture moves out of this list after its golden diff has been read.
 */
const KNOWN_MODEL_DIVERGENCES = new Set<string>([]);
const files = all.filter((f) => !KNOWN_MODEL_DIVERGENCES.has(f));

describe('scenario fixtures', () => {
  test('there are fixtures to check', () => {
    expect(all.length).toBeGreaterThanOrEqual(15);
  });

  const check = (f: string) => {
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
  };

  test.each(files)('%s', check);

  // Never rewritten: these goldens were written by hand from SwarmKit's code.
  test.fails.each([...KNOWN_MODEL_DIVERGENCES])(
    '%s (known model divergence, see notes/core-bugs.md)',
    (f) => {
      const path = join(DIR, f);
      expect(renderTranscript(runScenario(readFileSync(path, 'utf8'), `fixtures/${f}`))).toBe(
        readFileSync(goldenPath(path), 'utf8'),
      );
    },
  );

  test('runs are deterministic byte for byte (transcript and JSON)', () => {
    for (const f of all) {
      const text = readFileSync(join(DIR, f), 'utf8');
      const a = runScenario(text, f);
      const b = runScenario(text, f);
      expect(renderTranscript(a)).toBe(renderTranscript(b));
      expect(renderJson(a)).toBe(renderJson(b));
    }
  });
});
