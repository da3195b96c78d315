/**
 * Breadth-first explicit-state exploration, counted the way TLC counts.
 *
 * - "states generated": every initial state plus every successor the model emits (duplicates and
 *   self-loops included), as TLC reports it.
 * - "distinct states": states with distinct 64-bit fingerprints.
 * - "depth": the number of BFS levels, the initial states being level 1 (TLC: "The depth of the
 *   complete state graph search").
 *
 * Every invariant is checked on every distinct state when it is first found, so the parent chain of
 * a violating state is a shortest trace. Action properties are checked on every step `s -> s'` with
 * s' != s (TLA+'s `[][P]_vars` holds trivially on stuttering steps), see ActionProperty for how the
 * step's actions are given. Liveness properties are checked after the search on the stored state
 * graph (see liveness.ts).
 */
import { Hasher, NO_PARENT, SeenStates } from './fingerprints.ts';
import { checkLiveness, LivenessGraph } from './liveness.ts';
import type { Model, StepInfo } from './model.ts';
import { WordQueue } from './queue.ts';
import { type Trace, TraceBuilder } from './trace.ts';

export interface Progress {
  generated: number;
  distinct: number;
  queue: number;
  depth: number;
  elapsedMs: number;
  /** Distinct states per second since the start. */
  statesPerSec: number;
}

export interface ExploreOptions {
  /** Defaults to the model's own setting. */
  checkDeadlock?: boolean;
  /** Check the model's liveness properties (default true; needs the state graph in memory). */
  liveness?: boolean;
  onProgress?: (p: Progress) => void;
  /** Milliseconds between progress reports (default 3000). */
  progressEveryMs?: number;
  /** Stop after this many distinct states (the result is then marked incomplete). */
  maxStates?: number;
}

export type Violation<S> =
  | { kind: 'invariant'; name: string; message: string; trace: Trace<S> }
  | { kind: 'action-property'; name: string; message: string; trace: Trace<S> }
  | { kind: 'deadlock'; name: 'Deadlock'; message: string; trace: Trace<S> }
  | { kind: 'error'; name: 'Error'; message: string; trace: Trace<S> }
  | { kind: 'liveness'; name: string; message: string; trace: Trace<S> };

export interface ExploreResult<S> {
  model: string;
  generated: number;
  distinct: number;
  depth: number;
  queueLeft: number;
  /** False when stopped early by a violation or by maxStates. */
  complete: boolean;
  elapsedMs: number;
  violation?: Violation<S>;
  /** Names of the invariants, action properties and liveness properties that were checked. */
  checked: string[];
  /** TLC's optimistic fingerprint-collision estimate: distinct * (generated - distinct) / 2^64. */
  collisionProbability: number;
  /** Bytes held by the explorer's own tables at the end (fingerprints, graph). */
  tableBytes: number;
}

function growTo<T extends Int32Array | Uint16Array>(arr: T, n: number): T {
  const out = new (arr.constructor as new (n: number) => T)(n);
  out.set(arr);
  return out;
}

export function explore<S>(model: Model<S>, opts: ExploreOptions = {}): ExploreResult<S> {
  const t0 = performance.now();
  const checkDeadlock = opts.checkDeadlock ?? model.checkDeadlock;
  const livenessProps = opts.liveness === false ? [] : (model.liveness ?? []);
  const actionProps = model.actionProperties ?? [];
  const progressEvery = opts.progressEveryMs ?? 3000;
  const maxStates = opts.maxStates ?? Number.POSITIVE_INFINITY;

  const seen = new SeenStates();
  const queue = new WordQueue();
  const hasher = new Hasher();
  const buf = new Int32Array(model.maxWords);
  const graph = livenessProps.length > 0 ? new LivenessGraph(model, livenessProps) : undefined;
  const traces = new TraceBuilder(model, seen);

  let generated = 0;
  let violation: Violation<S> | undefined;

  const checkInvariants = (s: S, idx: number): boolean => {
    for (const inv of model.invariants) {
      const v = inv.check(s);
      if (v !== true) {
        violation = {
          kind: 'invariant',
          name: inv.name,
          message: v,
          trace: traces.pathTo(idx),
        };
        return false;
      }
    }
    return true;
  };

  // Initial states: each is one "state generated".
  for (const s of model.initialStates()) {
    generated++;
    const len = model.encode(s, buf);
    hasher.hash(buf, len);
    const r = seen.findOrAdd(hasher.a, hasher.b, NO_PARENT, 0);
    if (r < 0) {
      if (!checkInvariants(s, -r - 1)) break;
      queue.push(buf, len);
    }
  }

  // Per-state successor buffers (reused). A state's successors are first collected (encoding and
  // fingerprint each), then looked up in the table together: see `settle`.
  let succIdx = new Int32Array(256);
  let succAct = new Uint16Array(256);
  let succA = new Int32Array(256);
  let succB = new Int32Array(256);
  let succOff = new Int32Array(257);
  let succWords = new Int32Array(model.maxWords * 16);
  const succNext: S[] = [];
  let nSucc = 0;
  let cur = 0;
  let curState: S | undefined;
  // Action properties: each step is checked with its own label; failures are confirmed after the
  // state's successors are all known (see ActionProperty).
  const single = model.actionNames.map((_, a) => [a]);
  const stepInfo: { labels: readonly number[] } = { labels: [] };
  const suspects: { k: number; next: S; prop: number }[] = [];
  const nProps = actionProps.length;

  let curA = 0;
  let curB = 0;
  const emit = (action: number, next: S): void => {
    generated++;
    if (nSucc === succIdx.length) {
      const n = nSucc * 2;
      succIdx = growTo(succIdx, n);
      succAct = growTo(succAct, n);
      succA = growTo(succA, n);
      succB = growTo(succB, n);
      succOff = growTo(succOff, n + 1);
    }
    const off = succOff[nSucc];
    if (off + model.maxWords > succWords.length) succWords = growTo(succWords, (off + model.maxWords) * 2);
    const len = model.encode(next, buf);
    for (let w = 0; w < len; w++) succWords[off + w] = buf[w];
    hasher.hash(buf, len);
    const a = hasher.a;
    const b = hasher.b;
    succA[nSucc] = a;
    succB[nSucc] = b;
    succOff[nSucc + 1] = off + len;
    succAct[nSucc] = action;
    succNext[nSucc] = next;
    // A quarter of all successors are stuttering steps (s' = s): they never need the table.
    const stutter = a === curA && b === curB;
    succIdx[nSucc] = stutter ? cur : -1;
    if (nProps > 0 && !stutter) {
      stepInfo.labels = single[action];
      for (let p = 0; p < nProps; p++)
        if (actionProps[p].check(curState as S, next, stepInfo as StepInfo) !== true)
          suspects.push({ k: nSucc, next, prop: p });
    }
    nSucc++;
  };

  /**
   * Looks up the state's successors in the table. Most lookups are cache misses at random places in
   * a large table; touching all their slots first in a tight loop lets the CPU overlap those misses
   * instead of taking them one at a time between successor computations.
   */
  const settle = (): boolean => {
    for (let k = 0; k < nSucc; k++) seen.peek(succA[k], succB[k]);
    for (let k = 0; k < nSucc; k++) {
      if (succIdx[k] === cur) continue;
      const r = seen.findOrAdd(succA[k], succB[k], cur, succAct[k]);
      if (r < 0) {
        const idx = -r - 1;
        succIdx[k] = idx;
        if (!checkInvariants(succNext[k], idx)) return false;
        queue.push(succWords, succOff[k + 1] - succOff[k], succOff[k]);
      } else succIdx[k] = r;
    }
    return true;
  };

  let depth = seen.size > 0 ? 1 : 0;
  let levelEnd = seen.size;
  let lastReport = t0;
  const progress = (): Progress => {
    const elapsedMs = performance.now() - t0;
    return {
      generated,
      distinct: seen.size,
      queue: queue.length,
      depth,
      elapsedMs,
      statesPerSec: seen.size / Math.max(elapsedMs / 1000, 1e-3),
    };
  };

  while (violation === undefined && queue.length > 0 && seen.size <= maxStates) {
    if (cur === levelEnd) {
      depth++;
      levelEnd = seen.size;
    }
    queue.shift();
    const s = model.decode(queue.headChunk, queue.headStart, queue.headLen);
    curState = s;
    curA = seen.fpA[cur];
    curB = seen.fpB[cur];
    nSucc = 0;
    try {
      model.successors(s, emit);
    } catch (e) {
      violation = {
        kind: 'error',
        name: 'Error',
        message: (e as Error)?.message ?? String(e),
        trace: traces.pathTo(cur),
      };
      break;
    }
    if (!settle()) break;
    if (nSucc === 0 && checkDeadlock) {
      violation = {
        kind: 'deadlock',
        name: 'Deadlock',
        message: 'Deadlock reached: no action is enabled.',
        trace: traces.pathTo(cur),
      };
      break;
    }
    for (const { k, next, prop } of suspects) {
      const idx = succIdx[k];
      const labels: number[] = [];
      for (let j = 0; j < nSucc; j++)
        if (succIdx[j] === idx && !labels.includes(succAct[j])) labels.push(succAct[j]);
      const v = actionProps[prop].check(s, next, { labels });
      if (v !== true) {
        violation = {
          kind: 'action-property',
          name: actionProps[prop].name,
          message: v,
          trace: traces.pathThenStep(cur, idx, succAct[k]),
        };
        break;
      }
    }
    suspects.length = 0;
    if (violation !== undefined) break;
    if (graph) graph.addState(cur, s, succIdx, succAct, nSucc);
    cur++;
    if ((cur & 1023) === 0 && opts.onProgress) {
      const now = performance.now();
      if (now - lastReport >= progressEvery) {
        lastReport = now;
        opts.onProgress(progress());
      }
    }
  }

  const complete = violation === undefined && queue.length === 0;
  const checked = [
    ...model.invariants.map((i) => i.name),
    ...actionProps.map((p) => p.name),
    ...(checkDeadlock ? ['Deadlock'] : []),
  ];
  if (complete && graph) {
    graph.finish(cur);
    for (let p = 0; p < livenessProps.length && violation === undefined; p++) {
      checked.push(livenessProps[p].name);
      const lasso = checkLiveness(graph, p);
      if (lasso) {
        violation = {
          kind: 'liveness',
          name: livenessProps[p].name,
          message: lasso.message,
          trace: traces.lasso(lasso.prefixEnd, lasso.cycle),
        };
      }
    }
  }
  const distinct = seen.size;
  return {
    model: model.name,
    generated,
    distinct,
    depth,
    queueLeft: queue.length,
    complete: complete && violation === undefined,
    elapsedMs: performance.now() - t0,
    violation,
    checked,
    collisionProbability: (distinct * Math.max(generated - distinct, 0)) / 2 ** 64,
    tableBytes: seen.bytes() + queue.bytes() + (graph?.bytes() ?? 0),
  };
}
