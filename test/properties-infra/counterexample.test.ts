/** The counterexample pipeline end to end: saved JSON replays exactly, the .swarm parses. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { checkProperty } from '../../properties/harness.ts';
import { parseSaved, replaySaved } from '../../properties/replay.ts';
import { safetySpec } from '../../properties/suites.ts';
import { parseScenario } from '../../scenario/parse.ts';

test('a planted failure is saved, replays exactly, and its scenario parses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'swarm-cx-'));
  const o = checkProperty({ ...safetySpec(), plant: 'quorum-ceil', seed: 7, runs: 300, saveDir: dir });
  expect(o.failed).toBe(true);
  const [json, swarm] = o.files;
  const saved = parseSaved(readFileSync(json, 'utf8'), json);
  const again = replaySaved(saved, json);
  expect(again.stillFails).toBe(true);
  expect(again.failure?.property).toBe(saved.property);
  expect(again.divergence).toBe('');
  // On the real model the same plan passes: the failure belongs to the planted bug.
  expect(replaySaved({ ...saved, plant: '' }, json).stillFails).toBe(false);
  const text = readFileSync(swarm, 'utf8');
  expect(() => parseScenario(text, swarm)).not.toThrow();
  expect(text).toContain('partition');
});

test('a file that is not a counterexample is refused in one line', () => {
  expect(() => parseSaved('{"a":1}', 'x.json')).toThrow(/not a swarm-model counterexample/);
  expect(() => parseSaved('nope', 'x.json')).toThrow(/x.json: not JSON/);
});
