/**
 * Every claim's verdict is computed by the model and must equal the catalog's expectation; pending
 * claims are counted apart and never pass. Every card's counterexample must be 1-minimal and set up
 * its own premise (no vacuous counterexample).
 */
import { describe, expect, test } from 'vitest';
import { compute, scenarioOf, verdictOf } from '../../study/check.ts';
import { allChecks } from '../../study/checks/index.ts';
import { claims } from '../../study/claims.ts';
import { studyClaim } from '../../study/index.ts';
import { removableLines } from '../../study/minimal.ts';

describe('the verdict rule', () => {
  test('a failing typical case makes a claim false; only a failing condition, imprecise', () => {
    expect(verdictOf([{ role: 'typical', holds: true }])).toBe('true');
    expect(
      verdictOf([
        { role: 'typical', holds: false },
        { role: 'condition', holds: false },
      ]),
    ).toBe('false');
    expect(
      verdictOf([
        { role: 'typical', holds: true },
        { role: 'condition', holds: false },
      ]),
    ).toBe('imprecise');
  });
});

test('every claim has exactly one check, and no check is orphaned', () => {
  expect(Object.keys(allChecks).sort()).toEqual(claims.map((c) => c.id).sort());
  expect(new Set(claims.map((c) => c.id)).size).toBe(claims.length);
});

test('at least 50 claims are computed by the model; pending ones are counted apart', () => {
  const computed = claims.filter((c) => allChecks[c.id].kind === 'cases');
  const pending = claims.filter((c) => allChecks[c.id].kind === 'pending');
  expect(computed.length).toBeGreaterThanOrEqual(50);
  expect(computed.length + pending.length).toBe(claims.length);
  // A pending claim reports 'pending', never its expected verdict.
  for (const c of pending) expect(compute(allChecks[c.id]).verdict).toBe('pending');
});

describe('computed verdicts equal the catalog', () => {
  for (const claim of claims) {
    if (allChecks[claim.id].kind !== 'cases') continue;
    test(claim.id, () => {
      const r = studyClaim(claim);
      const detail = r.computed.outcomes.map(
        (o) => `${o.case.role} ${o.judged.holds ? 'holds' : 'fails'}: ${o.judged.because}`,
      );
      expect({ verdict: r.computed.verdict, detail }).toEqual({ verdict: claim.expected, detail });
      // A card's reason is read from the model, never empty.
      for (const o of r.computed.outcomes) expect(o.judged.because.length).toBeGreaterThan(10);
    });
  }
});

describe('counterexamples are 1-minimal', () => {
  for (const claim of claims) {
    if (claim.expected === 'true' || allChecks[claim.id].kind !== 'cases') continue;
    test(claim.id, () => {
      const r = studyClaim(claim);
      const shown = r.computed.shown!;
      const sc = scenarioOf(shown);
      if (!sc) return; // a Raft computation without a docker illustration: nothing to shorten
      const c = shown.case.kind === 'scenario' ? shown.case : shown.case.illustration!;
      expect(removableLines(c)).toEqual([]);
    });
  }
});

test('a premise guards against vacuous counterexamples: removing the drain breaks the story', () => {
  const c = allChecks['drain-restart-none-not-replaced'];
  if (c.kind !== 'cases' || c.cases[0].kind !== 'scenario') throw new Error('unexpected check shape');
  const sc = c.cases[0];
  const withoutDrain = sc.scenario
    .split('\n')
    .filter((l) => !l.includes('--availability drain'))
    .join('\n');
  expect(() => compute({ kind: 'cases', cases: [{ ...sc, scenario: withoutDrain }] })).toThrow(/premise/);
});
