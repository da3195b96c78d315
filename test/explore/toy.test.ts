import { describe, expect, test } from 'vitest';
import { explore } from '../../explore/explorer.ts';
import type { Model } from '../../explore/model.ts';
import { formatTrace } from '../../explore/trace.ts';

/**
 * Two counters x, y in 0..2. IncX (x < 2), IncY (y < 2), and Reset from (2,2) back to (0,0).
 * By hand: 9 distinct states; successors: IncX from the 6 states with x < 2, IncY from the 6 with
 * y < 2, Reset from 1 state = 13, plus the initial state = 14 generated. BFS levels are x + y = 0..4,
 * so depth 5 (TLC counts the initial state as depth 1).
 */
type XY = { x: number; y: number };
function counters(
  opts: { reset?: boolean; doubleIncX?: boolean; invariant?: (s: XY) => true | string } = {},
): Model<XY> {
  return {
    name: 'counters',
    actionNames: ['IncX', 'IncY', 'Reset'],
    initialStates: () => [{ x: 0, y: 0 }],
    successors(s, emit) {
      if (s.x < 2) {
        emit(0, { x: s.x + 1, y: s.y });
        if (opts.doubleIncX) emit(0, { x: s.x + 1, y: s.y });
      }
      if (s.y < 2) emit(1, { x: s.x, y: s.y + 1 });
      if (opts.reset !== false && s.x === 2 && s.y === 2) emit(2, { x: 0, y: 0 });
    },
    maxWords: 2,
    encode(s, out) {
      out[0] = s.x;
      out[1] = s.y;
      return 2;
    },
    decode: (w, start) => ({ x: w[start], y: w[start + 1] }),
    invariants: opts.invariant ? [{ name: 'Small', check: opts.invariant }] : [],
    checkDeadlock: true,
    formatState: (s) => [`/\\ x = ${s.x}`, `/\\ y = ${s.y}`],
  };
}

describe('explorer counts like TLC', () => {
  test('a 3x3 grid: 9 distinct, 14 generated, depth 5', () => {
    const r = explore(counters());
    expect(r.violation).toBeUndefined();
    expect(r.complete).toBe(true);
    expect([r.distinct, r.generated, r.depth]).toEqual([9, 14, 5]);
  });

  test('every emitted successor counts as generated, duplicates included', () => {
    // IncX emitted twice from the 6 states with x < 2: 6 more generated, same distinct states.
    const r = explore(counters({ doubleIncX: true }));
    expect([r.distinct, r.generated, r.depth]).toEqual([9, 20, 5]);
  });

  test('an invariant violation comes with a shortest trace', () => {
    const r = explore(counters({ invariant: (s) => (s.x + s.y < 3 ? true : `x + y = ${s.x + s.y}`) }));
    expect(r.violation?.kind).toBe('invariant');
    expect(r.violation?.message).toBe('x + y = 3');
    const steps = r.violation!.trace.steps;
    expect(steps).toHaveLength(4); // (0,0) and three increments: no shorter path reaches x + y = 3
    expect(steps[0].action).toBeNull();
    expect(steps.slice(1).every((s) => s.action === 'IncX' || s.action === 'IncY')).toBe(true);
    expect(steps[3].state.x + steps[3].state.y).toBe(3);
  });

  test('deadlock: without Reset, (2,2) has no successor', () => {
    const m = counters({ reset: false });
    const r = explore(m);
    expect(r.violation?.kind).toBe('deadlock');
    expect(r.violation!.trace.steps.at(-1)!.state).toEqual({ x: 2, y: 2 });
    expect(r.violation!.trace.steps).toHaveLength(5);
    expect(formatTrace(m, r.violation!.trace)).toContain('State 5: <Inc');
    // And with deadlock checking off the search completes.
    expect(explore(m, { checkDeadlock: false }).distinct).toBe(9);
  });
});

/**
 * Liveness under weak fairness. States a=0, b=1, c=2. Work: a -> b, Back: b -> a, Finish: b -> c
 * (and, with `finishFromA`, a -> c too), Crash: c -> a. Property: Crash finitely often \/ <>[](s = c).
 */
function abc(fairFinish: boolean, finishFromA: boolean): Model<number> {
  return {
    name: 'abc',
    actionNames: ['Work', 'Back', 'Finish', 'Crash'],
    initialStates: () => [0],
    successors(s, emit) {
      if (s === 0) emit(0, 1);
      if (s === 1) emit(1, 0);
      if (s === 1 || (finishFromA && s === 0)) emit(2, 2);
      if (s === 2) emit(3, 0);
    },
    maxWords: 1,
    encode(s, out) {
      out[0] = s;
      return 1;
    },
    decode: (w, start) => w[start],
    invariants: [],
    fairness: [
      { name: 'WF(Work \\/ Back)', actions: [0, 1] },
      ...(fairFinish ? [{ name: 'WF(Finish)', actions: [2] }] : []),
    ],
    liveness: [
      { name: 'EventuallyC', finitelyOften: [3], eventuallyAlways: { name: 'AtC', holds: (s) => s === 2 } },
    ],
    checkDeadlock: true,
    formatState: (s) => [`/\\ s = ${'abc'[s]}`],
  };
}

describe('liveness under weak fairness', () => {
  test('without fairness on Finish, the a <-> b cycle is a counterexample (a lasso)', () => {
    const r = explore(abc(false, false));
    expect(r.violation?.kind).toBe('liveness');
    const t = r.violation!.trace;
    expect(t.loop?.kind).toBe('back-to');
    expect(t.steps.map((s) => s.state)).toEqual([0, 1]);
  });

  test('weak fairness on Finish does not help when Finish is enabled only at b', () => {
    // WF only forces actions that stay enabled; Finish is disabled at a, so a <-> b stays fair.
    expect(explore(abc(true, false)).violation?.kind).toBe('liveness');
  });

  test('weak fairness on Finish suffices once Finish is enabled in every state of the cycle', () => {
    const r = explore(abc(true, true));
    expect(r.violation).toBeUndefined();
    expect(r.checked).toContain('EventuallyC');
  });

  test('with no fairness at all, stuttering in a is a counterexample', () => {
    const m = abc(false, false);
    m.fairness = [];
    const r = explore(m);
    expect(r.violation?.kind).toBe('liveness');
    expect(r.violation!.trace.loop).toEqual({ kind: 'stuttering' });
    expect(r.violation!.trace.steps).toHaveLength(1);
  });
});

describe('action properties see every action that produces a step', () => {
  // IncX and its twin IncX2 produce the same successors. The property (a CASE over actions) accepts
  // a step that IncX produces, and refuses any x-step produced by IncX2 alone.
  function twins(withIncX: boolean): Model<XY> {
    const m = counters();
    return {
      ...m,
      actionNames: ['IncX', 'IncY', 'Reset', 'IncX2'],
      successors(s, emit) {
        if (withIncX && s.x < 2) emit(0, { x: s.x + 1, y: s.y });
        if (s.y < 2) emit(1, { x: s.x, y: s.y + 1 });
        if (s.x === 2 && s.y === 2) emit(2, { x: 0, y: 0 });
        if (s.x < 2) emit(3, { x: s.x + 1, y: s.y });
      },
      actionProperties: [
        {
          name: 'XStepsAreIncX',
          check: (s, next, step) =>
            next.x === s.x + 1 && !step.labels.includes(0) ? `x-step by ${step.labels.join(',')}` : true,
        },
      ],
    };
  }

  test('a step produced by IncX and IncX2 satisfies the CASE (IncX is among its actions)', () => {
    const r = explore(twins(true));
    expect(r.violation).toBeUndefined();
    expect([r.distinct, r.generated]).toEqual([9, 20]);
  });

  test('without IncX the same steps violate it, with a shortest trace', () => {
    const r = explore(twins(false));
    expect(r.violation?.kind).toBe('action-property');
    expect(r.violation?.message).toBe('x-step by 3');
    expect(r.violation!.trace.steps.map((s) => s.action)).toEqual([null, 'IncX2']);
  });
});

describe('step oracle (for refinement checks)', () => {
  test('names the actions that take s to next, and recognises stutters', async () => {
    const { StepOracle } = await import('../../explore/steps.ts');
    const m = counters();
    const o = new StepOracle(m);
    expect(o.stepLabels({ x: 0, y: 0 }, { x: 1, y: 0 })).toEqual([0]);
    expect(o.stepLabels({ x: 2, y: 2 }, { x: 0, y: 0 })).toEqual([2]);
    expect(o.stepLabels({ x: 0, y: 0 }, { x: 2, y: 0 })).toEqual([]);
    expect(o.same({ x: 1, y: 1 }, { x: 1, y: 1 })).toBe(true);
    expect(o.same({ x: 1, y: 1 }, { x: 1, y: 2 })).toBe(false);
  });
});
