/**
 * The task reaper: moby/swarmkit:manager/orchestrator/taskreaper/task_reaper.go (Run, tick,
 * taskInTerminalState, taskWillNeverRun).
 *
 * Tasks desired REMOVE that never reached a node or have stopped (observed ≥ COMPLETED) are deleted at
 * once. Otherwise a task creation marks its slot (replicated) or (service, node) (global) dirty; the
 * next tick looks at that instance only, and if it holds more than the retention limit it deletes the
 * oldest tasks that are terminal (observed > RUNNING) or will never run (observed < ASSIGNED and
 * desired > RUNNING) until the limit is met. The instance stays dirty only while it holds more than one
 * task counted as running.
 *
 * The limit is the cluster's TaskHistoryRetentionLimit (`docker swarm update --task-history-limit`,
 * default 5; negative = never prune). The model has no command for it, so `retain` sets the cluster
 * field directly.
 */
import { describe, expect, test } from 'vitest';
import type { RestartPolicy } from '../../model/spec.ts';
import type { State } from '../../model/state.ts';
import { act, cluster, create, nodeId, run, service, serviceTasks, settled } from './helpers.ts';

/** The cluster's TaskHistoryRetentionLimit set to n. */
const retain = (s: State, n: number): State => ({ ...s, taskHistoryLimit: n });
const restart = (p: Partial<RestartPolicy>) => ({
  restart: { condition: 'any' as const, delayMs: 0, maxAttempts: 0, windowMs: 0, ...p },
});
const ids = (s: State, name: string) => serviceTasks(s, name).map((t) => t.id);
const running = (s: State, name: string) => serviceTasks(s, name).find((t) => t.observed === 'running')!;
/** The running task of `name` exits with `code`; then everything settles. */
const exit = (s: State, name: string, code: number) =>
  settled(act(s, { actor: 'fault', kind: 'exit', task: running(s, name).id, code }));
/** A service whose only task runs on b (a is a drained manager). */
const onB = (patch: Parameters<typeof service>[2] = {}) =>
  create(cluster([{ hostname: 'a', availability: 'drain' }, { hostname: 'b' }]), service('web', {}, patch));

describe('immediate cleanup of tasks desired REMOVE', () => {
  test('a task that completed before its service was removed is deleted (observed ≥ COMPLETED)', () => {
    // Restart condition none: the completed task stays in its slot, nothing replaces it.
    let s = exit(onB(restart({ condition: 'none' })), 'web', 0);
    const [t] = serviceTasks(s, 'web');
    expect(t.observed).toBe('complete');
    const svcId = t.serviceId;
    s = settled(run(s, { kind: 'service.rm', service: 'web' }));
    expect(s.tasks.filter((x) => x.serviceId === svcId)).toEqual([]);
  });
});

describe('history retention per instance', () => {
  test('a replicated slot keeps `limit` tasks, the current one included: the oldest terminal go', () => {
    let s = retain(onB(restart({})), 2);
    const first = running(s, 'web').id;
    s = exit(s, 'web', 1);
    const second = running(s, 'web').id;
    expect(ids(s, 'web')).toEqual([first, second]);
    s = exit(s, 'web', 1);
    const third = running(s, 'web').id;
    expect(ids(s, 'web')).toEqual([second, third]);
  });

  test('a limit below the history deletes every surplus terminal task in one tick', () => {
    let s = onB(restart({}));
    for (let i = 0; i < 3; i++) s = exit(s, 'web', 1);
    expect(serviceTasks(s, 'web')).toHaveLength(4);
    s = exit(retain(s, 1), 'web', 1);
    const tasks = serviceTasks(s, 'web');
    expect(tasks.map((t) => t.observed)).toEqual(['running']);
  });

  test('limit 0 keeps no history; a negative limit never prunes', () => {
    const zero = exit(retain(onB(restart({})), 0), 'web', 1);
    expect(serviceTasks(zero, 'web').map((t) => t.observed)).toEqual(['running']);
    const never = exit(exit(retain(onB(restart({})), -1), 'web', 1), 'web', 1);
    expect(serviceTasks(never, 'web').map((t) => t.observed)).toEqual(['failed', 'failed', 'running']);
  });

  test('the limit is that of the instance’s own service (MaxAttempts > 0: MaxAttempts+1)', () => {
    // x, created first, keeps up to 4 tasks per slot; web keeps the cluster's 0.
    let s = create(
      cluster([{ hostname: 'a', availability: 'drain' }, { hostname: 'b' }]),
      service('x', {}, restart({ maxAttempts: 3 })),
    );
    s = retain(create(s, service('web', {}, restart({}))), 0);
    s = exit(s, 'web', 1);
    expect(serviceTasks(s, 'web').map((t) => t.observed)).toEqual(['running']);
  });

  test('an instance is one service’s slot: another service’s task in a slot of the same number stays', () => {
    let s = create(
      cluster([{ hostname: 'a', availability: 'drain' }, { hostname: 'b' }]),
      service('x', {}, restart({ condition: 'none' })),
    );
    s = exit(s, 'x', 1);
    const [gone] = serviceTasks(s, 'x');
    expect(gone).toMatchObject({ slot: 1, observed: 'failed' });
    s = retain(create(s, service('web', {}, restart({}))), 1);
    s = exit(s, 'web', 1);
    expect(ids(s, 'x')).toEqual([gone.id]);
    expect(serviceTasks(s, 'web').map((t) => t.observed)).toEqual(['running']);
  });

  test('a pending task (will run once a node fits) is not history', () => {
    // No node satisfies the constraint: the task stays PENDING, desired RUNNING, alone in its slot.
    const s0 = retain(cluster([{ hostname: 'a' }]), 0);
    const s = create(
      s0,
      service(
        'web',
        {},
        { placement: { constraints: ['node.hostname==z'], preferences: [], maxReplicas: 0 } },
      ),
    );
    expect(serviceTasks(s, 'web').map((t) => [t.observed, t.desired])).toEqual([['pending', 'running']]);
  });
});

describe('a task that may still run is not history; its instance stays dirty while two may run', () => {
  // The old task's node is cut off from the leader and drained: the old task is desired SHUTDOWN but
  // its agent cannot report, so it stays as last reported; its replacement waits for it.
  const cutOffAndDrained = (partitionFirst: boolean) => {
    let s = retain(
      cluster([{ hostname: 'a', availability: 'drain' }, { hostname: 'b' }, { hostname: 'c' }]),
      0,
    );
    s = run(s, { kind: 'node.update', node: 'c', availability: 'drain' });
    const cut = (x: State) => act(x, { actor: 'fault', kind: 'partition', groups: [[nodeId(x, 'b')]] });
    if (partitionFirst) s = cut(s);
    s = create(s, service('web', {}));
    if (!partitionFirst) s = cut(s);
    const [old] = serviceTasks(s, 'web');
    s = settled(run(s, { kind: 'node.update', node: 'b', availability: 'drain' }));
    return { s, old };
  };

  test('ASSIGNED, desired SHUTDOWN: neither terminal nor never-run; kept, then deleted once it stops', () => {
    let { s, old } = cutOffAndDrained(true);
    expect(serviceTasks(s, 'web').map((t) => [t.observed, t.desired])).toEqual([
      ['assigned', 'shutdown'],
      ['pending', 'ready'],
    ]);
    s = settled(act(s, { actor: 'fault', kind: 'heal' }));
    // The agent reports SHUTDOWN; the slot, still dirty, is pruned to the limit (0) of terminal tasks.
    expect(ids(s, 'web')).not.toContain(old.id);
    expect(serviceTasks(s, 'web')).toHaveLength(1);
  });

  test('RUNNING, desired SHUTDOWN: not terminal; kept, then deleted once it stops', () => {
    let { s, old } = cutOffAndDrained(false);
    expect(serviceTasks(s, 'web').map((t) => [t.id === old.id, t.observed, t.desired])).toEqual([
      [true, 'running', 'shutdown'],
      [false, 'pending', 'ready'],
    ]);
    s = settled(act(s, { actor: 'fault', kind: 'heal' }));
    expect(ids(s, 'web')).not.toContain(old.id);
    expect(serviceTasks(s, 'web')).toHaveLength(1);
  });

  test('an instance with one task that may run is not looked at again until a new task is created', () => {
    // Limit 0: at its creation the task is alone and counted as running, so the slot is no longer
    // dirty; when it completes later (restart condition none: no new task), nothing deletes it.
    let s = retain(cluster([{ hostname: 'a', availability: 'drain' }, { hostname: 'b' }]), 0);
    s = exit(create(s, service('web', {}, restart({ condition: 'none' }))), 'web', 0);
    expect(serviceTasks(s, 'web').map((t) => t.observed)).toEqual(['complete']);
  });
});
