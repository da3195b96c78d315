/**
 * The random-run driver and the standard cluster (model/random.ts), on their own contract: the
 * cluster the benchmark and the property suite start from, and a walk that takes exactly the steps
 * asked for (fewer only when nothing is enabled), draws components and environment by `envWeight`,
 * issues user commands only when given some, reports every step, and fails loudly when the relation
 * refuses an action it listed as enabled.
 */
import { describe, expect, test } from 'vitest';
import type { Action } from '../../model/actions.ts';
import { defaultServiceSpec } from '../../model/defaults.ts';
import { randomRun, rng, STANDARD_USER_COMMANDS, standardCluster } from '../../model/random.ts';
import { enabled, step } from '../../model/relation.ts';
import type { UserCommand } from '../../model/spec.ts';
import type { State } from '../../model/state.ts';
import { cluster, run, serviceTasks } from './helpers.ts';

/**
 * The standard cluster, built anew where a test needs it: test files compute nothing from the model at
 * collection time (README, Mutation testing), and Stryker's per-test coverage then ties each test to
 * the builder.
 */
const fresh = () => standardCluster();
const isEnv = (a: Action) => a.actor === 'fault' || a.actor === 'clock';

interface Step {
  prev: State;
  a: Action;
  next: State;
}
/** randomRun with every step it reports, and what it returned. */
function trace(
  s: State,
  steps: number,
  rand: () => number,
  envWeight?: number,
  commands?: readonly UserCommand[],
): { steps: Step[]; end: State } {
  const out: Step[] = [];
  const end = randomRun(s, steps, rand, (prev, a, next) => out.push({ prev, a, next }), envWeight, commands);
  return { steps: out, end };
}
const hostnames = (s: State) => s.nodes.map((n) => n.hostname);
/** A swarm of one manager that has left it: no node can act, fail or be waited for. */
function abandoned(): State {
  const s = cluster([{ hostname: 'm1' }]);
  return run(s, { kind: 'swarm.leave', node: 'm1', force: true });
}

describe('standardCluster', () => {
  test('m1..m3 are managers in the Raft group, m1 leading; w1 and w2 workers in zones a and b', () => {
    // Built in each test, not shared at module level: Stryker's per-test coverage then ties these
    // assertions to the builder's mutants (a module-level value is covered by no test).
    const base = standardCluster();
    expect(hostnames(base)).toEqual(['m1', 'm2', 'm3', 'w1', 'w2']);
    const byHost = new Map(base.nodes.map((n) => [n.hostname, n]));
    expect(base.nodes.map((n) => n.role)).toEqual(['manager', 'manager', 'manager', 'worker', 'worker']);
    expect(base.raft.leader).toBe(byHost.get('m1')?.id);
    expect([...base.raft.voters].sort()).toEqual(['m1', 'm2', 'm3'].map((h) => byHost.get(h)?.id).sort());
    expect(base.nodes.map((n) => n.labels)).toEqual([{}, {}, {}, { zone: 'a' }, { zone: 'b' }]);
    expect(base.nodes.every((n) => n.status === 'ready' && n.availability === 'active')).toBe(true);
  });
  test('web (3 replicas), api (2, workers only, at most 1 per node, 3 restarts) and mon (global)', () => {
    const base = standardCluster();
    const spec = (name: string) => base.services.find((x) => x.spec.name === name)?.spec;
    expect(spec('web')?.mode).toBe('replicated');
    expect(spec('web')?.replicas).toBe(3);
    expect(spec('api')?.replicas).toBe(2);
    expect(spec('api')?.task.placement).toEqual({
      constraints: ['node.role==worker'],
      preferences: [],
      maxReplicas: 1,
    });
    // Only the attempt limit differs from the default restart policy.
    expect(spec('api')?.task.restart).toEqual({
      ...defaultServiceSpec('api', 'api').task.restart,
      maxAttempts: 3,
    });
    expect(spec('mon')?.mode).toBe('global');
  });
  test('settled: every task running where its service allows it', () => {
    const base = standardCluster();
    const runningOn = (name: string) =>
      serviceTasks(base, name)
        .filter((t) => t.observed === 'running')
        .map((t) => base.nodes.find((n) => n.id === t.nodeId)?.hostname)
        .sort();
    expect(runningOn('web')).toHaveLength(3);
    expect(runningOn('api')).toEqual(['w1', 'w2']);
    expect(runningOn('mon')).toEqual(['m1', 'm2', 'm3', 'w1', 'w2']);
    expect(enabled(base).every(isEnv)).toBe(true);
  });
});

describe('randomRun', () => {
  test('takes exactly the steps asked for, each a step of the relation from where the last one ended', () => {
    const base = fresh();
    const { steps, end } = trace(base, 60, rng(7));
    expect(steps).toHaveLength(60);
    let s = base;
    for (const { prev, a, next } of steps) {
      expect(prev).toBe(s);
      expect(enabled(prev)).toContainEqual(a);
      const r = step(prev, a);
      expect(r.ok && r.state).toEqual(next);
      s = next;
    }
    expect(end).toBe(s);
  });
  test('stops when nothing is enabled', () => {
    const gone = abandoned();
    expect(enabled(gone)).toEqual([]);
    const { steps, end } = trace(gone, 10, rng(1));
    expect(steps).toEqual([]);
    expect(end).toBe(gone);
  });
  test('the same seed gives the same run; another seed another', () => {
    const base = fresh();
    const actions = (seed: number) => trace(base, 80, rng(seed)).steps.map((x) => x.a);
    expect(actions(3)).toEqual(actions(3));
    expect(actions(3)).not.toEqual(actions(4));
  });
  test('envWeight 0: faults and the clock only when no component can act', () => {
    const base = fresh();
    // rand() may return 0, the bottom of [0, 1): even then a weight of 0 never picks the environment.
    for (const rand of [rng(11), () => 0]) {
      const { steps } = trace(base, 80, rand, 0);
      expect(steps).toHaveLength(80);
      for (const { prev, a } of steps) if (isEnv(a)) expect(enabled(prev).every(isEnv)).toBe(true);
      expect(steps.some((x) => isEnv(x.a))).toBe(true);
    }
  });
  test('envWeight 1: the environment whenever it can act', () => {
    const base = fresh();
    const { steps } = trace(base, 40, rng(12), 1);
    for (const { prev, a } of steps) expect(isEnv(a) || !enabled(prev).some(isEnv)).toBe(true);
  });
});

describe('randomRun and user commands', () => {
  const ofUser = (steps: Step[]) => steps.filter((x) => x.a.actor === 'user');
  test('none are issued when none are given, whatever rand() returns', () => {
    const base = fresh();
    for (const rand of [rng(21), () => 0]) {
      expect(ofUser(trace(base, 300, rand).steps)).toEqual([]);
      expect(ofUser(trace(base, 300, rand, 0.15, []).steps)).toEqual([]);
    }
  });
  test('leaving the list out is the same as an empty list: the same seed gives the same run', () => {
    const base = fresh();
    for (const seed of [31, 32, 33])
      expect(trace(base, 100, rng(seed)).steps.map((x) => x.a)).toEqual(
        trace(base, 100, rng(seed), 0.15, []).steps.map((x) => x.a),
      );
  });
  test('when given, they are issued now and then, as user command actions from the list', () => {
    const base = fresh();
    const { steps } = trace(base, 2000, rng(41), 0.15, STANDARD_USER_COMMANDS);
    const user = ofUser(steps);
    // About 2 % of the steps (the accepted ones); far from none and far from all.
    expect(user.length).toBeGreaterThan(10);
    expect(user.length).toBeLessThan(100);
    for (const { a } of user) {
      expect(a.kind).toBe('command');
      expect(STANDARD_USER_COMMANDS).toContainEqual(a.actor === 'user' && a.command);
    }
  });
  test('a refused command is skipped, and the step is taken by the cluster instead', () => {
    const base = fresh();
    // `swarm.leave` of a node that does not exist is refused every time.
    const bogus: UserCommand = { kind: 'swarm.leave', node: 'nowhere', force: false };
    const { steps } = trace(base, 50, () => 0, 0.15, [bogus]);
    expect(steps).toHaveLength(50);
    expect(ofUser(steps)).toEqual([]);
  });
  test('onStep is optional, on user steps as on the others', () => {
    const base = fresh();
    const withCallback = trace(base, 300, rng(51), 0.15, STANDARD_USER_COMMANDS);
    expect(ofUser(withCallback.steps).length).toBeGreaterThan(0);
    const end = randomRun(base, 300, rng(51), undefined, 0.15, STANDARD_USER_COMMANDS);
    expect(end).toEqual(withCallback.end);
  });
  test('a run can end early: the last manager leaves and nothing is enabled any more', () => {
    const s = cluster([{ hostname: 'm1' }]);
    const leave: UserCommand = { kind: 'swarm.leave', node: 'm1', force: true };
    const lengths: number[] = [];
    for (const seed of [6100, 610_000, 2 ** 31 - 61]) {
      const { steps, end } = trace(s, 1000, rng(seed), 0.15, [leave]);
      expect(steps[steps.length - 1].a).toEqual({ actor: 'user', kind: 'command', command: leave });
      expect(enabled(end)).toEqual([]);
      lengths.push(steps.length);
    }
    // Not vacuous: the cluster did act before the leave, and no run went the full length.
    expect(Math.max(...lengths)).toBeGreaterThan(1);
    expect(Math.max(...lengths)).toBeLessThan(1000);
  });
});

test('an enabled action the relation refuses stops the run, naming the action', () => {
  const base = fresh();
  // A state the model cannot reach: w1 listed twice under one id, the copy crashed. The faults list
  // "restart" for the copy, but the step finds the first w1, which is up, and refuses it.
  const w1 = base.nodes.find((n) => n.hostname === 'w1')!;
  const twice: State = { ...base, nodes: [...base.nodes, { ...w1, up: false }] };
  const restart = { actor: 'fault', kind: 'restart', node: w1.id };
  expect(enabled(twice)).toContainEqual(restart);
  // One-step runs drawing from one stream, until some draw picks that restart.
  const rand = rng(1);
  const errors: string[] = [];
  for (let i = 0; i < 100; i++) {
    try {
      randomRun(twice, 1, rand);
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  expect(errors.length).toBeGreaterThan(0);
  for (const m of errors)
    expect(m).toBe(`enabled action refused: ${JSON.stringify(restart)}: node ${w1.id} is not crashed`);
});
