/**
 * Liveness under weak fairness, on the explored state graph.
 *
 * Property shape (see LivenessProperty): `[]<><<F1>>_vars \/ ... \/ <>[]P`, under the model's
 * `WF_vars(A)` conditions. Its negation asks for a fair behaviour that eventually takes no Fi step
 * and visits a not-P state infinitely often. On a finite graph such a behaviour ends in a cycle, so:
 *
 * 1. Drop every edge `s -> s'` that is an Fi step (any action of Fi produces s' from s). Stuttering
 *    edges are not stored: TLA+ always allows a behaviour to stutter, and stuttering is never an
 *    `<<A>>_vars` step.
 * 2. Find the strongly connected components (iterative Tarjan, no recursion).
 * 3. A component C contains a fair counterexample cycle iff it has a not-P state and, for every
 *    fairness condition WF(A): A is disabled somewhere in C, or C has an internal A edge. (With weak
 *    fairness only, a cycle through the whole component is fair whenever any cycle in it is, so no
 *    recursive decomposition is needed; that would be for strong fairness.) A single state with no
 *    internal edge stands for stuttering forever there, fair iff no fair action is enabled.
 *
 * "A is enabled at s" means `ENABLED <<A>>_vars`: some A step leads to a state other than s.
 *
 * The reported lasso has the shortest BFS prefix to the component's first-found state, then a cycle
 * through a not-P state and through whatever each fairness condition needs, back to its start.
 */
import { growTypedArray as grow } from './fingerprints.ts';
import type { LivenessProperty, Model } from './model.ts';

const FORBID_SHIFT = 16;
const MAX_FAIRNESS = 16;
const MAX_PROPERTIES = 8;

export class LivenessGraph {
  readonly fairNames: string[];
  readonly fairMaskAll: number;
  readonly props: LivenessProperty<any>[];
  /** Per action: bit k = action is part of fairness condition k; bit 16+p = forbidden for property p. */
  private readonly classOf: Int32Array;
  edgeStart = new Int32Array(1 << 16);
  to = new Int32Array(1 << 18);
  cls = new Int32Array(1 << 18);
  nEdges = 0;
  /** Per state: the fairness conditions enabled there. */
  enabled = new Int32Array(1 << 16);
  /** Per state: bit p = property p's P holds there. */
  goal = new Uint8Array(1 << 16);
  nStates = 0;

  constructor(model: Model<any>, props: LivenessProperty<any>[]) {
    const fair = model.fairness ?? [];
    if (fair.length > MAX_FAIRNESS) throw new Error(`at most ${MAX_FAIRNESS} fairness conditions`);
    if (props.length > MAX_PROPERTIES) throw new Error(`at most ${MAX_PROPERTIES} liveness properties`);
    this.fairNames = fair.map((f) => f.name);
    this.fairMaskAll = (1 << fair.length) - 1;
    this.props = props;
    this.classOf = new Int32Array(model.actionNames.length);
    fair.forEach((f, k) => {
      for (const a of f.actions) this.classOf[a] |= 1 << k;
    });
    props.forEach((p, i) => {
      for (const a of p.finitelyOften) this.classOf[a] |= 1 << (FORBID_SHIFT + i);
    });
  }

  addState(cur: number, s: unknown, succIdx: Int32Array, succAct: Uint16Array, n: number): void {
    if (cur + 2 > this.edgeStart.length) {
      this.edgeStart = grow(this.edgeStart, cur + 2);
      this.enabled = grow(this.enabled, cur + 2);
      this.goal = grow(this.goal, cur + 2);
    }
    const start = this.nEdges;
    this.edgeStart[cur] = start;
    let en = 0;
    for (let k = 0; k < n; k++) {
      const idx = succIdx[k];
      if (idx === cur) continue; // stuttering
      const c = this.classOf[succAct[k]];
      en |= c;
      let e = start;
      while (e < this.nEdges && this.to[e] !== idx) e++;
      if (e < this.nEdges) {
        this.cls[e] |= c;
        continue;
      }
      if (this.nEdges === this.to.length) {
        this.to = grow(this.to, this.nEdges + 1);
        this.cls = grow(this.cls, this.nEdges + 1);
      }
      this.to[this.nEdges] = idx;
      this.cls[this.nEdges] = c;
      this.nEdges++;
    }
    this.enabled[cur] = en & this.fairMaskAll;
    let g = 0;
    for (let p = 0; p < this.props.length; p++) if (this.props[p].eventuallyAlways.holds(s)) g |= 1 << p;
    this.goal[cur] = g;
    this.nStates = cur + 1;
  }

  finish(n: number): void {
    this.nStates = n;
    this.edgeStart = grow(this.edgeStart, n + 1);
    this.edgeStart[n] = this.nEdges;
  }

  bytes(): number {
    return (
      this.edgeStart.byteLength +
      this.to.byteLength +
      this.cls.byteLength +
      this.enabled.byteLength +
      this.goal.byteLength
    );
  }
}

export interface Lasso {
  message: string;
  /** Index of the state where the cycle starts (reached by the BFS-shortest prefix). */
  prefixEnd: number;
  /** States of the cycle after prefixEnd, ending with prefixEnd again; empty = stuttering forever. */
  cycle: number[];
}

/** Returns a counterexample lasso for property `p`, or undefined if the property holds. */
export function checkLiveness(g: LivenessGraph, p: number): Lasso | undefined {
  const n = g.nStates;
  const forbid = 1 << (FORBID_SHIFT + p);
  const goalBit = 1 << p;
  const { edgeStart, to, cls } = g;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const comp = new Int32Array(n).fill(-1);
  const stack = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const callNode = new Int32Array(n);
  const callEdge = new Int32Array(n);
  let sp = 0;
  let counter = 0;
  let nComp = 0;
  let best: { members: number[]; minIdx: number; comp: number } | undefined;

  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    let csp = 0;
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    callNode[csp] = root;
    callEdge[csp] = edgeStart[root];
    csp++;
    while (csp > 0) {
      const v = callNode[csp - 1];
      const e = callEdge[csp - 1];
      if (e < edgeStart[v + 1]) {
        callEdge[csp - 1] = e + 1;
        if ((cls[e] & forbid) !== 0) continue;
        const w = to[e];
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          callNode[csp] = w;
          callEdge[csp] = edgeStart[w];
          csp++;
        } else if (onStack[w] && index[w] < low[v]) {
          low[v] = index[w];
        }
        continue;
      }
      csp--;
      if (csp > 0) {
        const u = callNode[csp - 1];
        if (low[v] < low[u]) low[u] = low[v];
      }
      if (low[v] !== index[v]) continue;
      // v is the root of a component: its members are stack[top, sp) (no array is built unless it
      // turns out to be a counterexample).
      const c = nComp++;
      let top = sp;
      do {
        top--;
        onStack[stack[top]] = 0;
        comp[stack[top]] = c;
      } while (stack[top] !== v);
      let hasBad = false;
      let allEnabled = g.fairMaskAll;
      let internal = 0;
      let minIdx = v;
      for (let k = top; k < sp; k++) {
        const m = stack[k];
        if ((g.goal[m] & goalBit) === 0) hasBad = true;
        allEnabled &= g.enabled[m];
        if (m < minIdx) minIdx = m;
        for (let e2 = edgeStart[m]; e2 < edgeStart[m + 1]; e2++) {
          if ((cls[e2] & forbid) === 0 && comp[to[e2]] === c) internal |= cls[e2];
        }
      }
      const fair = (allEnabled & ~internal & g.fairMaskAll) === 0;
      if (hasBad && fair && (best === undefined || minIdx < best.minIdx))
        best = { members: Array.from(stack.subarray(top, sp)), minIdx, comp: c };
      sp = top;
    }
  }
  if (!best) return undefined;
  return buildLasso(g, p, best.members, best.minIdx, comp, best.comp);
}

function buildLasso(
  g: LivenessGraph,
  p: number,
  members: number[],
  entry: number,
  comp: Int32Array,
  c: number,
): Lasso {
  const forbid = 1 << (FORBID_SHIFT + p);
  const goalBit = 1 << p;
  const inComp = (e: number) => (g.cls[e] & forbid) === 0 && comp[g.to[e]] === c;
  const union = members.reduce((acc, m) => acc | g.enabled[m], 0);
  const allEnabled = members.reduce((acc, m) => acc & g.enabled[m], g.fairMaskAll);

  // What the cycle must pass through: a not-P state; for each fairness condition enabled somewhere
  // in the component, either an edge of it (if enabled everywhere) or a state where it is disabled.
  type Target = { kind: 'state'; test: (s: number) => boolean } | { kind: 'edge'; bit: number };
  const targets: Target[] = [{ kind: 'state', test: (s) => (g.goal[s] & goalBit) === 0 }];
  for (let k = 0; k < g.fairNames.length; k++) {
    const bit = 1 << k;
    if ((union & bit) === 0) continue;
    if ((allEnabled & bit) !== 0) targets.push({ kind: 'edge', bit });
    else targets.push({ kind: 'state', test: (s) => (g.enabled[s] & bit) === 0 });
  }

  // BFS inside the component from `from` to the nearest state satisfying `goal` (or the source of an
  // edge with `bit`, then across it). Returns the states visited after `from`.
  const route = (from: number, goal: Target): { path: number[]; end: number } => {
    const prev = new Map<number, number>([[from, -1]]);
    const q = [from];
    for (let h = 0; h < q.length; h++) {
      const v = q[h];
      if (goal.kind === 'state' && goal.test(v)) return { path: unwind(prev, v), end: v };
      for (let e = g.edgeStart[v]; e < g.edgeStart[v + 1]; e++) {
        if (!inComp(e)) continue;
        const w = g.to[e];
        if (goal.kind === 'edge' && (g.cls[e] & goal.bit) !== 0) {
          const path = unwind(prev, v);
          path.push(w);
          return { path, end: w };
        }
        if (!prev.has(w)) {
          prev.set(w, v);
          q.push(w);
        }
      }
    }
    throw new Error('liveness: component is not strongly connected (internal error)');
  };

  const cycle: number[] = [];
  let at = entry;
  for (const t of targets) {
    const r = route(at, t);
    cycle.push(...r.path);
    at = r.end;
  }
  if (at !== entry) cycle.push(...route(at, { kind: 'state', test: (s) => s === entry }).path);

  const needs = targets
    .slice(1)
    .map((t) =>
      t.kind === 'edge'
        ? `takes ${g.fairNames[Math.log2(t.bit)]}`
        : 'passes a state where some fair action is disabled',
    );
  const prop = g.props[p];
  const message =
    `${prop.name} is violated: a fair behaviour takes none of its finitely-often actions forever ` +
    `and never stays in ${prop.eventuallyAlways.name}` +
    (cycle.length === 0
      ? ' (it stutters in a state where no fair action is enabled).'
      : ` (its cycle ${needs.length ? needs.join(', ') : 'needs no fair action'}).`);
  return { message, prefixEnd: entry, cycle };
}

function unwind(prev: Map<number, number>, v: number): number[] {
  const path: number[] = [];
  for (let x = v; prev.get(x) !== -1; x = prev.get(x)!) path.push(x);
  return path.reverse();
}
