/** The deterministic drivers (model/settle.ts): the step bound is honoured and reported. */
import { expect, test } from 'vitest';
import { settle, wait } from '../../model/index.ts';
import { act, cluster, create, nodeId, run, service } from './helpers.ts';

const fresh = () =>
  run(cluster([{ hostname: 'a' }, { hostname: 'b' }]), {
    kind: 'service.create',
    spec: service('web', { replicas: 4 }),
  });

test('settle stops at its bound and says so; unbounded it settles', () => {
  const s = fresh();
  const full = settle(s);
  expect(full.hitBound).toBe(false);
  expect(full.steps.length).toBeGreaterThan(3);
  const cut = settle(s, { maxSteps: 3 });
  expect(cut.hitBound).toBe(true);
  expect(cut.steps).toHaveLength(3);
  expect(cut.state).toBe(cut.steps[2].state);
  expect(cut.steps).toEqual(full.steps.slice(0, 3));
});

test('wait stops where a settle inside it hits the bound: at the start, or at a deadline on the way', () => {
  const first = wait(fresh(), 60_000, { maxSteps: 3 });
  expect(first.hitBound).toBe(true);
  expect(first.steps).toHaveLength(3);
  expect(first.state.now).toBe(0);
  // Nothing to do until the crashed node's heartbeat deadline (15 s); then its tasks are replaced.
  let s = create(cluster([{ hostname: 'a' }, { hostname: 'b' }]), service('web', { replicas: 4 }));
  s = act(s, { actor: 'fault', kind: 'crash', node: nodeId(s, 'b') });
  const cut = wait(s, 60_000, { maxSteps: 3 });
  expect(cut.hitBound).toBe(true);
  expect(cut.state.now).toBe(s.now + 15_000);
  const full = wait(s, 60_000);
  expect(full.hitBound).toBe(false);
  expect(full.state.now).toBe(s.now + 60_000);
});

test('wait records each clock jump as the clock action taken, and none when no time passes', () => {
  let s = create(cluster([{ hostname: 'a' }, { hostname: 'b' }]), service('web', { replicas: 2 }));
  const still = wait(s, 0);
  expect(still.steps).toEqual([]);
  expect(still.state).toBe(s);
  s = act(s, { actor: 'fault', kind: 'crash', node: nodeId(s, 'b') });
  const r = wait(s, 60_000);
  expect(r.steps.filter((x) => x.action.actor === 'clock').map((x) => x.action)).toEqual([
    { actor: 'clock', kind: 'advance', to: s.now + 15_000 }, // b's heartbeat deadline: DOWN
    { actor: 'clock', kind: 'advance', to: s.now + 20_000 }, // its task's replacement: 5 s restart delay
    { actor: 'clock', kind: 'advance', to: s.now + 60_000 }, // the end of the wait
  ]);
});

test('wait passes on the clock’s refusal: time is whole milliseconds', () => {
  const s = create(cluster([{ hostname: 'a' }]), service('web', { replicas: 1 }));
  expect(() => wait(s, 0.5)).toThrow(`the clock cannot go back to ${s.now + 0.5}`);
});

test('an enabled step the relation refuses stops settle, saying why', () => {
  // A state the model cannot reach: a running task listed twice under one id, the copy still starting.
  // The agent lists "running" for the copy, but the step finds the first, already running, and refuses.
  const s = create(cluster([{ hostname: 'a' }]), service('web', { replicas: 1 }));
  const t = s.tasks[0];
  expect(t.observed).toBe('running');
  const twice = { ...s, tasks: [...s.tasks, { ...t, observed: 'starting' as const }] };
  expect(() => settle(twice)).toThrow(
    `settle: enabled action refused: the agent would not move task ${t.id} to running`,
  );
});
