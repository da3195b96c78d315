/**
 * The generated study material: every card's scenario file, replayed, gives the card's verdict; the
 * committed reports/study/ is what the generator writes (regenerate with `npx swarm-model study`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { main } from '../../cli/main.ts';
import { SCENARIO_DIR, STUDY_DIR, scenarioPath, studyFiles } from '../../study/cards.ts';
import { scenarioOf, verdictOf } from '../../study/check.ts';
import { claims } from '../../study/claims.ts';
import { type ClaimResult, studyAll, tally, tallyLine } from '../../study/index.ts';
import { tell } from '../../study/story.ts';

let results: ClaimResult[];
let files: Map<string, string>;

beforeAll(() => {
  results = studyAll();
  files = studyFiles(results, tallyLine(tally(results)));
});

test('reports/study/ is up to date (run `npx swarm-model study` after a change)', () => {
  const stale = [...files]
    .filter(([p, content]) => !existsSync(p) || readFileSync(p, 'utf8') !== content)
    .map(([p]) => p);
  expect(stale).toEqual([]);
  const extra = readdirSync(SCENARIO_DIR).filter((f) => !files.has(`${SCENARIO_DIR}/${f}`));
  expect(extra).toEqual([]);
});

describe('replaying each card scenario gives the card verdict', () => {
  for (const claim of claims) {
    test(claim.id, () => {
      const r = results.find((x) => x.claim.id === claim.id)!;
      const shown = r.computed.shown;
      const path = scenarioPath(claim.id);
      if (!shown || !scenarioOf(shown)) {
        expect(existsSync(path)).toBe(false);
        return;
      }
      const c = shown.case.kind === 'scenario' ? shown.case : shown.case.illustration!;
      const replayed = tell(readFileSync(path, 'utf8'), path);
      const judged = c.holds(replayed);
      expect(judged.holds).toBe(
        shown.case.kind === 'scenario' ? shown.judged.holds : shown.illustration!.judged.holds,
      );
      if (shown.case.kind === 'scenario') {
        const others = r.computed.outcomes
          .filter((o) => o !== shown)
          .map((o) => ({ role: o.case.role, holds: o.judged.holds }));
        expect(verdictOf([...others, { role: shown.case.role, holds: judged.holds }])).toBe(
          r.computed.verdict,
        );
      }
      expect(r.computed.verdict).toBe(claim.expected);
    });
  }
});

test('`swarm-model run` replays a card scenario (the command printed on the card)', async () => {
  const logs: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => void logs.push(a.join(' '));
  try {
    expect(await main(['run', scenarioPath('drain-restart-none-not-replaced')])).toBe(0);
  } finally {
    console.log = orig;
  }
  const out = logs.join('\n');
  expect(out).toContain('worker-1 availability active → drain');
  expect(out).toMatch(/web\s+replicated\s+1\/2/);
});

test('cards say what a learner needs: claim, source, verdict, correction, citation, replay, diagram', () => {
  const md = files.get(`${STUDY_DIR}/drain-restart-none-not-replaced.md`)!;
  for (const s of [
    '# With --restart-condition none',
    '**Verdict: FALSE**',
    'source: a common misconception',
    '## What is true',
    'moby/swarmkit:manager/orchestrator/restart/restart.go',
    'npx swarm-model run reports/study/scenarios/drain-restart-none-not-replaced.swarm',
    '```mermaid\nsequenceDiagram',
    'participant',
  ])
    expect(md).toContain(s);
  const index = files.get(`${STUDY_DIR}/README.md`)!;
  expect(index).toContain('pending (needs');
});
