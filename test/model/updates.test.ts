/**
 * Deterministic checks of the rolling updater, secrets/configs and the networking queries, each read
 * against SwarmKit's code (cited next to the rule in model/orchestrator/updater.ts, model/secrets.ts,
 * model/network.ts). The random-run properties are in properties/updates.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { nextDeadline } from '../../model/clock.ts';
import {
  type Action,
  enabled,
  forgetUpdaters,
  hostPortAnswers,
  ingressAnswers,
  mountPaths,
  objectsOnNode,
  raftAtRest,
  type State,
  serviceVips,
  settle,
  step,
  updateObject,
} from '../../model/index.ts';
import { act, cluster, create, refuse, run, service, serviceTasks, settled, waited } from './helpers.ts';

const status = (s: State, name = 'web') =>
  s.services.find((x) => x.spec.name === name)?.updateStatus?.state ?? null;
const newest = (s: State, name = 'web') => {
  const ts = serviceTasks(s, name).filter((t) => t.observed === 'running');
  return ts[ts.length - 1];
};
const exit = (s: State, task: string, code = 1) =>
  settled(act(s, { actor: 'fault', kind: 'exit', task, code }));

describe('rolling updater', () => {
  test('never roll back a rollback: ROLLBACK_PAUSED, then the same updater completes (→ COMPLETED)', () => {
    // updater.go (Run): the ROLLBACK case under ROLLBACK_STARTED calls pauseUpdate but does not set
    // `stopped`, so the updater monitors and then completeUpdate writes COMPLETED over ROLLBACK_PAUSED.
    let s = cluster([{ hostname: 'm1' }]);
    const cfg = {
      parallelism: 1,
      delayMs: 0,
      failureAction: 'rollback' as const,
      monitorMs: 20_000,
      maxFailureRatio: 0,
      order: 'stop-first' as const,
    };
    s = create(s, service('web', { replicas: 2, update: cfg, rollback: cfg }));
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:bad' } }));
    expect(status(s)).toBe('updating');
    s = exit(s, newest(s).id);
    expect(status(s)).toBe('rollback_started');
    // The rollback's own new task fails inside the final monitor period: pauseUpdate, then (loop left,
    // `stopped` unset) completeUpdate at once.
    const r = settle(act(s, { actor: 'fault', kind: 'exit', task: newest(s).id, code: 1 }));
    const seen = r.steps.map((x) => status(x.state)).filter((v, i, a) => i === 0 || v !== a[i - 1]);
    expect(seen).toEqual(['rollback_started', 'rollback_paused', 'completed']);
  });

  test('a leader change forgets the updater but keeps UPDATING; the new updater does not restart the status', () => {
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 2 }));
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } }));
    expect(s.updaters).toHaveLength(1);
    const before = s.services[0].updateStatus;
    const lost = forgetUpdaters(s);
    expect(lost.updaters).toEqual([]);
    expect(lost.services[0].updateStatus).toBe(before);
  });

  test('failures are counted from zero by a new updater, and the ratio is strict (1 of 2 with ratio 0.5 does not pause)', () => {
    let s = cluster([{ hostname: 'm1' }]);
    s = create(
      s,
      service('web', {
        replicas: 2,
        update: {
          parallelism: 0,
          delayMs: 0,
          failureAction: 'pause',
          monitorMs: 20_000,
          maxFailureRatio: 0.5,
          order: 'stop-first',
        },
      }),
    );
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } }));
    const [a, b] = serviceTasks(s, 'web').filter((t) => t.observed === 'running');
    s = exit(s, a.id);
    expect(status(s)).toBe('updating');
    s = exit(s, b.id);
    expect(status(s)).toBe('paused');
  });
});

describe('rolling updater: several at once, a slot gone, steps with nothing to do', () => {
  const cfg = {
    parallelism: 1,
    delayMs: 10_000,
    failureAction: 'pause' as const,
    monitorMs: 5000,
    maxFailureRatio: 0,
    order: 'stop-first' as const,
  };

  test('two services update side by side: each updater keeps its own memory and completes', () => {
    // updater.go (Supervisor): one updater per service, independent of the others.
    let s = cluster([{ hostname: 'm1' }, { hostname: 'w1' }]);
    s = create(s, service('web', { replicas: 2, update: cfg }));
    s = create(s, service('api', { replicas: 2, update: cfg }));
    s = run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } });
    s = settled(run(s, { kind: 'service.update', service: 'api', update: { image: 'nginx:2' } }));
    expect(s.updaters.map((u) => u.serviceId).sort()).toEqual(s.services.map((x) => x.id).sort());
    s = waited(s, 120_000);
    expect([status(s, 'web'), status(s, 'api')]).toEqual(['completed', 'completed']);
    expect(s.updaters).toEqual([]);
  });

  test('a global slot whose node was removed before its turn is skipped; the update completes', () => {
    let s = cluster([{ hostname: 'a' }, { hostname: 'b' }, { hostname: 'c' }]);
    s = create(s, { ...service('mon', { update: cfg }), mode: 'global', replicas: undefined });
    s = settled(run(s, { kind: 'service.update', service: 'mon', update: { image: 'nginx:2' } }));
    // The first slot is being updated (10 s delay before the next): remove node c now.
    s = settled(run(s, { kind: 'node.rm', node: 'c', force: true }));
    s = waited(s, 120_000);
    expect(status(s, 'mon')).toBe('completed');
    const running = serviceTasks(s, 'mon').filter((t) => t.observed === 'running');
    expect(
      running.map((t) => [s.nodes.find((n) => n.id === t.nodeId)?.hostname, t.spec.image]).sort(),
    ).toEqual([
      ['a', 'nginx:2'],
      ['b', 'nginx:2'],
    ]);
  });

  test('the same update sent again mid-update keeps the running updater, and the status stays cleared', () => {
    // controlapi UpdateService bumps SpecVersion and clears UpdateStatus even for an identical spec;
    // Supervisor.Update keeps an updater whose spec is deep-equal; that updater's completeUpdate finds
    // the status nil and leaves it so (updater.go (completeUpdate)).
    let s = cluster([{ hostname: 'm1' }, { hostname: 'w1' }]);
    s = create(s, service('web', { replicas: 3, update: cfg }));
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } }));
    const before = s.updaters[0];
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } }));
    expect(status(s)).toBe(null);
    expect(s.updaters).toHaveLength(1);
    expect(s.updaters[0].version).toBe(before.version);
    s = waited(s, 120_000);
    expect(s.updaters).toEqual([]);
    expect(status(s)).toBe(null);
    expect(
      serviceTasks(s, 'web')
        .filter((t) => t.observed === 'running')
        .map((t) => t.spec.image),
    ).toEqual(['nginx:2', 'nginx:2', 'nginx:2']);
  });

  test('an updater starting after the user asked for a rollback does not overwrite ROLLBACK_STARTED', () => {
    // updater.go (startUpdate) writes UPDATING only over a nil status, read in its own transaction.
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 2, update: cfg }));
    s = run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } });
    s = act(s, enabled(s).find((a) => a.actor === 'orchestrator')!); // the updater exists, not started
    s = run(s, { kind: 'service.rollback', service: 'web' });
    expect(status(s)).toBe('rollback_started');
    s = act(s, { actor: 'updater', kind: 'update-start', service: s.services[0].id });
    expect(status(s)).toBe('rollback_started');
  });

  test('an update replaces a task that already stopped for good (restart condition none)', () => {
    // The slot still counts (its last task, UpdatableTasksInSlot); removeOldTasks skips a task that was
    // already desired past RUNNING in the orchestrator's snapshot, so the new task is created.
    let s = cluster([{ hostname: 'm1' }]);
    s = create(
      s,
      service(
        'web',
        { replicas: 1, update: cfg },
        { restart: { condition: 'none', delayMs: 0, maxAttempts: 0, windowMs: 0 } },
      ),
    );
    s = exit(s, serviceTasks(s, 'web')[0].id, 0);
    expect(serviceTasks(s, 'web').filter((t) => t.observed === 'running')).toEqual([]);
    s = waited(
      settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } })),
      60_000,
    );
    expect(
      serviceTasks(s, 'web')
        .filter((t) => t.observed === 'running')
        .map((t) => t.spec.image),
    ).toEqual(['nginx:2']);
  });

  test('a failure action "rollback" does nothing once a user update cleared the status', () => {
    // updater.go (rollbackUpdate): a nil UpdateStatus means the user changed the service since.
    const rollback = { ...cfg, failureAction: 'rollback' as const, delayMs: 0 };
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 2, update: rollback }));
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } }));
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } }));
    expect(status(s)).toBe(null);
    s = exit(s, newest(s).id);
    expect(status(s)).toBe(null);
    expect(s.services[0].spec.task.image).toBe('nginx:2');
  });

  test('failure action "continue": a failed new task is not even examined; the update completes', () => {
    // updater.go (Run) opens its failure watch only when FailureAction is not CONTINUE.
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 2, update: { ...cfg, failureAction: 'continue', delayMs: 0 } }));
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } }));
    s = exit(s, newest(s).id);
    expect(enabled(s).filter((a) => a.kind === 'update-failure')).toEqual([]);
    s = waited(s, 60_000);
    expect(status(s)).toBe('completed');
    expect(s.services[0].spec.task.image).toBe('nginx:2');
  });

  test('once paused, the updater reads no more failures: the status names the first failed task', () => {
    let s = cluster([{ hostname: 'm1' }]);
    s = create(
      s,
      service('web', { replicas: 3, update: { ...cfg, parallelism: 0, delayMs: 0, monitorMs: 30_000 } }),
    );
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } }));
    const [a, b] = serviceTasks(s, 'web').filter(
      (t) => t.observed === 'running' && t.spec.image === 'nginx:2',
    );
    s = exit(s, a.id);
    expect(s.services[0].updateStatus).toMatchObject({
      state: 'paused',
      message: expect.stringContaining(a.id),
    });
    s = exit(s, b.id);
    expect(s.services[0].updateStatus).toMatchObject({
      state: 'paused',
      message: expect.stringContaining(a.id),
    });
  });

  test('a task already at the new task spec is reused by the next updater, not replaced (useExistingTask)', () => {
    // Start-first creates the new task desired READY; before it starts, a service-label change makes a
    // new updater. The new task's spec is unchanged (labels are not part of the task spec), so that
    // updater reuses it: the old task is shut down, the reused one is started, nothing else is created.
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 1, update: { ...cfg, order: 'start-first', delayMs: 0 } }));
    const old = serviceTasks(s, 'web')[0];
    s = run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } });
    const fresh = (x: State) => serviceTasks(x, 'web').find((t) => t.id !== old.id);
    for (let i = 0; i < 20 && !fresh(s); i++)
      s = act(s, enabled(s).find((a) => a.actor === 'orchestrator' || a.actor === 'updater')!);
    const reused = fresh(s)!;
    expect(reused.desired).toBe('ready');
    s = run(s, { kind: 'service.update', service: 'web', update: { labelAdd: { k: 'v' } } });
    // The new updater takes the slot before the restart supervisor starts the task.
    const driver = (x: State) =>
      enabled(x).find((a) => a.actor === 'orchestrator') ??
      enabled(x).find((a) => a.actor === 'updater' && a.kind !== 'update-monitor');
    for (let a = driver(s), i = 0; a && i < 20; a = driver(s), i++) s = act(s, a);
    expect(serviceTasks(s, 'web').map((t) => [t.id, t.desired])).toEqual([
      [old.id, 'shutdown'],
      [reused.id, 'ready'],
    ]);
    expect(s.updaters[0].workers[0]).toMatchObject({ wait: 'existing', task: reused.id });
    // useExistingTask waits for the delayed start only (which waits for the old task to stop), not for
    // the reused task to run.
    for (let i = 0; i < 10 && serviceTasks(s, 'web')[0].observed === 'running'; i++)
      s = act(s, enabled(s).find((a) => a.actor === 'agent' && a.task === old.id)!);
    s = act(s, { actor: 'restart', kind: 'start-task', task: reused.id });
    expect(serviceTasks(s, 'web').find((t) => t.id === reused.id)!.observed).not.toBe('running');
    expect(enabled(s).some((a) => a.kind === 'update-slot-done')).toBe(true);
    s = settled(s);
    expect(serviceTasks(s, 'web').map((t) => [t.id, t.desired])).toEqual([
      [old.id, 'shutdown'],
      [reused.id, 'running'],
    ]);
    s = waited(s, 60_000);
    expect(status(s)).toBe('completed');
  });

  test('the clock stops at a free worker’s end of delay; a paused updater leaves no deadline', () => {
    // model/clock.ts: time jumps to the next deadline; an updater's are a free worker's end of delay
    // and the end of the monitor period, and a stopped updater has none (updater.go (Run) has left).
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 3, update: { ...cfg, delayMs: 4000 } }));
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } }));
    const w = s.updaters[0].workers[0];
    expect(w).toMatchObject({ wait: 'none', readyAt: s.now + 4000 });
    expect(nextDeadline(s)).toBe(s.now + 4000);
    s = exit(s, newest(s).id);
    expect(status(s)).toBe('paused');
    expect(nextDeadline(s)).toBe(nextDeadline(forgetUpdaters(s)));
  });

  test('a new leader finds UPDATING with every slot already updated: its updater completes at once', () => {
    // updater.go (Run): no dirty slot and a status of UPDATING (or ROLLBACK_STARTED) → completeUpdate.
    let s = cluster([
      { hostname: 'm1' },
      { hostname: 'm2', role: 'manager' },
      { hostname: 'm3', role: 'manager' },
    ]);
    s = create(s, service('web', { replicas: 2, update: { ...cfg, delayMs: 0, monitorMs: 60_000 } }));
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } }));
    expect(s.updaters[0].phase).toBe('monitor'); // every slot done, watching for failures
    expect(status(s)).toBe('updating');
    const leader = s.raft.leader;
    s = settled(act(s, { actor: 'fault', kind: 'crash', node: leader }));
    expect(s.raft.leader).not.toBe(leader);
    expect(status(s)).toBe('completed');
  });

  test('start-first: a new task that fails instead of running leaves the old one running', () => {
    // updater.go (updateTask): the old tasks are removed only when the new one is observed RUNNING;
    // a new task that ends FAILED/REJECTED ends the worker's wait without touching them.
    let s = cluster([{ hostname: 'm1' }]);
    s = create(
      s,
      service('web', { replicas: 1, update: { ...cfg, order: 'start-first', failureAction: 'continue' } }),
    );
    const old = serviceTasks(s, 'web')[0];
    s = run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } });
    const fresh = (x: State) => serviceTasks(x, 'web').find((t) => t.id !== old.id && t.nodeId !== '');
    for (let i = 0; i < 30 && !fresh(s); i++)
      s = act(s, enabled(s).find((a) => a.actor !== 'agent' && a.actor !== 'clock')!);
    s = act(s, { actor: 'fault', kind: 'reject', task: fresh(s)!.id });
    const done = enabled(s).find((a) => a.kind === 'update-slot-done')!;
    expect(done).toBeDefined();
    s = act(s, done);
    expect(serviceTasks(s, 'web').find((t) => t.id === old.id)).toMatchObject({
      desired: 'running',
      observed: 'running',
    });
  });

  test('a failure after the monitor period has run out is not read: the update completes', () => {
    // updater.go (Run): the monitor loop ends when its timer fires; events after that are not examined.
    let s = cluster([{ hostname: 'm1' }]);
    s = create(
      s,
      service('web', { replicas: 2, update: { ...cfg, parallelism: 0, delayMs: 0, monitorMs: 5000 } }),
    );
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } }));
    const u = s.updaters[0];
    expect(u.phase).toBe('monitor');
    s = act(s, { actor: 'clock', kind: 'advance', to: u.monitorUntil + 1000 });
    s = act(s, { actor: 'fault', kind: 'exit', task: newest(s).id, code: 1 });
    expect(enabled(s).filter((a) => a.kind === 'update-failure')).toEqual([]);
    s = settled(s);
    expect(status(s)).toBe('completed');
  });

  test('a failure while slots are still being handed out is read at once and pauses', () => {
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 3, update: { ...cfg, delayMs: 10_000 } }));
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } }));
    expect(s.updaters[0].slots.length).toBeGreaterThan(0); // two slots left, the worker sleeping
    s = act(s, { actor: 'fault', kind: 'exit', task: newest(s).id, code: 1 });
    expect(enabled(s).filter((a) => a.kind === 'update-failure')).toHaveLength(1);
    expect(status(settled(s))).toBe('paused');
  });

  test('updater steps that have nothing to do are refused, with the reason', () => {
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 2, update: cfg }));
    const id = s.services[0].id;
    const refused = (x: State, a: Action) => {
      const r = step(x, a);
      return r.ok ? 'accepted' : r.error;
    };
    expect(refused(s, { actor: 'updater', kind: 'update-start', service: id })).toBe(
      `no updater for service ${id}`,
    );
    s = run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } });
    s = act(s, enabled(s).find((a) => a.actor === 'orchestrator')!);
    expect(refused(s, { actor: 'updater', kind: 'update-slot', service: id, worker: 0 })).toBe(
      `no slot to hand out for ${id}`,
    );
    expect(refused(s, { actor: 'updater', kind: 'update-monitor', service: id })).toBe(
      `the updater of ${id} is not done with its slots`,
    );
    expect(refused(s, { actor: 'updater', kind: 'update-complete', service: id })).toBe(
      `the monitor period of ${id} runs`,
    );
    expect(refused(s, { actor: 'updater', kind: 'update-failure', service: id, task: 'nope' })).toBe(
      'no failure of nope to examine',
    );
    s = act(s, { actor: 'updater', kind: 'update-start', service: id });
    expect(refused(s, { actor: 'updater', kind: 'update-start', service: id })).toBe(
      `the updater of ${id} has started`,
    );
    s = act(s, { actor: 'updater', kind: 'update-slot', service: id, worker: 0 });
    expect(refused(s, { actor: 'updater', kind: 'update-slot', service: id, worker: 0 })).toBe(
      'worker 0 is busy',
    );
    expect(refused(s, { actor: 'updater', kind: 'update-slot-done', service: id, worker: 0 })).toBe(
      'worker 0 is still waiting',
    );
  });
});

describe('secrets and configs', () => {
  test('delivered only to nodes running a task that references them, withdrawn with the last one', () => {
    let s = cluster([{ hostname: 'm1', availability: 'drain' }, { hostname: 'w1' }, { hostname: 'w2' }]);
    s = run(s, { kind: 'secret.create', name: 'db', sizeBytes: 100, labels: {} });
    s = run(s, { kind: 'config.create', name: 'conf', sizeBytes: 100, labels: {} });
    s = create(
      s,
      service(
        'web',
        { replicas: 1 },
        { secrets: [{ name: 'db', target: 'db' }], configs: [{ name: 'conf', target: 'conf' }] },
      ),
    );
    const t = serviceTasks(s, 'web')[0];
    const on = s.nodes.find((n) => n.id === t.nodeId)!;
    const off = s.nodes.find((n) => n.hostname !== on.hostname && n.hostname !== 'm1')!;
    expect(objectsOnNode(s, on.id)).toEqual({ secrets: ['db'], configs: ['conf'] });
    expect(objectsOnNode(s, off.id)).toEqual({ secrets: [], configs: [] });
    expect(mountPaths(t)).toEqual([
      { kind: 'secret', name: 'db', path: '/run/secrets/db', tmpfs: true },
      { kind: 'config', name: 'conf', path: '/conf', tmpfs: true },
    ]);
    // Scaled to 0: withdrawn everywhere; still referenced by the spec, so rm is refused (secret.go (RemoveSecret)).
    s = settled(run(s, { kind: 'service.scale', scales: [{ service: 'web', replicas: 0 }] }));
    expect(s.agentObjects).toEqual([]);
    expect(refuse(s, { kind: 'secret.rm', name: 'db' })).toBe(
      "secret 'db' is in use by the following service: web",
    );
    expect(refuse(s, { kind: 'config.rm', name: 'conf' })).toBe(
      "config 'conf' is in use by the following service: web",
    );
  });

  test('immutable but for labels; size limits as in code (secret < 500 KiB, config < 1000 KiB)', () => {
    let s = cluster([{ hostname: 'm1' }]);
    s = run(s, { kind: 'secret.create', name: 'db', sizeBytes: 100, labels: {} });
    const up = updateObject(s, 'secret', 'db', { name: 'db', sizeBytes: 100, labels: { a: 'b' } });
    expect(up.ok && up.state.secrets[0].labels).toEqual({ a: 'b' });
    const bad = updateObject(s, 'secret', 'db', { name: 'db', sizeBytes: 101, labels: {} });
    expect(bad).toEqual({ ok: false, error: 'only updates to Labels are allowed' });
    expect(refuse(s, { kind: 'secret.create', name: 'big', sizeBytes: 500 * 1024, labels: {} })).toBe(
      'secret data must be larger than 0 and less than 512000 bytes',
    );
    s = run(s, { kind: 'config.create', name: 'big', sizeBytes: 500 * 1024, labels: {} });
    expect(refuse(s, { kind: 'config.create', name: 'huge', sizeBytes: 1000 * 1024, labels: {} })).toBe(
      'config data must be larger than 0 and less than 1024000 bytes',
    );
    expect(raftAtRest(s).covers).toContain('configs');
  });
});

describe('networking', () => {
  const port = (publishedPort: number, mode: 'ingress' | 'host' = 'ingress') => ({
    protocol: 'tcp' as const,
    targetPort: 80,
    publishedPort,
    mode,
  });

  test('routing mesh: every ready node answers on an ingress port; auto ports from 30000', () => {
    let s = cluster([{ hostname: 'm1' }, { hostname: 'w1' }, { hostname: 'w2' }]);
    s = create(s, service('web', { replicas: 1, endpoint: { mode: 'vip', ports: [port(0)] } }));
    const web = s.services[0];
    expect(web.ports[0].publishedPort).toBe(30000);
    const t = serviceTasks(s, 'web')[0];
    for (const n of s.nodes) expect([...ingressAnswers(s, n.hostname, 30000)]).toEqual([t.id]);
    expect(serviceVips(s, web)).toEqual([s.networks.find((w) => w.ingress)!.id]);
    s = settled(run(s, { kind: 'service.scale', scales: [{ service: 'web', replicas: 0 }] }));
    for (const n of s.nodes) expect(ingressAnswers(s, n.hostname, 30000).size).toBe(0);
  });

  test('host mode: only the node running the task answers', () => {
    let s = cluster([{ hostname: 'm1' }, { hostname: 'w1' }]);
    s = create(s, service('edge', { replicas: 1, endpoint: { mode: 'vip', ports: [port(8080, 'host')] } }));
    const t = serviceTasks(s, 'edge')[0];
    for (const n of s.nodes)
      expect(hostPortAnswers(s, n.hostname, 8080).size).toBe(n.id === t.nodeId ? 1 : 0);
    expect(ingressAnswers(s, 'm1', 8080).size).toBe(0);
  });

  test('refusals: dnsrr with ingress ports, port conflicts, explicit ingress attachment, unknown network', () => {
    let s = cluster([{ hostname: 'm1' }]);
    expect(
      refuse(s, {
        kind: 'service.create',
        spec: service('a', { endpoint: { mode: 'dnsrr', ports: [port(80)] } }),
      }),
    ).toBe("EndpointSpec: port published with ingress mode can't be used with dnsrr mode");
    s = create(s, service('a', { endpoint: { mode: 'vip', ports: [port(80)] } }));
    expect(
      refuse(s, {
        kind: 'service.create',
        spec: service('b', { endpoint: { mode: 'vip', ports: [port(80, 'host')] } }),
      }),
    ).toMatch(/^port '80' is already in use by service 'a' \(s\d+\) as an ingress port$/);
    expect(refuse(s, { kind: 'service.create', spec: service('c', {}, { networks: ['ingress'] }) })).toBe(
      'Service cannot be explicitly attached to the ingress network "ingress"',
    );
    expect(refuse(s, { kind: 'service.create', spec: service('c', {}, { networks: ['nope'] }) })).toBe(
      'network nope not found',
    );
    s = run(s, {
      kind: 'network.create',
      name: 'back',
      driver: 'overlay',
      attachable: false,
      ingress: false,
    });
    s = create(s, service('d', { endpoint: { mode: 'vip', ports: [] } }, { networks: ['back'] }));
    const d = s.services.find((x) => x.spec.name === 'd')!;
    expect(serviceVips(s, d)).toEqual([s.networks.find((w) => w.name === 'back')!.id]);
    s = create(s, service('e', { endpoint: { mode: 'dnsrr', ports: [] } }, { networks: ['back'] }));
    expect(serviceVips(s, s.services.find((x) => x.spec.name === 'e')!)).toEqual([]);
  });
});
