/**
 * Random runs of the Raft model with crashes, partitions, message loss, duplication and reordering. Every
 * step is drawn from `enabled(state)` (a kind of action first, with weights, then one of that kind), and
 * every property is checked after every step. A run is a pure function of its seed.
 */
import {
  type Bounds,
  describe as describeAction,
  enabled,
  initialState,
  step,
} from '../../model/raft/step.ts';
import {
  MAX_TIMEOUT,
  type RaftAction,
  type RaftOptions,
  RaftPanic,
  type RaftState,
} from '../../model/raft/types.ts';
import { checkInitial, checkStep, History, type PropertyName } from './invariants.ts';
import { Rng } from './rng.ts';

/** Relative weights of the action kinds. Ticks and deliveries dominate so elections and commits happen. */
export const WEIGHTS: Record<RaftAction['type'], number> = {
  tick: 30,
  deliver: 40,
  apply: 10,
  drop: 3,
  duplicate: 1,
  crash: 1,
  restart: 4,
  partition: 1,
  heal: 2,
  propose: 6,
  addMember: 0.5,
  removeMember: 0.5,
};

export interface RunConfig {
  steps: number;
  /** Cluster sizes to draw from. Even sizes matter: they are where ⌈n/2⌉ and ⌊n/2⌋+1 differ. */
  sizes: number[];
  bounds: Bounds;
  opts: RaftOptions;
  /** Properties not reported, to show which other property catches a planted bug. */
  skip?: PropertyName[];
}

export const DEFAULT_RUN: RunConfig = {
  steps: 300,
  sizes: [2, 3, 4, 5],
  bounds: { maxWrites: 12, maxMembers: 7, maxNetwork: 48 },
  opts: {},
};

export interface RunStats {
  steps: number;
  leaders: number;
  commits: number;
  maxTerm: number;
  crashes: number;
  partitions: number;
  confChanges: number;
}

export type RunResult =
  | { ok: true; stats: RunStats; history: History }
  | { ok: false; property: PropertyName; message: string; step: number; trace: string[]; seed: number };

/** Chooses one enabled action: a kind by weight, then uniformly within it; the timeout draw approximates [10,19] uniform. */
export function chooseAction(s: RaftState, actions: RaftAction[], rng: Rng): RaftAction {
  const byKind = new Map<RaftAction['type'], RaftAction[]>();
  for (const a of actions) {
    const xs = byKind.get(a.type);
    if (xs) xs.push(a);
    else byKind.set(a.type, [a]);
  }
  let total = 0;
  for (const k of byKind.keys()) total += WEIGHTS[k];
  let r = rng.next() * total;
  let kind: RaftAction['type'] = actions[0].type;
  for (const k of byKind.keys()) {
    r -= WEIGHTS[k];
    if (r < 0) {
      kind = k;
      break;
    }
  }
  const xs = byKind.get(kind)!;
  if (kind !== 'tick') return rng.pick(xs);
  // Ticks: pick a member, then (if the timeout draw is a choice) fire with the hazard of a uniform draw.
  const members = [...new Set(xs.map((a) => (a as { member: string }).member))];
  const id = rng.pick(members);
  const mine = xs.filter((a) => (a as { member: string }).member === id) as Extract<
    RaftAction,
    { type: 'tick' }
  >[];
  if (mine.length === 1) return mine[0];
  const m = s.members.find((x) => x.id === id)!;
  const remaining = MAX_TIMEOUT - (m.electionElapsed + 1) + 1; // values of the draw still possible
  const fire = rng.next() < 1 / remaining;
  return mine.find((a) => a.fire === fire)!;
}

export function runOne(seed: number, cfg: RunConfig = DEFAULT_RUN, keepTrace = false): RunResult {
  const rng = new Rng(seed);
  const n = rng.pick(cfg.sizes);
  let s = initialState(n, cfg.opts);
  const h = new History(cfg.skip);
  const trace: string[] = [`init ${n} managers`];
  const stats: RunStats = {
    steps: 0,
    leaders: 0,
    commits: 0,
    maxTerm: 0,
    crashes: 0,
    partitions: 0,
    confChanges: 0,
  };
  const fail = (property: PropertyName, message: string, i: number): RunResult => ({
    ok: false,
    property,
    message,
    step: i,
    trace,
    seed,
  });
  const v0 = checkInitial(s, h, cfg.opts);
  if (v0) return fail(v0.property, v0.message, 0);
  for (let i = 1; i <= cfg.steps; i++) {
    const actions = enabled(s, cfg.bounds);
    if (actions.length === 0) break;
    const a = chooseAction(s, actions, rng);
    const text = describeAction(s, a);
    if (keepTrace || trace.length < 4000) trace.push(`${i}. ${text}`);
    let next: RaftState;
    try {
      next = step(s, a, cfg.opts);
    } catch (e) {
      if (e instanceof RaftPanic) {
        if (h.skip.has('NoPanic')) break; // the run cannot go on, but the caller asked not to report this
        return fail('NoPanic', `etcd would panic: ${e.message}`, i);
      }
      throw e;
    }
    const viol = checkStep(s, a, next, h, cfg.opts);
    if (viol) return fail(viol.property, viol.message, i);
    if (a.type === 'crash') stats.crashes++;
    if (a.type === 'partition') stats.partitions++;
    if (a.type === 'addMember' || a.type === 'removeMember') stats.confChanges++;
    s = next;
    stats.steps = i;
  }
  stats.leaders = [...h.leadersByTerm.values()].reduce((x, y) => x + y.size, 0);
  stats.commits = h.committed.size;
  stats.maxTerm = Math.max(0, ...s.members.map((m) => m.term));
  return { ok: true, stats, history: h };
}

export interface SuiteResult {
  runs: number;
  steps: number;
  failure: Extract<RunResult, { ok: false }> | null;
  witnessed: Map<PropertyName, number>;
  totals: RunStats;
}

/** Derives the seed of run `i` of a suite with base seed `base`. */
export function runSeed(base: number, i: number): number {
  return (Math.imul(base ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(i + 1, 0xc2b2ae35)) >>> 0;
}

export function runSuite(base: number, runs: number, cfg: RunConfig = DEFAULT_RUN): SuiteResult {
  const witnessed = new Map<PropertyName, number>();
  const totals: RunStats = {
    steps: 0,
    leaders: 0,
    commits: 0,
    maxTerm: 0,
    crashes: 0,
    partitions: 0,
    confChanges: 0,
  };
  for (let i = 0; i < runs; i++) {
    const r = runOne(runSeed(base, i), cfg);
    if (!r.ok) return { runs: i + 1, steps: totals.steps + r.step, failure: r, witnessed, totals };
    for (const [k, c] of r.history.witnessed) witnessed.set(k, (witnessed.get(k) ?? 0) + c);
    totals.steps += r.stats.steps;
    totals.leaders += r.stats.leaders;
    totals.commits += r.stats.commits;
    totals.maxTerm = Math.max(totals.maxTerm, r.stats.maxTerm);
    totals.crashes += r.stats.crashes;
    totals.partitions += r.stats.partitions;
    totals.confChanges += r.stats.confChanges;
  }
  return { runs, steps: totals.steps, failure: null, witnessed, totals };
}

/** The report printed on a failure: property, seed, the last steps, and a one-line replay command. */
export function failureReport(
  f: Extract<RunResult, { ok: false }>,
  testFile: string,
  mutation?: string,
): string {
  const tail = f.trace.length > 40 ? ['…', ...f.trace.slice(-40)] : f.trace;
  return [
    `Raft property ${f.property} violated at step ${f.step} of run seed ${f.seed}: ${f.message}`,
    ...tail.map((l) => `  ${l}`),
    `Replay: SWARM_RAFT_RUN=${f.seed}${mutation ? ` SWARM_RAFT_MUTATION=${mutation}` : ''} npx vitest run ${testFile}`,
  ].join('\n');
}
