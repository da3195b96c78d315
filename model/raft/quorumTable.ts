/**
 * Quorum arithmetic, computed by running the model rather than by formula (DESIGN §5 "Quorum table").
 *
 * For each size N: elect a leader and commit a write, then for every fault size f = 0, 1, … and *every*
 * set of f managers (exhaustive over subsets), take them away — crashed, or each cut off by a partition
 * from everyone — and drive the model:
 * - with `salts` fair schedules (deterministic, different election-timeout draws), checking whether a
 *   client write commits within `rounds` ticks;
 * - when no fair schedule commits, also `randomSchedules` random schedules (loss, duplication,
 *   reordering, timeout draws; the faults stay) of `randomSteps` steps, none of which may commit a write.
 * Tolerance is the largest f for which every set committed; majority is the smallest number of managers
 * that held a newly committed entry at the moment it committed, over all runs.
 */

import { leaderOf } from './controlPlane.ts';
import { runFair } from './fair.ts';
import { enabled, initialState, step } from './step.ts';
import type { MemberId, RaftAction, RaftState } from './types.ts';

export interface QuorumRow {
  n: number;
  majority: number;
  tolerance: number;
  /** fault sets tried, runs made */
  faultSets: number;
  runs: number;
  /** For each f tried: did every set commit, did none. */
  byFaults: { f: number; allCommitted: boolean; noneCommitted: boolean }[];
}

export interface QuorumOptions {
  salts?: number;
  rounds?: number;
  randomSchedules?: number;
  randomSteps?: number;
  /** Seed for the random schedules. */
  seed?: number;
}

/** A steady swarm of n managers: a signalled leader and one committed, applied write everywhere. */
export function steadySwarm(n: number): RaftState {
  let s = runFair(initialState(n), { rounds: 60, until: (x) => leaderOf(x) !== null }).state;
  const id = leaderOf(s);
  if (id === null) throw new Error(`no leader in a healthy ${n}-manager swarm`);
  s = step(s, { type: 'propose', member: id });
  return runFair(s, { rounds: 5 }).state;
}

function subsets<T>(xs: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (xs.length < k) return [];
  const [h, ...t] = xs;
  return [...subsets(t, k - 1).map((s) => [h, ...s]), ...subsets(t, k)];
}

export function takeAway(s: RaftState, gone: MemberId[], kind: 'crash' | 'cut'): RaftState {
  if (gone.length === 0) return s;
  if (kind === 'crash') {
    for (const id of gone) s = step(s, { type: 'crash', member: id });
    return s;
  }
  const rest = s.members.map((m) => m.id).filter((id) => !gone.includes(id));
  if (rest.length === 0) return s;
  // Each one cut off on its own: a cut-off manager reaches nobody, not even another cut-off one.
  return step(s, { type: 'partition', groups: [rest, ...gone.map((g) => [g])] });
}

/** The number of managers holding the first new write at the moment it commits, or null if none commits. */
function commitHolders(r: RaftState, before: number): number | null {
  for (const w of r.writes.slice(before)) {
    for (const m of r.members) {
      const e = m.log[w.index - 1];
      if (w.index <= m.commitIndex && e?.term === w.term && e.payload === w.payload) {
        return r.members.filter((x) => {
          const y = x.log[w.index - 1];
          return y?.term === w.term && y.payload === w.payload;
        }).length;
      }
    }
  }
  return null;
}

/** One fair schedule with a retrying client; returns the holders at first commit, or null. */
function fairWrite(s: RaftState, salt: number, rounds: number): number | null {
  const before = s.writes.length;
  let holders: number | null = null;
  runFair(s, {
    rounds,
    salt,
    before: (x) => {
      const id = leaderOf(x);
      if (id === null || x.writes.slice(before).some((w) => w.status === 'pending')) return null;
      return { type: 'propose', member: id };
    },
    until: (x) => {
      holders = commitHolders(x, before);
      return holders !== null;
    },
  });
  return holders;
}

function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random schedule with the faults frozen: no heal, no restart, no new crash; loss and duplication allowed. */
function randomWriteCommits(s: RaftState, seed: number, steps: number): boolean {
  const rnd = mulberry(seed);
  const before = s.writes.length;
  for (let i = 0; i < steps; i++) {
    const acts = enabled(s, {
      crashes: false,
      partitions: false,
      membership: false,
      loss: true,
      duplication: true,
      maxNetwork: 32,
    });
    // Favour progress: ticks and deliveries most of the time, a client write whenever a leader accepts one.
    const pool: RaftAction[] = acts.filter((a) => a.type !== 'drop' && a.type !== 'duplicate');
    const faults = acts.filter((a) => a.type === 'drop' || a.type === 'duplicate');
    if (pool.length === 0 && faults.length === 0) return false; // nothing can happen any more
    const a =
      pool.length === 0 || (faults.length > 0 && rnd() < 0.1)
        ? faults[Math.floor(rnd() * faults.length)]
        : pool[Math.floor(rnd() * pool.length)];
    s = step(s, a);
    if (commitHolders(s, before) !== null) return true;
  }
  return false;
}

export function quorumRow(n: number, o: QuorumOptions = {}): QuorumRow {
  const salts = o.salts ?? 2;
  const rounds = o.rounds ?? 80;
  const base = steadySwarm(n);
  const ids = base.members.map((m) => m.id);
  let tolerance = -1;
  let majority = Number.POSITIVE_INFINITY;
  let faultSets = 0;
  let runs = 0;
  const byFaults: QuorumRow['byFaults'] = [];
  let seed = o.seed ?? 1;
  for (let f = 0; f <= n; f++) {
    let all = true;
    let none = true;
    for (const gone of subsets(ids, f)) {
      for (const kind of ['crash', 'cut'] as const) {
        if ((f === 0 || f === n) && kind === 'cut') continue; // nothing to cut off from
        faultSets++;
        const s = takeAway(base, gone, kind);
        let committedHere = 0;
        for (let salt = 0; salt < salts; salt++) {
          runs++;
          const h = fairWrite(s, salt, rounds);
          if (h !== null) {
            committedHere++;
            majority = Math.min(majority, h);
          }
        }
        if (committedHere < salts) all = false;
        if (committedHere > 0) none = false;
        if (committedHere === 0) {
          for (let r = 0; r < (o.randomSchedules ?? 2); r++) {
            runs++;
            if (randomWriteCommits(s, seed++, o.randomSteps ?? 400)) none = false;
          }
        }
      }
    }
    byFaults.push({ f, allCommitted: all, noneCommitted: none });
    if (all) tolerance = f;
    else if (none)
      break; // one size past the tolerance where nothing commits is the evidence we need
    else throw new Error(`N=${n}, f=${f}: some fault sets commit and some do not`);
  }
  return { n, majority, tolerance, faultSets, runs, byFaults };
}

export function quorumTable(maxN = 9, o: QuorumOptions = {}, onRow?: (r: QuorumRow) => void): QuorumRow[] {
  const rows: QuorumRow[] = [];
  for (let n = 1; n <= maxN; n++) {
    const r = quorumRow(n, o);
    rows.push(r);
    onRow?.(r);
  }
  return rows;
}
