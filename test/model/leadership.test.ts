/**
 * What a new leader does with a restart that was waiting out its delay:
 * moby/swarmkit:manager/orchestrator/taskinit/init.go (CheckTasks). The old leader's timer is gone;
 * the new one arms a fresh delay of what is left of the restart delay counted from the task's status
 * timestamp, and starts the task at once when nothing is left. And it rebuilds the restart history
 * the old leader kept in memory from the tasks in the store: per slot (or node, for a global service),
 * the tasks at the newest spec version after the first count as restarts (RecordRestartHistory).
 */
import { describe, expect, test } from 'vitest';
import { enabled, type State } from '../../model/index.ts';
import { rank } from '../../model/taskState.ts';
import { act, cluster, create, nodeId, run, service, serviceTasks, waited } from './helpers.ts';

/** Components only (no clock, no faults) until nothing is left to do. */
const quiesce = (s: State): State => {
  for (;;) {
    const a = enabled(s).find((x) => x.actor !== 'clock' && x.actor !== 'fault');
    if (a === undefined) return s;
    s = act(s, a);
  }
};

/** Three managers and a worker; web's container on the worker fails; its replacement waits `delayMs`. */
const failed = (delayMs: number) => {
  let s = cluster([
    { hostname: 'm1', availability: 'drain' },
    { hostname: 'm2', role: 'manager', availability: 'drain' },
    { hostname: 'm3', role: 'manager', availability: 'drain' },
    { hostname: 'w1' },
  ]);
  s = create(
    s,
    service('web', { replicas: 1 }, { restart: { condition: 'any', delayMs, maxAttempts: 0, windowMs: 0 } }),
  );
  const t = serviceTasks(s, 'web')[0];
  s = quiesce(act(s, { actor: 'fault', kind: 'exit', task: t.id, code: 1 }));
  const replacement = serviceTasks(s, 'web').find((x) => x.id !== t.id)!;
  expect([replacement.desired, replacement.delayed?.startAt]).toEqual([
    'ready',
    replacement.statusAt + delayMs,
  ]);
  return s;
};
/** The leader's machine crashes; the other two managers elect a new one. */
const failover = (s: State) => {
  const next = quiesce(act(s, { actor: 'fault', kind: 'crash', node: s.raft.leader }));
  expect(next.raft.leader).not.toBe('');
  expect(next.raft.leader).not.toBe(s.raft.leader);
  return next;
};
const replacementOf = (s: State) => serviceTasks(s, 'web').find((x) => x.desired !== 'shutdown')!;

describe('CheckTasks on a new leader', () => {
  test('the rest of the delay, counted from the task status timestamp, not a fresh full delay', () => {
    let s = failed(10_000);
    const readyAt = replacementOf(s).statusAt;
    s = act(s, { actor: 'clock', kind: 'advance', to: s.now + 4_000 });
    s = failover(s);
    const r = replacementOf(s);
    expect([r.desired, r.delayed?.startAt, r.delayed?.oldTaskId]).toEqual(['ready', readyAt + 10_000, '']);
  });

  test('after the failover the replacement starts when the rest of its delay is over: not before, not at once', () => {
    let s = failed(10_000);
    const r0 = replacementOf(s);
    s = act(s, { actor: 'clock', kind: 'advance', to: s.now + 4_000 });
    s = failover(s);
    // init.go (CheckTasks): restartTime = status timestamp + restart delay; DelayStart with no old task
    // (nil) waits that long and nothing else, then StartNow. So the start is due at statusAt + 10 s.
    const due = r0.statusAt + 10_000;
    expect(due).toBeGreaterThan(s.now);
    s = waited(s, due - 1 - s.now);
    expect(replacementOf(s)).toMatchObject({ id: r0.id, desired: 'ready' });
    expect(rank(replacementOf(s).observed)).toBeLessThan(rank('starting'));
    s = waited(s, 1);
    expect(replacementOf(s)).toMatchObject({ id: r0.id, desired: 'running', observed: 'running' });
  });

  test('a delay already over starts the task at once', () => {
    let s = failed(10_000);
    // The old leader is cut off from everyone just before its own timer fires: no one starts the task.
    s = act(s, { actor: 'fault', kind: 'partition', groups: [[nodeId(s, 'm1')]] });
    const r0 = replacementOf(s);
    s = act(s, { actor: 'clock', kind: 'advance', to: r0.statusAt + 10_000 });
    // In the election step itself (StartNow inside CheckTasks), not through a zero-length delay.
    s = act(s, enabled(s).find((x) => x.actor === 'raft')!);
    expect(s.raft.leader).not.toBe('');
    const r = replacementOf(s);
    expect(r.desired).toBe('running');
    expect(r.delayed).toBeNull();
  });
});

test('a READY task that failed during its delay: the old leader waits the delay out, a new one restarts it at once', () => {
  let s = failed(10_000);
  const r0 = replacementOf(s);
  expect(rank(r0.observed)).toBeLessThan(rank('starting'));
  s = quiesce(act(s, { actor: 'fault', kind: 'reject', task: r0.id }));
  const restartOf = (x: State) =>
    enabled(x).find((a) => a.actor === 'restart' && a.kind === 'restart-task' && a.task === r0.id);
  // The live leader's supervisor holds the delay: Restart waits for it (restart.go (waitRestart)).
  expect(replacementOf(s).id).toBe(r0.id);
  expect(restartOf(s)).toBeUndefined();
  s = failover(s);
  // The new leader: CheckTasks arms nothing for a failed task and its supervisor holds no delay,
  // so FixTask's restart has already replaced the task, before any clock step.
  const r = serviceTasks(s, 'web').find((x) => x.id === r0.id)!;
  expect([r.desired, r.delayed]).toEqual(['shutdown', null]);
  expect(replacementOf(s).id).not.toBe(r0.id);
});

describe('the restart history a new leader rebuilds from the store', () => {
  const restart = (maxAttempts: number, windowMs = 0) => ({
    condition: 'any' as const,
    delayMs: 0,
    maxAttempts,
    windowMs,
  });
  const swarm = () =>
    cluster([
      { hostname: 'm1', availability: 'drain' },
      { hostname: 'm2', role: 'manager', availability: 'drain' },
      { hostname: 'm3', role: 'manager', availability: 'drain' },
      { hostname: 'w1' },
    ]);
  /** The running task of `name` exits 1; the components react. */
  const fail = (s: State, name: string) => {
    const t = serviceTasks(s, name).find((x) => x.observed === 'running')!;
    return quiesce(act(s, { actor: 'fault', kind: 'exit', task: t.id, code: 1 }));
  };
  const svcId = (s: State, name: string) => s.services.find((x) => x.spec.name === name)!.id;

  test('per slot: the replacements count, the first task does not; MaxAttempts holds across the failover', () => {
    let s = create(swarm(), service('web', { replicas: 1 }, { restart: restart(2) }));
    s = fail(fail(s, 'web'), 'web');
    expect(serviceTasks(s, 'web')).toHaveLength(3);
    s = failover(s);
    expect(s.restartHistory).toEqual([
      { key: `${svcId(s, 'web')}/1`, specVersion: 0, totalRestarts: 2, restartedAt: [] },
    ]);
    // A third failure: two restarts already happened, so the slot stays down.
    s = fail(s, 'web');
    expect(
      serviceTasks(s, 'web').filter((t) => t.desired === 'running' || t.desired === 'ready'),
    ).toHaveLength(0);
  });

  test('with a window, the replacements’ creation times; a global task is keyed by its node', () => {
    let s = create(swarm(), {
      ...service('mon', {}, { restart: restart(3, 60_000) }),
      mode: 'global',
      replicas: undefined,
    });
    s = fail(s, 'mon');
    const replacement = serviceTasks(s, 'mon').find((t) => t.observed === 'running')!;
    s = failover(s);
    expect(s.restartHistory).toEqual([
      {
        key: `${svcId(s, 'mon')}/@${nodeId(s, 'w1')}`,
        specVersion: 0,
        totalRestarts: 1,
        restartedAt: [replacement.createdAt],
      },
    ]);
  });

  test('only tasks of the newest spec version count; a slot with one such task has no history', () => {
    let s = create(swarm(), service('web', { replicas: 1 }, { restart: restart(5) }));
    s = fail(s, 'web');
    s = quiesce(run(s, { kind: 'service.update', service: 'web', update: { force: true } }));
    s = failover(s);
    expect(s.restartHistory).toEqual([]);
    s = fail(s, 'web');
    s = failover(quiesce(act(s, { actor: 'fault', kind: 'restart', node: nodeId(s, 'm1') })));
    expect(s.restartHistory.map((h) => [h.specVersion, h.totalRestarts])).toEqual([[1, 1]]);
  });

  test('restarts before a spec update do not count against MaxAttempts after a failover', () => {
    // MaxAttempts 2: one restart at version 0, then update --force (version 1, a fresh task in the
    // slot). The live leader's count restarts at the new version (restart.go (shouldRestart) compares
    // spec versions), and CheckTasks only counts tasks of the newest version, of which there is one:
    // so after the failover one failure is still restarted, as it would be without the failover.
    let s = create(swarm(), service('web', { replicas: 1 }, { restart: restart(2) }));
    s = fail(s, 'web');
    s = quiesce(run(s, { kind: 'service.update', service: 'web', update: { force: true } }));
    const live = (x: State) =>
      serviceTasks(x, 'web').filter((t) => t.desired === 'running' || t.desired === 'ready');
    for (const x of [s, failover(s)]) {
      const after = fail(x, 'web');
      expect(live(after)).toHaveLength(1);
      expect(live(after)[0].specVersion).toBe(1);
    }
  });

  test('MaxAttempts 0 (unlimited) records nothing', () => {
    let s = create(swarm(), service('web', { replicas: 1 }, { restart: restart(0) }));
    s = failover(fail(s, 'web'));
    expect(s.restartHistory).toEqual([]);
  });
});
