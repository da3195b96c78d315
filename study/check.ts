/**
 * How a claim's verdict is computed from the model, never written down.
 *
 * A check is a list of cases. Each case is a situation (a scenario in docker CLI syntax, run by the
 * scenario runner, or a computation on the message-level Raft model) and a predicate saying whether
 * the claim, read literally, holds there, with the reason read from the resulting state.
 *
 * - `typical` cases are the setting the claim itself describes ("drain a node that runs a replica").
 * - `condition` cases are settings the claim leaves out but a learner meets (restart condition none,
 *   a paused node, an even number of managers).
 *
 * The verdict follows from the outcomes alone (rule in `verdictOf`):
 *   a typical case fails → `false`; the typical cases hold but a condition case fails → `imprecise`;
 *   everything holds → `true`.
 * The catalog's `expected` verdict is then compared with this computed one by the tests.
 */
import type { Verdict } from './claims.ts';
import { type Story, tell } from './story.ts';

/** The outcome of one case: did the claim hold, and why (read from the model's state). */
export interface Judged {
  holds: boolean;
  because: string;
  /** For computations that are not scenarios: what happened, one line per step. */
  trace?: string[];
}

export type Role = 'typical' | 'condition';

export interface ScenarioCase {
  kind: 'scenario';
  role: Role;
  /** One line: what this situation is, e.g. "drain with --restart-condition none". */
  title: string;
  /** Scenario text in the scenario language (README "Scenarios"); `#` comments are kept on cards. */
  scenario: string;
  holds: (story: Story) => Judged;
  /**
   * What the story must show for the case to say anything (a service exists, a node is drained, a
   * manager is down); null when it does, else what is missing. A counterexample whose premise fails
   * would be vacuous: `evaluate` refuses it, and the minimality check treats such a deletion as
   * breaking the story.
   */
  premise?: (story: Story) => string | null;
}

export interface RaftCase {
  kind: 'raft';
  role: Role;
  title: string;
  /** What was computed, in words, e.g. "quorumTable rows N = 3 and 4 (model/raft/quorumTable.ts)". */
  method: string;
  /** A command that recomputes it, shown on the card. */
  replay: string;
  holds: () => Judged;
  /** An illustration in docker syntax, checked with its own predicate (must agree with `holds`). */
  illustration?: Omit<ScenarioCase, 'kind' | 'role' | 'title'>;
}

export type Case = ScenarioCase | RaftCase;

/** A feature another branch is building; the claim is counted as pending, never as a pass. */
export type Feature =
  | 'rolling updates (branch updates)'
  | 'secret distribution (branch updates)'
  | 'routing mesh (branch updates)'
  | 'network allocation (branch updates)'
  | 'raft encryption at rest (not modelled)'
  | 'dispatcher protocol direction (not modelled)'
  | 'subnet allocation (not modelled)';

export type Check = { kind: 'cases'; cases: Case[] } | { kind: 'pending'; needs: Feature; plan: string };

export interface CaseOutcome {
  case: Case;
  judged: Judged;
  story: Story | null;
  /** For raft cases with an illustration: the illustration's own outcome. */
  illustration?: { story: Story; judged: Judged };
}

export interface Computed {
  verdict: Verdict | 'pending';
  outcomes: CaseOutcome[];
  /** The case the card shows: the counterexample for false/imprecise, the witness for true. */
  shown: CaseOutcome | null;
  needs?: Feature;
  plan?: string;
}

/** The rule: any typical case failing makes the claim false; only a condition failing, imprecise. */
export function verdictOf(outcomes: { role: Role; holds: boolean }[]): Verdict {
  if (outcomes.some((o) => o.role === 'typical' && !o.holds)) return 'false';
  if (outcomes.some((o) => o.role === 'condition' && !o.holds)) return 'imprecise';
  return 'true';
}

/** Evaluates one case; a predicate that throws is a bug in the check, reported as such. */
export function evaluate(c: Case): CaseOutcome {
  if (c.kind === 'scenario') {
    const story = tell(c.scenario);
    requirePremise(c.title, c.premise, story);
    return { case: c, judged: c.holds(story), story };
  }
  const judged = c.holds();
  const out: CaseOutcome = { case: c, judged, story: null };
  if (c.illustration) {
    const story = tell(c.illustration.scenario);
    requirePremise(c.title, c.illustration.premise, story);
    out.illustration = { story, judged: c.illustration.holds(story) };
  }
  return out;
}

function requirePremise(title: string, premise: ScenarioCase['premise'], story: Story): void {
  const missing = premise?.(story) ?? null;
  if (missing !== null)
    throw new Error(`check '${title}': the scenario does not set up its premise: ${missing}`);
}

export function compute(check: Check): Computed {
  if (check.kind === 'pending')
    return { verdict: 'pending', outcomes: [], shown: null, needs: check.needs, plan: check.plan };
  if (check.cases.length === 0 || !check.cases.some((c) => c.role === 'typical'))
    throw new Error('a check needs at least one typical case');
  const outcomes = check.cases.map(evaluate);
  const verdict = verdictOf(outcomes.map((o) => ({ role: o.case.role, holds: o.judged.holds })));
  const shown =
    verdict === 'false'
      ? outcomes.find((o) => o.case.role === 'typical' && !o.judged.holds)!
      : verdict === 'imprecise'
        ? outcomes.find((o) => o.case.role === 'condition' && !o.judged.holds)!
        : outcomes[0];
  return { verdict, outcomes, shown };
}

/** The scenario a case shows on its card (a raft case's illustration), or null. */
export function scenarioOf(o: CaseOutcome): { text: string; story: Story; judged: Judged } | null {
  if (o.case.kind === 'scenario' && o.story)
    return { text: o.case.scenario, story: o.story, judged: o.judged };
  if (o.case.kind === 'raft' && o.case.illustration && o.illustration)
    return { text: o.case.illustration.scenario, ...o.illustration };
  return null;
}
