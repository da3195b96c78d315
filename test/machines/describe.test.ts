/**
 * machines/describe.ts on small hand-made machines: what it lists, and the machine shapes it refuses
 * (a transition without an actor, an inline guard function, several targets), since diagrams, the
 * ownership checks and the reachability tests all trust its reading.
 */
import { describe, expect, test } from 'vitest';
import { createMachine } from 'xstate';
import { atomicSteps, describeMachine, enterAtomic } from '../../machines/describe.ts';

const meta = (actor: string) => ({ actor, source: `test (${actor})` });

/** idle → work.{prep → run} → done (final); a root-level ABORT from any state. */
const demo = createMachine({
  id: 'demo',
  initial: 'idle',
  on: { ABORT: { target: '.done', meta: meta('user') } },
  states: {
    idle: {
      on: {
        GO: { target: 'work', guard: 'ready', meta: meta('agent') },
        POKE: { guard: { type: 'atLeast', params: { n: 2 } }, meta: meta('agent') },
        PING: { guard: { type: 'plain' }, meta: meta('agent') },
      },
    },
    work: {
      initial: 'prep',
      states: { prep: { on: { NEXT: { target: 'run', meta: meta('agent') } } }, run: {} },
    },
    done: { type: 'final' },
  },
});

describe('describeMachine', () => {
  // Not shared between tests: per-test coverage would credit the reading to the first test only.
  const d = () => describeMachine(demo);

  test('states in document order from the root, with parents and compound initials', () => {
    expect(d().states.map((s) => [s.path, s.type, s.parent ?? null, s.initial ?? null])).toEqual([
      ['', 'compound', null, 'idle'],
      ['idle', 'atomic', '', null],
      ['work', 'compound', '', 'prep'],
      ['work.prep', 'atomic', 'work', null],
      ['work.run', 'atomic', 'work', null],
      ['done', 'final', '', null],
    ]);
    expect(d().atomic.map((s) => s.path)).toEqual(['idle', 'work.prep', 'work.run', 'done']);
  });

  test('transitions with their guard as plain data, target and actor', () => {
    expect(d().transitions).toStrictEqual([
      { source: '', event: 'ABORT', guard: undefined, target: 'done', actor: 'user', code: 'test (user)' },
      {
        source: 'idle',
        event: 'GO',
        guard: { type: 'ready' },
        target: 'work',
        actor: 'agent',
        code: 'test (agent)',
      },
      {
        source: 'idle',
        event: 'POKE',
        guard: { type: 'atLeast', params: { n: 2 } },
        target: undefined,
        actor: 'agent',
        code: 'test (agent)',
      },
      // No params key at all when the guard has none (the diagrams print the guard object).
      {
        source: 'idle',
        event: 'PING',
        guard: { type: 'plain' },
        target: undefined,
        actor: 'agent',
        code: 'test (agent)',
      },
      {
        source: 'work.prep',
        event: 'NEXT',
        guard: undefined,
        target: 'work.run',
        actor: 'agent',
        code: 'test (agent)',
      },
    ]);
  });

  test('a transition without meta.actor is refused, naming it', () => {
    const m = (on: object, root = false) =>
      createMachine({
        id: 'bad',
        initial: 'a',
        ...(root ? { on } : {}),
        states: { a: root ? {} : { on }, b: {} },
      });
    expect(() => describeMachine(m({ GO: { target: 'b' } }))).toThrow(
      'bad: transition a GO has no meta.actor',
    );
    expect(() => describeMachine(m({ GO: { target: '.b', meta: { source: 'x' } } }, true))).toThrow(
      'bad: transition (root) GO has no meta.actor',
    );
  });

  test('a stray initial on a parallel or atomic state (xstate keeps it in the config) is not read', () => {
    const m = createMachine({
      id: 'stray',
      type: 'parallel',
      initial: 'x',
      states: { x: { initial: 'nowhere' }, y: { initial: 'y1', states: { y1: {} } } },
    } as Parameters<typeof createMachine>[0]);
    expect(describeMachine(m).states.map((s) => [s.path, s.type, s.initial ?? null])).toEqual([
      ['', 'parallel', null],
      ['x', 'atomic', null],
      ['y', 'compound', 'y1'],
      ['y.y1', 'atomic', null],
    ]);
  });

  test('an inline guard function is refused (the config must load in a visualiser)', () => {
    const m = createMachine({
      id: 'fn',
      initial: 'a',
      states: { a: { on: { GO: { target: 'b', guard: () => true, meta: meta('agent') } } }, b: {} },
    });
    expect(() => describeMachine(m)).toThrow(/^guard is not serialisable \(a function\?\): /);
  });

  test('so is a function in object form, a function that carries a type, and a null guard', () => {
    // xstate v5 evaluates `{ type: fn }` by calling fn, and a function guard before reading any
    // `type` on it: neither is a named guard a visualiser could load.
    const named = Object.assign(() => true, { type: 'looksNamed' });
    for (const guard of [{ type: () => true }, named, null]) {
      const m = createMachine({
        id: 'fn',
        initial: 'a',
        states: { a: { on: { GO: { target: 'b', guard: guard as any, meta: meta('agent') } } }, b: {} },
      });
      expect(() => describeMachine(m)).toThrow(/^guard is not serialisable \(a function\?\): /);
    }
  });

  test('a multi-target transition is refused', () => {
    const m = createMachine({
      id: 'multi',
      type: 'parallel',
      on: { GO: { target: ['.x.x2', '.y.y2'], meta: meta('agent') } },
      states: {
        x: { initial: 'x1', states: { x1: {}, x2: {} } },
        y: { initial: 'y1', states: { y1: {}, y2: {} } },
      },
    });
    expect(() => describeMachine(m)).toThrow('multi: multi-target transitions are not drawn');
  });
});

describe('enterAtomic and atomicSteps', () => {
  const d = () => describeMachine(demo);

  test('entering a compound state follows initial children down; the root enters its initial', () => {
    expect(enterAtomic(d(), 'work').path).toBe('work.prep');
    expect(enterAtomic(d(), '').path).toBe('idle');
    expect(enterAtomic(d(), 'done').type).toBe('final');
    expect(() => enterAtomic(d(), 'nowhere')).toThrow('demo: cannot enter nowhere');
  });

  test('a parallel state cannot be entered as one atomic state', () => {
    const p = describeMachine(createMachine({ id: 'par', type: 'parallel', states: { x: {}, y: {} } }));
    expect(() => enterAtomic(p, '')).toThrow('par: cannot enter ');
  });

  test('a transition on a compound state is spelled out per atomic source; nothing leaves a final state', () => {
    expect(atomicSteps(d()).map((s) => `${s.from} ${s.event} ${s.to}`)).toEqual([
      'idle ABORT done',
      'prep ABORT done',
      'run ABORT done',
      'idle GO prep',
      'idle POKE idle',
      'idle PING idle',
      'prep NEXT run',
    ]);
  });
});
