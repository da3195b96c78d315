/**
 * The study material's entry point: compute every claim's verdict from the model, and say how it
 * compares with the catalog's expectation. Used by `swarm-model study`, `swarm-model report` and the
 * tests (test/study/).
 */
import { type Computed, compute } from './check.ts';
import { allChecks } from './checks/index.ts';
import { type Claim, claims } from './claims.ts';

export interface ClaimResult {
  claim: Claim;
  computed: Computed;
  /** computed verdict equals expected (pending claims: false, and counted apart). */
  agrees: boolean;
}

export function checkOf(id: string) {
  const c = allChecks[id];
  if (!c) throw new Error(`claim ${id} has no check (study/checks/)`);
  return c;
}

export function studyClaim(claim: Claim): ClaimResult {
  const computed = compute(checkOf(claim.id));
  return { claim, computed, agrees: computed.verdict === claim.expected };
}

export function studyAll(onClaim?: (r: ClaimResult, i: number) => void): ClaimResult[] {
  return claims.map((c, i) => {
    const r = studyClaim(c);
    onClaim?.(r, i);
    return r;
  });
}

export interface Tally {
  total: number;
  computed: number;
  agree: number;
  disagree: number;
  pending: number;
  byVerdict: Record<string, number>;
}

export function tally(rs: ClaimResult[]): Tally {
  const t: Tally = { total: rs.length, computed: 0, agree: 0, disagree: 0, pending: 0, byVerdict: {} };
  for (const r of rs) {
    if (r.computed.verdict === 'pending') {
      t.pending++;
      continue;
    }
    t.computed++;
    if (r.agrees) t.agree++;
    else t.disagree++;
    t.byVerdict[r.computed.verdict] = (t.byVerdict[r.computed.verdict] ?? 0) + 1;
  }
  return t;
}

/** The claims table as plain text (what `swarm-model study` prints). */
export function claimsTable(rs: ClaimResult[]): string {
  const rows = rs.map((r) => [
    r.claim.id,
    r.claim.topic,
    r.computed.verdict === 'pending' ? `pending: needs ${r.computed.needs}` : r.computed.verdict,
    r.computed.verdict === 'pending' ? '' : r.agrees ? 'ok' : `MISMATCH (expected ${r.claim.expected})`,
  ]);
  const head = ['claim', 'topic', 'computed verdict', 'vs expected'];
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(w[i]))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}

export function tallyLine(t: Tally): string {
  const v = Object.entries(t.byVerdict)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  return `${t.total} claims: ${t.computed} computed by the model (${v}), ${t.agree} agree with the catalog, ${t.disagree} disagree; ${t.pending} pending (mechanism not in the model yet; not counted as passes)`;
}
