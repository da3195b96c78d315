import { describe, expect, test } from 'vitest';
import { type Action, enabled, settle, step } from '../../model/index.ts';
import { scaleDownOrder } from '../../model/orchestrator/replicated.ts';
import type { ServiceSpec } from '../../model/spec.ts';
import type { State, Task } from '../../model/state.ts';
import {
  act,
  cluster,
  create,
  findBy,
  nodeId,
  run,
  runningPerNode,
  service,
  serviceTasks,
  settled,
  waited,
} from './helpers.ts';

const three = () => cluster([{ hostname: 'a' }, { hostname: 'b' }, { hostname: 'c' }]);
const current = (s: State, name: string) =>
  serviceTasks(s, name).filter((t) => t.desired === 'running' || t.desired === 'ready');

const START_FIRST = {
  parallelism: 1,
  delayMs: 0,
  failureAction: 'pause' as const,
  monitorMs: 0,
  maxFailureRatio: 0,
  order: 'start-first' as const,
};

/**
 * Update to nginx:2 and step until the old task and its start-first replacement are both desired
 * RUNNING; then update to nginx:3 and settle. Returns the images of the running tasks.
 */
function imagesAfterInterruptedUpdate(s: State, name: string): string[] {
  s = run(s, { kind: 'service.update', service: name, update: { image: 'nginx:2' } });
  const both = (x: State) => serviceTasks(x, name).filter((t) => t.desired === 'running').length === 2;
  for (let i = 0; i < 50 && !both(s); i++) s = act(s, enabled(s).find((a) => a.actor !== 'clock')!);
  expect(both(s)).toBe(true);
  s = settled(run(s, { kind: 'service.update', service: name, update: { image: 'nginx:3' } }));
  return serviceTasks(s, name)
    .filter((t) => t.observed === 'running')
    .map((t) => t.spec.image);
}

/** Service `web` with R replicas and this restart policy, settled on the three-node cluster. */
const webWithRestart = (replicas: number, restart: ServiceSpec['task']['restart']) =>
  create(three(), service('web', { replicas }, { restart }));

function fail(s: State, t: Task, code = 1): State {
  return act(s, { actor: 'fault', kind: 'exit', task: t.id, code });
}

describe('replicated orchestrator (moby/swarmkit:manager/orchestrator/replicated)', () => {
  test('scale up reuses the lowest free slots', () => {
    let s = create(three(), service('web', { replicas: 4 }));
    s = settled(run(s, { kind: 'service.scale', scales: [{ service: 'web', replicas: 2 }] }));
    const kept = current(s, 'web')
      .map((t) => t.slot)
      .sort();
    s = settled(run(s, { kind: 'service.scale', scales: [{ service: 'web', replicas: 4 }] }));
    const slots = current(s, 'web')
      .map((t) => t.slot)
      .sort();
    expect(slots).toEqual([1, 2, 3, 4]);
    expect(kept).toHaveLength(2);
  });

  test('scale down: nodes with the most replicas lose first, lowest slot per node kept (services.go (reconcile))', () => {
    // a holds 3 slots, b holds 1: pin with a constraint, then relax it (placement-only change keeps tasks).
    let s = cluster([{ hostname: 'a' }, { hostname: 'b' }]);
    s = create(
      s,
      service(
        'web',
        { replicas: 3 },
        { placement: { constraints: ['node.hostname==a'], preferences: [], maxReplicas: 0 } },
      ),
    );
    s = settled(
      run(s, {
        kind: 'service.update',
        service: 'web',
        update: { constraintRm: ['node.hostname==a'], replicas: 4 },
      }),
    );
    expect(runningPerNode(s, 'web')).toEqual({ a: 3, b: 1 });
    const onB = current(s, 'web').find((t) => t.nodeId === nodeId(s, 'b'))!;
    s = settled(run(s, { kind: 'service.scale', scales: [{ service: 'web', replicas: 2 }] }));
    const left = current(s, 'web');
    expect(left.map((t) => t.slot).sort()).toEqual([1, onB.slot].sort());
    expect(runningPerNode(s, 'web')).toEqual({ a: 1, b: 1 });
    // Removed tasks were shut down and then deleted by the reaper (desired REMOVE, never kept as history).
    expect(serviceTasks(s, 'web')).toHaveLength(2);
  });

  test('update and scale down at once: only the kept slots go to the updater (services.go (reconcile))', () => {
    // Start-first, all slots at once, and the updater scheduled before anything else (a second
    // reconcile would delete the removed tasks before a worker saw them): a removed slot
    // handed to the updater by mistake would get a new task (start-first creates before it removes).
    const update = { ...service('web').update, order: 'start-first' as const, parallelism: 0 };
    let s = create(three(), service('web', { replicas: 3, update }));
    s = run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2', replicas: 1 } });
    const seen = new Set<string>();
    const note = (x: State) => {
      for (const t of serviceTasks(x, 'web')) if (t.spec.image === 'nginx:2') seen.add(t.id);
    };
    const first = (x: State) =>
      enabled(x).find((a) => a.actor === 'updater') ?? enabled(x).find((a) => a.actor === 'orchestrator');
    for (let a = first(s); a; a = first(s)) {
      s = act(s, a);
      note(s);
    }
    for (const x of settle(s).steps) note(x.state);
    expect(seen.size).toBe(1);
    expect(current(settled(s), 'web').map((t) => t.spec.image)).toEqual(['nginx:2']);
  });

  test('scale-down order: unassigned and multi-task slots go first, then index, non-running before running', () => {
    const mk = (slot: number, nodeId: string, observed: Task['observed']) =>
      ({ slot, nodeId, observed }) as Task;
    const order = scaleDownOrder([
      [mk(1, 'n1', 'running')],
      [mk(2, 'n1', 'running')],
      [mk(3, '', 'pending')],
      [mk(4, 'n2', 'assigned')],
      [mk(5, 'n2', 'running')],
    ]);
    // Running first by slot: 1(n1#1) 2(n1#2) 5(n2#1); then 4(n2#2), 3(−1).
    expect(order.map((sl) => sl[0].slot)).toEqual([1, 5, 2, 4, 3]);
  });

  test('scale-down order from a shuffled input: running by slot number, per-node index, index −1 kept in that order last', () => {
    const mk = (slot: number, nodeId: string, observed: Task['observed']) =>
      ({ slot, nodeId, observed }) as Task;
    const input = [
      [mk(7, '', 'pending')],
      [mk(3, 'n1', 'running')],
      [mk(2, 'n2', 'assigned'), mk(2, 'n2', 'running')],
      [mk(1, 'n1', 'running')],
      [mk(5, 'n2', 'running')],
      [mk(4, '', 'pending')],
    ];
    const copy = input.map((sl) => sl.slice());
    // Running first by slot: 1(n1#1) 2(−1, two tasks) 3(n1#2) 5(n2#1); then 4(−1) 7(−1, unassigned).
    // Index order 1, 1, 2; the −1 slots follow in the order the first sort left them (Go's
    // insertion sort below 13 elements is stable).
    expect(scaleDownOrder(input).map((sl) => sl[0].slot)).toEqual([1, 5, 3, 2, 4, 7]);
    expect(input).toEqual(copy); // the caller's slot list is not reordered
  });

  test('scale-down order: a multi-task slot counts as running when any of its tasks runs (slotsByRunningState)', () => {
    const mk = (slot: number, observed: Task['observed']) => ({ slot, nodeId: 'n1', observed }) as Task;
    // Both slots get index −1 (several tasks), so only the running-first sort separates them.
    const order = scaleDownOrder([
      [mk(1, 'assigned'), mk(1, 'assigned')],
      [mk(2, 'assigned'), mk(2, 'running')],
    ]);
    expect(order.map((sl) => sl[0].slot)).toEqual([2, 1]);
  });

  test('start-first update interrupted by a second update: both tasks of the slot are replaced, one left running', () => {
    // slot.go (updatableAndDeadSlots) keeps every updatable task of a slot; while a start-first slot
    // holds the old task and its replacement, the next update must shut both down.
    const s = create(cluster([{ hostname: 'a' }]), service('web', { replicas: 1, update: START_FIRST }));
    expect(imagesAfterInterruptedUpdate(s, 'web')).toEqual(['nginx:3']);
  });

  test('a failed task is replaced in the same slot after the restart delay', () => {
    let s = create(three(), service('web', { replicas: 1 }));
    const t = current(s, 'web')[0];
    s = settled(fail(s, t));
    const repl = current(s, 'web')[0];
    expect(repl.id).not.toBe(t.id);
    expect(repl.slot).toBe(t.slot);
    expect(repl.desired).toBe('ready'); // parked until the 5 s delay elapses
    // The old task already stopped: nothing to wait for but the delay (restart.go (Restart) waitStop).
    expect(repl.delayed).toMatchObject({ startAt: s.now + 5000, oldTaskId: '' });
    s = waited(s, 4999);
    expect(current(s, 'web')[0].observed).toBe('ready');
    // The delayed start is not offered before it is due.
    expect(enabled(s).filter((a) => a.actor === 'restart')).toEqual([]);
    s = waited(s, 1);
    expect(current(s, 'web')[0].observed).toBe('running');
  });

  test('restart condition none: a finished replica still occupies its slot, nothing replaces it', () => {
    let s = webWithRestart(2, { condition: 'none', delayMs: 5000, maxAttempts: 0, windowMs: 0 });
    s = settled(fail(s, current(s, 'web')[0], 0));
    s = waited(s, 60_000);
    expect(serviceTasks(s, 'web').filter((t) => t.observed === 'running')).toHaveLength(1);
    expect(serviceTasks(s, 'web')).toHaveLength(2);
  });

  test('on-failure: exit 0 is not restarted, exit 1 is', () => {
    let s = webWithRestart(2, { condition: 'on-failure', delayMs: 0, maxAttempts: 0, windowMs: 0 });
    const [t1, t2] = current(s, 'web');
    s = settled(fail(settled(fail(s, t1, 0)), t2, 1));
    s = waited(s, 1000);
    const running = serviceTasks(s, 'web').filter((t) => t.observed === 'running');
    expect(running.map((t) => t.slot)).toEqual([t2.slot]);
  });

  test('max attempts: MaxAttempts replacements per slot, then the slot stays dead', () => {
    let s = webWithRestart(1, { condition: 'any', delayMs: 0, maxAttempts: 2, windowMs: 0 });
    for (let i = 0; i < 3; i++)
      s = waited(fail(s, serviceTasks(s, 'web').find((t) => t.observed === 'running')!), 1000);
    expect(serviceTasks(s, 'web').some((t) => t.observed === 'running')).toBe(false);
    expect(serviceTasks(s, 'web')).toHaveLength(3);
    // Without a window only the count is kept, no restart times (restart.go (RecordRestartHistory)).
    expect(s.restartHistory.map((h) => [h.totalRestarts, h.restartedAt])).toEqual([[2, []]]);
  });

  test('a rollback revives a slot whose restart policy left it stopped (UpdatableTasksInSlot under ROLLBACK_STARTED)', () => {
    let s = webWithRestart(1, { condition: 'none', delayMs: 5000, maxAttempts: 0, windowMs: 0 });
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } }));
    s = waited(fail(s, current(s, 'web')[0], 0), 10_000);
    // Condition none: the finished task still holds its slot and nothing replaces it.
    expect(serviceTasks(s, 'web').filter((t) => t.observed === 'running')).toEqual([]);
    // Under ROLLBACK_STARTED a slot with no live task is dead, so the rollback's reconcile fills it
    // with a task of the restored spec; the rollback then has no dirty slot and completes at once
    // (were the slot counted, the rollback's updater would replace the task and monitor it first).
    s = settled(run(s, { kind: 'service.rollback', service: 'web' }));
    expect(s.services[0].updateStatus?.state).toBe('rollback_completed');
    const running = serviceTasks(s, 'web').filter((t) => t.observed === 'running');
    expect(running.map((t) => t.spec.image)).toEqual([service('web').task.image]);
  });

  test('a slot whose tasks all stopped is judged by its newest task (UpdatableTasksInSlot, TasksByTimestamp)', () => {
    // on-failure: the newest task exited 0, so the slot is complete, not dead; an older failed task
    // must not make a reconcile refill it.
    for (const pause of [1000, 0]) {
      let s = webWithRestart(1, { condition: 'on-failure', delayMs: 0, maxAttempts: 0, windowMs: 0 });
      s = waited(fail(s, current(s, 'web')[0], 1), pause); // failed → replaced
      s = waited(fail(s, current(s, 'web')[0], 0), pause); // replacement exits 0: done
      expect(serviceTasks(s, 'web').map((t) => t.observed)).toEqual(['failed', 'complete']);
      // Any service event reconciles; the slot still counts as done, so nothing is created.
      s = settled(run(s, { kind: 'service.update', service: 'web', update: { labelAdd: { k: 'v' } } }));
      expect(serviceTasks(s, 'web').map((t) => t.observed)).toEqual(['failed', 'complete']);
    }
  });

  test('newest means latest status, not last created: an old task orphaned a day later decides the slot', () => {
    // UpdatableTasksInSlot sorts by status timestamp. A task lost with its node is replaced; the
    // replacement exits 0 (on-failure: done). A day later the lost task is ORPHANED, which makes it
    // the newest, and it is a failure: the next reconcile finds the slot dead and refills it.
    const placement = { constraints: ['node.role==worker'], preferences: [], maxReplicas: 0 };
    let s = create(
      three(),
      service(
        'web',
        { replicas: 1 },
        { placement, restart: { condition: 'on-failure', delayMs: 0, maxAttempts: 0, windowMs: 0 } },
      ),
    );
    const lost = current(s, 'web')[0];
    s = waited(act(s, { actor: 'fault', kind: 'crash', node: lost.nodeId }), 20_000);
    const repl = current(s, 'web').find((t) => t.observed === 'running')!;
    s = waited(fail(s, repl, 0), 1000);
    s = waited(s, 24 * 3600_000);
    expect(serviceTasks(s, 'web').map((t) => [t.id, t.observed])).toEqual([
      [lost.id, 'orphaned'],
      [repl.id, 'complete'],
    ]);
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { labelAdd: { k: 'v' } } }));
    expect(serviceTasks(s, 'web').filter((t) => t.observed === 'running')).toHaveLength(1);
  });

  test('restart history is kept per slot: one slot using up its attempts does not stop another', () => {
    // restart.go (shouldRestart, RecordRestartHistory): instance key = service + slot for replicated.
    let s = webWithRestart(2, { condition: 'any', delayMs: 0, maxAttempts: 1, windowMs: 0 });
    const [first, second] = current(s, 'web');
    s = waited(fail(s, first), 1000);
    s = waited(
      fail(s, serviceTasks(s, 'web').find((t) => t.slot === first.slot && t.observed === 'running')!),
      1000,
    );
    s = waited(fail(s, second), 1000);
    const running = serviceTasks(s, 'web').filter((t) => t.observed === 'running');
    expect(running.map((t) => t.slot)).toEqual([second.slot]);
  });

  test('restart history belongs to a spec version: attempts used before an update do not count after it', () => {
    // restart.go (shouldRestart: history of another SpecVersion → restart; RecordRestartHistory starts over).
    let s = webWithRestart(1, { condition: 'any', delayMs: 0, maxAttempts: 1, windowMs: 60_000 });
    const running = (x: State) => serviceTasks(x, 'web').find((t) => t.observed === 'running')!;
    const v1 = s.services[0].version;
    s = waited(fail(s, running(s)), 1000);
    expect(s.restartHistory).toEqual([
      {
        key: `${s.services[0].id}/1`,
        specVersion: v1,
        totalRestarts: 1,
        restartedAt: [running(s).createdAt],
      },
    ]);
    s = waited(
      settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } })),
      1000,
    );
    const v2 = running(s);
    expect(v2.spec.image).toBe('nginx:2');
    s = waited(fail(s, v2), 1000);
    expect(running(s).spec.image).toBe('nginx:2');
    expect(s.restartHistory).toEqual([
      {
        key: `${s.services[0].id}/1`,
        specVersion: v1 + 1,
        totalRestarts: 1,
        restartedAt: [running(s).createdAt],
      },
    ]);
  });

  test('no restart history is kept when MaxAttempts is 0 (RecordRestartHistory)', () => {
    let s = create(three(), service('web', { replicas: 1 }));
    s = waited(fail(s, current(s, 'web')[0]), 10_000);
    expect(current(s, 'web')[0].observed).toBe('running');
    expect(s.restartHistory).toEqual([]);
  });

  test('restart window bounds: a restart exactly one window before the failure, or at its instant, does not count', () => {
    // restart.go (shouldRestart): restarts After(failure − window) and Before(failure) are counted.
    const svc = service(
      'web',
      { replicas: 1 },
      { restart: { condition: 'any', delayMs: 0, maxAttempts: 1, windowMs: 10_000 } },
    );
    const running = (x: State) => serviceTasks(x, 'web').find((t) => t.observed === 'running');
    // Replacement created at t, fails at t + window: the window (t, t + window) is open at t.
    let s = create(three(), svc);
    s = settled(fail(s, running(s)!));
    s = waited(s, 10_000);
    s = waited(fail(s, running(s)!), 1000);
    expect(running(s)).toBeDefined();
    // Replacement created and failed at the same instant: its own restart is not before the failure.
    s = create(three(), svc);
    s = settled(fail(s, running(s)!));
    s = settled(fail(s, running(s)!));
    expect(running(s)).toBeDefined();
    // One millisecond later it counts: the slot stays dead.
    s = create(three(), svc);
    s = settled(fail(s, running(s)!));
    s = waited(s, 1);
    s = waited(fail(s, running(s)!), 60_000);
    expect(running(s)).toBeUndefined();
  });

  test('restart window: attempts older than the window no longer count', () => {
    let s = webWithRestart(1, { condition: 'any', delayMs: 0, maxAttempts: 1, windowMs: 10_000 });
    s = waited(fail(s, serviceTasks(s, 'web').find((t) => t.observed === 'running')!), 11_000);
    s = waited(fail(s, serviceTasks(s, 'web').find((t) => t.observed === 'running')!), 1000);
    expect(serviceTasks(s, 'web').some((t) => t.observed === 'running')).toBe(true);
    // A failure 1 s after the last replacement: one restart inside the window already → no more.
    s = waited(fail(s, serviceTasks(s, 'web').find((t) => t.observed === 'running')!), 60_000);
    expect(serviceTasks(s, 'web').find((t) => t.observed === 'running')).toBeUndefined();
  });

  test('task history retention: 5 tasks per slot, current one included (taskreaper)', () => {
    let s = webWithRestart(1, { condition: 'any', delayMs: 0, maxAttempts: 0, windowMs: 0 });
    for (let i = 0; i < 8; i++)
      s = waited(fail(s, serviceTasks(s, 'web').find((t) => t.observed === 'running')!), 1000);
    expect(serviceTasks(s, 'web')).toHaveLength(5);
    expect(serviceTasks(s, 'web').filter((t) => t.observed === 'running')).toHaveLength(1);
  });

  test('history retention with MaxAttempts: limit becomes MaxAttempts + 1', () => {
    let s = webWithRestart(1, { condition: 'any', delayMs: 0, maxAttempts: 1, windowMs: 0 });
    s = waited(fail(s, serviceTasks(s, 'web').find((t) => t.observed === 'running')!), 1000);
    expect(serviceTasks(s, 'web')).toHaveLength(2);
  });

  test('service rm: tasks desired REMOVE, shut down, then deleted', () => {
    let s = create(three(), service('web', { replicas: 3 }));
    s = run(s, { kind: 'service.rm', service: 'web' });
    expect(s.tasks.every((t) => t.desired === 'remove')).toBe(true);
    s = settled(s);
    expect(s.tasks).toHaveLength(0);
  });
});

describe('global orchestrator (moby/swarmkit:manager/orchestrator/global)', () => {
  const globalSvc = (name: string, patch: Partial<ServiceSpec> = {}): ServiceSpec => ({
    ...service(name),
    mode: 'global',
    replicas: undefined,
    ...patch,
  });

  test('node rm --force: the global orchestrator deletes the node’s global tasks; replicated ones stay for the restart path', () => {
    // global.go (EventDeleteNode → foreachTaskFromNode(deleteTask)): only tasks of global services.
    let s = create(three(), globalSvc('mon'));
    s = create(s, service('web', { replicas: 3 }));
    const c = nodeId(s, 'c');
    const webOnC = serviceTasks(s, 'web').filter((t) => t.nodeId === c);
    expect(webOnC.length).toBeGreaterThan(0);
    const onlyC = { constraints: ['node.hostname==c'], preferences: [], maxReplicas: 0 };
    s = create(s, globalSvc('agent', { task: { ...service('agent').task, placement: onlyC } }));
    const monElsewhere = serviceTasks(s, 'mon').filter((t) => t.nodeId !== c);
    s = run(s, { kind: 'node.rm', node: 'c', force: true });
    // A task deleted while desired ≤ RUNNING is a store event the orchestrators answer with a reconcile
    // of its service (global.go (Run): EventDeleteTask; replicated/tasks.go (handleTaskEvent)).
    const reconciles = enabled(s).filter((a) => a.actor === 'orchestrator' && a.kind === 'reconcile-service');
    expect(reconciles.map((a) => a.actor === 'orchestrator' && 'service' in a && a.service).sort()).toEqual(
      s.services
        .filter((x) => x.spec.mode === 'global')
        .map((x) => x.id)
        .sort(),
    );
    expect(serviceTasks(s, 'mon').filter((t) => t.nodeId === c)).toEqual([]);
    expect(serviceTasks(s, 'agent')).toEqual([]);
    expect(serviceTasks(s, 'mon').filter((t) => t.nodeId !== c)).toEqual(monElsewhere);
    expect(
      serviceTasks(s, 'web')
        .filter((t) => t.nodeId === c)
        .map((t) => t.id),
    ).toEqual(webOnC.map((t) => t.id));
  });

  test('restart history is kept per node: a node using up its attempts does not stop another', () => {
    // restart.go (shouldRestart): instance key = service + node for global services.
    let s = create(
      three(),
      globalSvc('mon', {
        task: {
          ...service('mon').task,
          restart: { condition: 'any', delayMs: 0, maxAttempts: 1, windowMs: 0 },
        },
      }),
    );
    const on = (x: State, h: string) =>
      serviceTasks(x, 'mon').find((t) => t.nodeId === nodeId(x, h) && t.observed === 'running')!;
    s = waited(fail(s, on(s, 'a')), 1000);
    s = waited(fail(s, on(s, 'a')), 1000);
    expect(runningPerNode(s, 'mon')).toEqual({ b: 1, c: 1 });
    s = waited(fail(s, on(s, 'b')), 1000);
    expect(runningPerNode(s, 'mon')).toEqual({ b: 1, c: 1 });
  });

  test('a paused node gets no new global task, neither from a service reconcile nor from a node event', () => {
    // global.go (reconcileServices, reconcileOneNode): a paused node is neither added to nor updated.
    let s = settled(run(three(), { kind: 'node.update', node: 'c', availability: 'pause' }));
    s = create(s, globalSvc('mon'));
    expect(runningPerNode(s, 'mon')).toEqual({ a: 1, b: 1 });
    s = settled(run(s, { kind: 'node.update', node: 'c', labelAdd: { zone: 'x' } }));
    expect(serviceTasks(s, 'mon').filter((t) => t.nodeId === nodeId(s, 'c'))).toEqual([]);
    // Back to active: the node reconcile adds the task.
    s = settled(run(s, { kind: 'node.update', node: 'c', availability: 'active' }));
    expect(runningPerNode(s, 'mon')).toEqual({ a: 1, b: 1, c: 1 });
  });

  test('a node paused during an update keeps its old task, then catches up at once when active again', () => {
    let s = create(three(), globalSvc('mon'));
    s = settled(run(s, { kind: 'node.update', node: 'c', availability: 'pause' }));
    s = waited(
      settled(run(s, { kind: 'service.update', service: 'mon', update: { image: 'nginx:2' } })),
      60_000,
    );
    const images = (x: State) =>
      Object.fromEntries(
        serviceTasks(x, 'mon')
          .filter((t) => t.observed === 'running')
          .map((t) => [x.nodes.find((n) => n.id === t.nodeId)!.hostname, t.spec.image]),
      );
    expect(images(s)).toEqual({ a: 'nginx:2', b: 'nginx:2', c: service('mon').task.image });
    // reconcileOneNode: the dirty task is shut down and a new one created in the same pass.
    s = settled(run(s, { kind: 'node.update', node: 'c', availability: 'active' }));
    expect(images(s)).toEqual({ a: 'nginx:2', b: 'nginx:2', c: 'nginx:2' });
    expect(serviceTasks(s, 'mon').filter((t) => t.desired === 'running')).toHaveLength(3);
  });

  test('a rollback of a global service that runs on no node stays ROLLBACK_STARTED (no slot, no updater)', () => {
    // global.go (reconcileServices) calls the updater only `if len(updateTasks) > 0`; with no node
    // matching, nothing ever completes the rollback.
    const none = { constraints: ['node.labels.gpu==yes'], preferences: [], maxReplicas: 0 };
    let s = create(three(), globalSvc('mon', { task: { ...service('mon').task, placement: none } }));
    s = settled(run(s, { kind: 'service.update', service: 'mon', update: { image: 'nginx:2' } }));
    s = waited(run(s, { kind: 'service.rollback', service: 'mon' }), 60_000);
    expect(serviceTasks(s, 'mon')).toEqual([]);
    expect(s.services[0].updateStatus?.state).toBe('rollback_started');
  });

  test('start-first update interrupted by a second update: every task of the node is replaced, one left running', () => {
    // While a start-first slot holds the old task and its replacement, a service reconcile must hand
    // both to the updater (global.go (reconcileServices) groups all updatable tasks per node); the
    // next update shuts every old one down.
    const s = create(cluster([{ hostname: 'a' }]), globalSvc('mon', { update: START_FIRST }));
    expect(imagesAfterInterruptedUpdate(s, 'mon')).toEqual(['nginx:3']);
  });
});

describe('node availability and liveness', () => {
  for (const condition of ['any', 'on-failure'] as const) {
    test(`drain with restart condition ${condition}: replacement elsewhere, no delay, after the old one stopped`, () => {
      let s = create(
        three(),
        service(
          'web',
          { replicas: 1 },
          { restart: { condition, delayMs: 5000, maxAttempts: 0, windowMs: 0 } },
        ),
      );
      const old = current(s, 'web')[0];
      const host = s.nodes.find((n) => n.id === old.nodeId)!.hostname;
      s = run(s, { kind: 'node.update', node: host, availability: 'drain' });
      const r = settle(s); // no clock advance needed: drain restarts have no delay
      // restart.go (Restart): the replacement is armed at once and waits for the old task to stop.
      const armed = r.steps
        .map((x) => serviceTasks(x.state, 'web').find((t) => t.id !== old.id))
        .find((t) => t !== undefined)!;
      expect(armed.delayed).toMatchObject({ startAt: s.now, oldTaskId: old.id });
      s = r.state;
      const now = serviceTasks(s, 'web');
      expect(now.find((t) => t.id === old.id)!.observed).toBe('shutdown');
      const repl = now.find((t) => t.id !== old.id)!;
      expect(repl.slot).toBe(old.slot);
      expect(repl.observed).toBe('running');
      expect(repl.nodeId).not.toBe(old.nodeId);
    });
  }

  test('a replacement waiting for its old task starts when that task’s node goes DOWN or is removed (DelayStart)', () => {
    // restart.go (DelayStart): the wait for the old task ends when it stops, when its node is DOWN or
    // deleted, or after 1 minute. Drain arms the wait; the node then crashes before the old task stops.
    const setup = () => {
      // On a worker: crashing the only manager would stop the control plane instead.
      const placement = { constraints: ['node.role==worker'], preferences: [], maxReplicas: 0 };
      let s = create(three(), service('web', { replicas: 1 }, { placement }));
      const old = current(s, 'web')[0];
      const host = s.nodes.find((n) => n.id === old.nodeId)!.hostname;
      s = run(s, { kind: 'node.update', node: host, availability: 'drain' });
      while (!serviceTasks(s, 'web').some((t) => t.delayed !== null))
        s = act(s, enabled(s).find((a) => a.actor === 'orchestrator' || a.actor === 'restart')!);
      s = act(s, { actor: 'fault', kind: 'crash', node: old.nodeId });
      const running = (x: State) =>
        serviceTasks(x, 'web').filter((t) => t.id !== old.id && t.observed === 'running');
      return { s, host, running };
    };
    // DOWN after 15 s of missed heartbeats: started then, not at the 1-minute timeout.
    const down = setup();
    expect(down.running(waited(down.s, 20_000))).toHaveLength(1);
    // Removed (docker node rm --force): started at once; RemoveNode orphans the old task in the same
    // transaction (controlapi/node.go (orphanNodeTasks)), so the old task has stopped by then.
    const rm = setup();
    expect(rm.running(settled(run(rm.s, { kind: 'node.rm', node: rm.host, force: true })))).toHaveLength(1);
  });

  test('drain with restart condition none: the replica is shut down and not replaced', () => {
    let s = webWithRestart(1, { condition: 'none', delayMs: 5000, maxAttempts: 0, windowMs: 0 });
    const old = current(s, 'web')[0];
    s = settled(
      run(s, {
        kind: 'node.update',
        node: s.nodes.find((n) => n.id === old.nodeId)!.hostname,
        availability: 'drain',
      }),
    );
    s = waited(s, 120_000);
    expect(serviceTasks(s, 'web').map((t) => t.observed)).toEqual(['shutdown']);
  });

  test('drain of a global service: its task is shut down, no replacement; back on reactivation', () => {
    let s = create(three(), { ...service('mon'), mode: 'global', replicas: undefined });
    expect(runningPerNode(s, 'mon')).toEqual({ a: 1, b: 1, c: 1 });
    s = settled(run(s, { kind: 'node.update', node: 'b', availability: 'drain' }));
    expect(runningPerNode(s, 'mon')).toEqual({ a: 1, c: 1 });
    expect(serviceTasks(s, 'mon')).toHaveLength(3);
    s = settled(run(s, { kind: 'node.update', node: 'b', availability: 'active' }));
    expect(runningPerNode(s, 'mon')).toEqual({ a: 1, b: 1, c: 1 });
  });

  test('a global task failing on a node drained a moment ago is neither restarted nor replaced there', () => {
    // global.go (tickTasks): a task on a node the orchestrator no longer tracks (drained, DOWN) is left
    // to the node reconcile, which shuts it down; no replacement on that node.
    let s = create(three(), { ...service('mon'), mode: 'global', replicas: undefined });
    const c = nodeId(s, 'c');
    const onC = serviceTasks(s, 'mon').find((t) => t.nodeId === c)!;
    s = run(s, { kind: 'node.update', node: 'c', availability: 'drain' });
    s = fail(s, onC); // before the orchestrator has seen the drain
    expect(enabled(s).filter((a) => a.actor === 'restart' || a.kind === 'shutdown-task')).toEqual([]);
    const r = settle(s);
    for (const x of r.steps)
      expect(serviceTasks(x.state, 'mon').filter((t) => t.nodeId === c)).toHaveLength(1);
    expect(runningPerNode(r.state, 'mon')).toEqual({ a: 1, b: 1 });
  });

  test('pause: running tasks stay, no new ones; a global task failing there is not restarted', () => {
    let s = create(three(), { ...service('mon'), mode: 'global', replicas: undefined });
    s = settled(run(s, { kind: 'node.update', node: 'c', availability: 'pause' }));
    expect(runningPerNode(s, 'mon')).toEqual({ a: 1, b: 1, c: 1 });
    s = create(s, service('web', { replicas: 4 }));
    expect(runningPerNode(s, 'web')).toEqual({ a: 2, b: 2 });
    const onC = serviceTasks(s, 'mon').find((t) => t.nodeId === nodeId(s, 'c'))!;
    s = waited(fail(s, onC), 60_000);
    expect(runningPerNode(s, 'mon')).toEqual({ a: 1, b: 1 });
    expect(serviceTasks(s, 'mon').find((t) => t.id === onC.id)!.desired).toBe('shutdown');
    // Shut down, not restarted: no replacement was created for the paused node (global.go (tickTasks)).
    expect(
      serviceTasks(s, 'mon')
        .filter((t) => t.nodeId === onC.nodeId)
        .map((t) => t.id),
    ).toEqual([onC.id]);
  });

  test('node down: DOWN after 3 missed heartbeats, replacement after the restart delay, ORPHANED after 24 h', () => {
    let s = create(three(), service('web', { replicas: 3 }));
    const onC = current(s, 'web').find((t) => t.nodeId === nodeId(s, 'c'))!;
    s = settled(act(s, { actor: 'fault', kind: 'crash', node: nodeId(s, 'c') }));
    s = waited(s, 14_999);
    expect(findBy(s, 'c').status).toBe('ready');
    s = waited(s, 1);
    expect(findBy(s, 'c').status).toBe('down');
    expect(findBy(s, 'c').statusMessage).toBe('heartbeat failure');
    const old = serviceTasks(s, 'web').find((t) => t.id === onC.id)!;
    expect(old.desired).toBe('shutdown');
    expect(old.observed).toBe('running'); // nobody can report it
    // restart.go (Restart): waitStop is off when the node is DOWN, so the replacement's start waits
    // for the delay only, not for the old task (which still reads RUNNING).
    const repl = serviceTasks(s, 'web').find((t) => t.slot === onC.slot && t.id !== onC.id)!;
    expect(repl.delayed).toMatchObject({ oldTaskId: '', oldNodeId: nodeId(s, 'c') });
    s = waited(s, 4999);
    expect(runningPerNode(s, 'web')).toEqual({ a: 1, b: 1, c: 1 });
    s = waited(s, 1);
    expect(runningPerNode(s, 'web')).toEqual({ a: 2, b: 1, c: 1 });
    s = waited(s, 24 * 3600_000);
    expect(serviceTasks(s, 'web').find((t) => t.id === onC.id)!.observed).toBe('orphaned');
  });

  test('node restart: re-registers READY; its lost container is reported FAILED or SHUTDOWN, never left running', () => {
    let s = create(cluster([{ hostname: 'a' }, { hostname: 'b' }]), service('web', { replicas: 2 }));
    const onB = current(s, 'web').find((t) => t.nodeId === nodeId(s, 'b'))!;
    s = act(s, { actor: 'fault', kind: 'crash', node: nodeId(s, 'b') });
    s = settled(act(s, { actor: 'fault', kind: 'restart', node: nodeId(s, 'b') }));
    expect(findBy(s, 'b').status).toBe('ready');
    expect(serviceTasks(s, 'web').find((t) => t.id === onB.id)!.observed).toBe('failed');
    s = waited(s, 5000);
    expect(serviceTasks(s, 'web').filter((t) => t.observed === 'running')).toHaveLength(2);
  });

  test('constraint enforcer: a label change rejects tasks that no longer fit', () => {
    let s = cluster([
      { hostname: 'a', labels: { tier: 'x' } },
      { hostname: 'b', labels: { tier: 'x' } },
    ]);
    s = create(
      s,
      service(
        'web',
        { replicas: 2 },
        { placement: { constraints: ['node.labels.tier==x'], preferences: [], maxReplicas: 0 } },
      ),
    );
    const onB = current(s, 'web').find((t) => t.nodeId === nodeId(s, 'b'))!;
    s = waited(run(s, { kind: 'node.update', node: 'b', labelRm: ['tier'] }), 5000);
    const old = serviceTasks(s, 'web').find((t) => t.id === onB.id)!;
    expect(old.observed).toBe('rejected');
    // constraint_enforcer.go (rejectNoncompliantTasks): both the status message and the error.
    expect(old.message).toBe('task rejected by constraint enforcer');
    expect(old.err).toBe('assigned node no longer meets constraints');
    expect(runningPerNode(s, 'web')).toEqual({ a: 2 });
  });
});

describe('control-plane gate', () => {
  test('without a leader every command fails and nothing is rescheduled; workers keep running', () => {
    let s = cluster([
      { hostname: 'm1' },
      { hostname: 'm2', role: 'manager' },
      { hostname: 'm3', role: 'manager' },
      { hostname: 'w1' },
    ]);
    s = create(s, service('web', { replicas: 4 }));
    s = act(s, { actor: 'fault', kind: 'crash', node: nodeId(s, 'm2') });
    s = settled(act(s, { actor: 'fault', kind: 'crash', node: nodeId(s, 'm1') }));
    expect(s.raft.leader).toBe('');
    const r = run.bind(null);
    expect(() => r(s, { kind: 'node.ls' })).toThrow(
      "The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.",
    );
    s = waited(s, 3600_000);
    expect(enabled(s).filter((a) => !['fault', 'clock'].includes(a.actor))).toEqual([]);
    expect(serviceTasks(s, 'web').filter((t) => t.observed === 'running').length).toBe(4);
    // One manager back: quorum (2 of 3), a new leader, nodes UNKNOWN then re-registered.
    s = settled(act(s, { actor: 'fault', kind: 'restart', node: nodeId(s, 'm2') }));
    expect(s.raft.leader).not.toBe('');
  });

  test('a leader isolated in a minority partition steps down; the majority elects another', () => {
    let s = cluster([
      { hostname: 'm1' },
      { hostname: 'm2', role: 'manager' },
      { hostname: 'm3', role: 'manager' },
    ]);
    s = settled(act(s, { actor: 'fault', kind: 'partition', groups: [[nodeId(s, 'm1')]] }));
    expect([nodeId(s, 'm2'), nodeId(s, 'm3')]).toContain(s.raft.leader);
  });
});

describe('component steps that have nothing to do are refused, with the reason', () => {
  // enabled() never lists these; a replayed or hand-written trace that asks for one gets a clear no.
  const s = create(three(), service('web', { replicas: 2 }));
  const svcId = s.services[0].id;
  const node = nodeId(s, 'a');
  const task = serviceTasks(s, 'web')[0].id;
  test.each([
    [
      { actor: 'orchestrator', kind: 'reconcile-service', service: svcId },
      `service ${svcId} has nothing to reconcile`,
    ],
    [{ actor: 'orchestrator', kind: 'reconcile-node', node }, `node ${node} has nothing to reconcile`],
    [{ actor: 'orchestrator', kind: 'enforce', node }, `node ${node} has nothing to enforce`],
    [{ actor: 'orchestrator', kind: 'shutdown-task', task }, `task ${task} is not to be shut down`],
    [{ actor: 'restart', kind: 'restart-task', task }, `task ${task} is not to be restarted`],
    [{ actor: 'restart', kind: 'start-task', task }, `task ${task} is not due to start`],
    [{ actor: 'restart', kind: 'start-task', task: 'nope' }, 'no such task nope'],
    [{ actor: 'restart', kind: 'restart-task', task: 'nope' }, 'no such task nope'],
    [
      { actor: 'orchestrator', kind: 'reconcile-service', service: 'nope' },
      'service nope has nothing to reconcile',
    ],
    [{ actor: 'orchestrator', kind: 'reconcile-node', node: 'nope' }, 'node nope has nothing to reconcile'],
    [{ actor: 'orchestrator', kind: 'enforce', node: 'nope' }, 'node nope has nothing to enforce'],
    [{ actor: 'orchestrator', kind: 'shutdown-task', task: 'nope' }, 'task nope is not to be shut down'],
  ] as [Action, string][])('%j', (a, error) => {
    expect(step(s, a)).toEqual({ ok: false, error });
  });

  test('an action with no known actor is refused, not ignored', () => {
    expect(step(s, { kind: 'x' } as unknown as Action)).toEqual({
      ok: false,
      error: 'unknown actor undefined',
    });
    expect(step(s, { actor: 'nope' } as unknown as Action)).toEqual({
      ok: false,
      error: 'unknown actor "nope"',
    });
  });

  test('a failed task is restarted once: not again after its desired state was raised, not inside its delayed start', () => {
    // restart.go (Restart) acts on desired ≤ RUNNING only; a replacement that fails before its delayed
    // start fires waits for it (waitRestart).
    let x = create(three(), service('web', { replicas: 1 }));
    const first = serviceTasks(x, 'web')[0];
    x = settled(act(x, { actor: 'fault', kind: 'exit', task: first.id, code: 1 }));
    expect(step(x, { actor: 'restart', kind: 'restart-task', task: first.id })).toEqual({
      ok: false,
      error: `task ${first.id} is not to be restarted`,
    });
    const parked = serviceTasks(x, 'web').find((t) => t.id !== first.id)!;
    expect(parked.delayed).not.toBeNull();
    x = act(x, { actor: 'fault', kind: 'reject', task: parked.id });
    expect(step(x, { actor: 'restart', kind: 'restart-task', task: parked.id })).toEqual({
      ok: false,
      error: `task ${parked.id} is not to be restarted`,
    });
  });

  test('a new task starts with the status NewTask gives it', () => {
    // task.go (NewTask): state NEW, message "created", no error.
    const x = run(three(), { kind: 'service.create', spec: service('api', { replicas: 1 }) });
    const reconcile = enabled(x).find((a) => a.actor === 'orchestrator')!;
    const t = serviceTasks(act(x, reconcile), 'api')[0];
    expect([t.observed, t.message, t.err, t.desired]).toEqual(['new', 'created', '', 'running']);
  });
});
