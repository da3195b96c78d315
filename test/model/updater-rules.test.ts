/**
 * The rolling updater's rules, one test per rule, each read against
 * moby/swarmkit:manager/orchestrator/update/updater.go (the function named next to the rule).
 * The broader scenarios are in updates.test.ts; the random-run properties in properties/updates.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { type Action, enabled, type State, step } from '../../model/index.ts';
import type { UpdateConfig } from '../../model/spec.ts';
import { act, cluster, create, run, service, serviceTasks, settled, waited } from './helpers.ts';

const status = (s: State, name = 'web') =>
  s.services.find((x) => x.spec.name === name)?.updateStatus?.state ?? null;
const exit = (s: State, task: string, code = 1) =>
  settled(act(s, { actor: 'fault', kind: 'exit', task, code }));
const refused = (s: State, a: Action) => {
  const r = step(s, a);
  return r.ok ? 'accepted' : r.error;
};
const updaterActions = (s: State, kind: Action['kind']) =>
  enabled(s).filter((a) => a.actor === 'updater' && a.kind === kind);

const base: UpdateConfig = {
  parallelism: 1,
  delayMs: 0,
  failureAction: 'pause',
  monitorMs: 5000,
  maxFailureRatio: 0,
  order: 'stop-first',
};

describe('updater: when the Run loop reads its failure watch', () => {
  test('a failure while the last slot’s worker sleeps its delay is read only in the monitor loop, too old to count', () => {
    // updater.go (Run): the watch is read inside the slotsLoop select (while a slot waits for a worker)
    // and the monitorLoop select; after the last slot is handed out Run sits in wg.Wait(), which lasts
    // until every worker has slept its Delay. The event waits in the watch queue, and
    // failureTriggersAction then measures time.Since(startedAt) against Monitor: 10 s > 5 s.
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 1, update: { ...base, delayMs: 10_000, monitorMs: 5000 } }));
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } }));
    const u = s.updaters[0];
    expect(u).toMatchObject({ phase: 'slots', slots: [] });
    expect(u.workers[0]).toMatchObject({ wait: 'none', readyAt: s.now + 10_000 });
    const fresh = serviceTasks(s, 'web').find((t) => t.spec.image === 'nginx:2' && t.observed === 'running')!;
    s = exit(s, fresh.id);
    expect(updaterActions(s, 'update-failure')).toEqual([]);
    expect(status(s)).toBe('updating');
    s = waited(s, 60_000);
    expect(status(s)).toBe('completed');
  });
});

describe('updater: a stopped updater finishes its in-flight slots', () => {
  // updater.go (Run): a failure action sets `stopped` and leaves slotsLoop, then close(slotQueue) and
  // wg.Wait(): the workers busy in updateTask carry on (stopChan is not closed), and a start-first
  // worker still shuts the old task down once its new task is RUNNING. Run returns after that.
  // Parallelism 2 of 3 slots: the third slot waits for a worker, so Run reads the watch (slotsLoop).
  const startFirst = { ...base, parallelism: 2, order: 'start-first' as const, monitorMs: 30_000 };

  function twoNewTasksStarting(): { s: State; old: string[] } {
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 3, update: startFirst }));
    const old = serviceTasks(s, 'web').map((t) => t.id);
    s = run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } });
    const placed = (x: State) =>
      serviceTasks(x, 'web').filter((t) => !old.includes(t.id) && t.nodeId !== '').length === 2;
    for (let i = 0; i < 60 && !placed(s); i++)
      s = act(s, enabled(s).find((a) => a.actor !== 'agent' && a.actor !== 'clock' && a.actor !== 'fault')!);
    expect(placed(s)).toBe(true);
    expect(s.updaters[0].workers.map((w) => w.wait)).toEqual(['create', 'create']);
    expect(s.updaters[0].slots).toHaveLength(1);
    return { s, old };
  }

  for (const first of ['update-failure', 'update-slot-done'] as const)
    test(`one new task rejected (${first} handled first): the pause lets the other two slots finish`, () => {
      let { s, old } = twoNewTasksStarting();
      const rejected = s.updaters[0].workers[0].task;
      s = act(s, { actor: 'fault', kind: 'reject', task: rejected });
      const failure = updaterActions(s, 'update-failure');
      const done = updaterActions(s, 'update-slot-done');
      expect(failure).toHaveLength(1);
      expect(done).toHaveLength(1);
      s = first === 'update-failure' ? act(act(s, failure[0]), done[0]) : act(act(s, done[0]), failure[0]);
      expect(status(s)).toBe('paused');
      expect(s.updaters).toHaveLength(1); // the other worker still waits for its new task
      s = settled(s);
      const byId = new Map(serviceTasks(s, 'web').map((t) => [t.id, t]));
      // The rejected task's slot keeps its old task; the other in-flight slot was replaced; the third
      // slot was never handed out.
      expect(old.map((id) => byId.get(id)?.desired)).toEqual(['running', 'shutdown', 'running']);
      expect(s.updaters).toEqual([]);
    });
});

describe('updater: never roll back a rollback, while slots are being handed out', () => {
  test('ROLLBACK_PAUSED leaves the slots loop; the slots not handed out stay; monitor, then COMPLETED', () => {
    // updater.go (Run): under ROLLBACK_STARTED the ROLLBACK action calls pauseUpdate and returns true
    // without setting `stopped`: slotsLoop is left (no further slot), the workers finish, the monitor
    // period runs (Delay ≥ Monitor → Delay + 1 s) and completeUpdate writes COMPLETED.
    const update = { ...base, parallelism: 0, failureAction: 'rollback' as const, monitorMs: 60_000 };
    const rollback = { ...base, delayMs: 10_000, failureAction: 'rollback' as const, monitorMs: 5000 };
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 3, update, rollback }));
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:bad' } }));
    const bad = serviceTasks(s, 'web').filter((t) => t.observed === 'running');
    expect(bad.map((t) => t.spec.image)).toEqual(['nginx:bad', 'nginx:bad', 'nginx:bad']);
    s = exit(s, bad[0].id);
    expect(status(s)).toBe('rollback_started');
    const u = s.updaters[0];
    expect(u).toMatchObject({ statusAtStart: 'rollback_started', phase: 'slots' });
    expect(u.slots.length).toBeGreaterThan(0); // slots still to hand out, the worker sleeping
    const first = u.updated.at(-1)!.task;
    s = exit(s, first);
    expect(status(s)).toBe('rollback_paused');
    // The slots not handed out keep their tasks: at least one nginx:bad task still runs.
    const stillBad = (x: State) =>
      serviceTasks(x, 'web').filter((t) => t.observed === 'running' && t.spec.image === 'nginx:bad');
    const left = stillBad(s).map((t) => t.id);
    expect(left.length).toBeGreaterThan(0);
    // The worker still sleeps its Delay; then the monitor period, Delay + 1 s (Delay ≥ Monitor).
    const end = s.updaters[0].workers[0].readyAt + 11_000;
    s = waited(s, end - 1 - s.now);
    expect(status(s)).toBe('rollback_paused');
    expect(stillBad(s).map((t) => t.id)).toEqual(left);
    s = waited(s, 1);
    expect(status(s)).toBe('completed');
  });
});

describe('updater: a step is refused while its goroutine would still block', () => {
  test('slots, delay, monitor, completion and failure steps each wait for what Run waits for', () => {
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 2, update: { ...base, delayMs: 4000, monitorMs: 10_000 } }));
    const id = s.services[0].id;
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } }));
    // One slot done, the worker sleeps its Delay (updater.go (worker): time.After(Delay) before it
    // takes from the queue again); one slot left.
    expect(s.updaters[0]).toMatchObject({ phase: 'slots', slots: [expect.any(Array)] });
    expect(s.updaters[0].workers).toHaveLength(1);
    expect(refused(s, { actor: 'updater', kind: 'update-slot', service: id, worker: 0 })).toBe(
      'worker 0 is busy',
    );
    expect(refused(s, { actor: 'updater', kind: 'update-slot', service: id, worker: 1 })).toBe(
      'worker 1 is busy',
    );
    // Run's slotsLoop still has the slot to hand out: no monitor period yet, even once the worker is free.
    s = act(s, { actor: 'clock', kind: 'advance', to: s.updaters[0].workers[0].readyAt });
    expect(refused(s, { actor: 'updater', kind: 'update-monitor', service: id })).toBe(
      `the updater of ${id} is not done with its slots`,
    );
    s = act(s, { actor: 'updater', kind: 'update-slot', service: id, worker: 0 });
    // Every slot handed out: no slot for a free worker.
    s = settled(s);
    s = act(s, { actor: 'clock', kind: 'advance', to: s.updaters[0].workers[0].readyAt });
    expect(s.updaters[0]).toMatchObject({ phase: 'slots', slots: [] });
    expect(refused(s, { actor: 'updater', kind: 'update-slot', service: id, worker: 0 })).toBe(
      `no slot to hand out for ${id}`,
    );
    s = act(s, { actor: 'updater', kind: 'update-monitor', service: id });
    const until = s.updaters[0].monitorUntil;
    expect(until).toBe(s.now + 10_000);
    // monitorLoop is entered once, and left when its timer fires.
    expect(refused(s, { actor: 'updater', kind: 'update-monitor', service: id })).toBe(
      `the updater of ${id} is not done with its slots`,
    );
    s = act(s, { actor: 'clock', kind: 'advance', to: until - 1 });
    expect(refused(s, { actor: 'updater', kind: 'update-complete', service: id })).toBe(
      `the monitor period of ${id} runs`,
    );
    // A failure event names its task: the Run loop examines that one, not another.
    const fresh = serviceTasks(s, 'web').filter((t) => t.observed === 'running');
    s = act(s, { actor: 'fault', kind: 'exit', task: fresh[1].id, code: 1 });
    expect(updaterActions(s, 'update-failure')).toEqual([
      { actor: 'updater', kind: 'update-failure', service: id, task: fresh[1].id },
    ]);
    expect(refused(s, { actor: 'updater', kind: 'update-failure', service: id, task: fresh[0].id })).toBe(
      `no failure of ${fresh[0].id} to examine`,
    );
  });

  test('Delay ≥ Monitor: the monitor period is Delay + 1 s (Delay = Monitor included)', () => {
    // updater.go (Run): `if updateConfig.Delay >= monitoringPeriod { monitoringPeriod = Delay + 1s }`.
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 1, update: { ...base, delayMs: 5000, monitorMs: 5000 } }));
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } }));
    const start = s.updaters[0].workers[0].readyAt;
    s = waited(s, start - s.now);
    expect(s.updaters[0]).toMatchObject({ phase: 'monitor', monitorUntil: start + 6000 });
    s = waited(s, 5999);
    expect(status(s)).toBe('updating');
    s = waited(s, 1);
    expect(status(s)).toBe('completed');
  });
});

describe('updater: a slot whose tasks are gone', () => {
  // A global task is deleted with its node (global.go: EventDeleteNode → deleteTask); the slots the
  // orchestrator passed still name it. Whatever the updater does with such a slot, the update ends
  // with the remaining nodes updated and the status COMPLETED.
  const cfg = { ...base, delayMs: 10_000, order: 'start-first' as const };
  const images = (s: State) =>
    serviceTasks(s, 'mon')
      .filter((t) => t.observed === 'running')
      .map((t) => [s.nodes.find((n) => n.id === t.nodeId)?.hostname, t.spec.image])
      .sort();

  test('start-first: the node of a slot not yet handed out is removed; the update completes', () => {
    let s = cluster([{ hostname: 'a' }, { hostname: 'b' }, { hostname: 'c' }]);
    s = create(s, { ...service('mon', { update: cfg }), mode: 'global', replicas: undefined });
    s = settled(run(s, { kind: 'service.update', service: 'mon', update: { image: 'nginx:2' } }));
    expect(s.updaters[0].slots).toHaveLength(2);
    s = settled(run(s, { kind: 'node.rm', node: 'c', force: true }));
    s = waited(s, 120_000);
    expect(status(s, 'mon')).toBe('completed');
    expect(images(s)).toEqual([
      ['a', 'nginx:2'],
      ['b', 'nginx:2'],
    ]);
  });

  test('the node is removed before the updater has started; the update completes', () => {
    let s = cluster([{ hostname: 'a' }, { hostname: 'b' }, { hostname: 'c' }]);
    s = create(s, { ...service('mon', { update: cfg }), mode: 'global', replicas: undefined });
    s = run(s, { kind: 'service.update', service: 'mon', update: { image: 'nginx:2' } });
    s = act(s, enabled(s).find((a) => a.actor === 'orchestrator')!);
    expect(s.updaters[0]).toMatchObject({ phase: 'start' });
    expect(s.updaters[0].slots).toHaveLength(3);
    s = run(s, { kind: 'node.rm', node: 'c', force: true });
    s = waited(s, 120_000);
    expect(status(s, 'mon')).toBe('completed');
    expect(images(s)).toEqual([
      ['a', 'nginx:2'],
      ['b', 'nginx:2'],
    ]);
  });
});

describe('updater: a task already at the new spec is used, not replaced (worker, useExistingTask)', () => {
  // Start-first creates the new task desired READY; a service-label change (not part of the task spec)
  // then makes a new updater whose slot holds the old task and that clean one.
  const cfg = { ...base, order: 'start-first' as const, monitorMs: 10_000 };
  function newTaskCreated(): { s: State; old: string; fresh: string } {
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 1, update: cfg }));
    const old = serviceTasks(s, 'web')[0].id;
    s = run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } });
    const fresh = (x: State) => serviceTasks(x, 'web').find((t) => t.id !== old);
    for (let i = 0; i < 20 && !fresh(s); i++)
      s = act(s, enabled(s).find((a) => a.actor === 'orchestrator' || a.actor === 'updater')!);
    return { s, old, fresh: fresh(s)!.id };
  }
  const drive = (s: State, actors: string[]) => {
    for (let i = 0; i < 30; i++) {
      const a = enabled(s).find((x) => actors.includes(x.actor) && x.kind !== 'update-monitor');
      if (!a) break;
      s = act(s, a);
    }
    return s;
  };
  const desired = (s: State) => serviceTasks(s, 'web').map((t) => [t.id, t.desired]);

  test('desired RUNNING: the old task is shut down, nothing is created and nothing waited for', () => {
    let { s, old, fresh } = newTaskCreated();
    s = act(s, { actor: 'restart', kind: 'start-task', task: fresh });
    expect(desired(s)).toEqual([
      [old, 'running'],
      [fresh, 'running'],
    ]);
    s = run(s, { kind: 'service.update', service: 'web', update: { labelAdd: { k: 'v' } } });
    s = drive(s, ['orchestrator', 'updater']);
    expect(desired(s)).toEqual([
      [old, 'shutdown'],
      [fresh, 'running'],
    ]);
    // useExistingTask arms no delayed start for a task already desired RUNNING; the worker is free.
    expect(serviceTasks(s, 'web')[1].delayed).toBe(null);
    expect(s.updaters[0].workers[0].wait).toBe('none');
  });

  test('desired READY: its start waits for the old task to stop; a reused task that runs is kept', () => {
    let { s, old, fresh } = newTaskCreated();
    s = run(s, { kind: 'service.update', service: 'web', update: { labelAdd: { k: 'v' } } });
    s = drive(s, ['orchestrator', 'updater']);
    expect(desired(s)).toEqual([
      [old, 'shutdown'],
      [fresh, 'ready'],
    ]);
    // DelayStart(…, oldTask, existing.ID, 0, true): waitStop while the old task is still running.
    const starts = (x: State) =>
      enabled(x).filter((a) => a.actor === 'restart' && a.kind === 'start-task' && a.task === fresh);
    expect(serviceTasks(s, 'web')[0].observed).toBe('running');
    expect(starts(s)).toEqual([]);
    s = drive(s, ['agent', 'dispatcher']);
    expect(serviceTasks(s, 'web')[0].observed).not.toBe('running');
    expect(starts(s)).toHaveLength(1);
    s = act(s, starts(s)[0]);
    // Let the reused task run before the worker's wait is handled: the worker does not touch it.
    s = drive(s, ['allocator', 'scheduler', 'dispatcher', 'agent']);
    expect(serviceTasks(s, 'web')[1].observed).toBe('running');
    s = act(s, updaterActions(s, 'update-slot-done')[0]);
    expect(desired(s)).toEqual([
      [old, 'shutdown'],
      [fresh, 'running'],
    ]);
  });

  test('the old task is the clean one (update reverted): the new task is shut down', () => {
    let { s, old, fresh } = newTaskCreated();
    s = run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx' } });
    s = drive(s, ['orchestrator', 'updater']);
    expect(desired(s)).toEqual([
      [old, 'running'],
      [fresh, 'shutdown'],
    ]);
  });
});

describe('updater: Supervisor.Update', () => {
  const cfg = { ...base, delayMs: 10_000, monitorMs: 5000 };

  test('an update reverted before any slot was touched cancels the updater; nothing is replaced', () => {
    // updater.go (Supervisor.Update): the old updater (other spec) is cancelled; the new one finds no
    // dirty slot and a nil status (the revert cleared it) and returns.
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 2, update: cfg }));
    const before = serviceTasks(s, 'web').map((t) => t.id);
    s = run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } });
    s = act(s, enabled(s).find((a) => a.actor === 'orchestrator')!);
    expect(s.updaters).toHaveLength(1);
    s = run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx' } });
    s = waited(s, 60_000);
    expect(s.updaters).toEqual([]);
    expect(status(s)).toBe(null);
    expect(serviceTasks(s, 'web').map((t) => [t.id, t.desired, t.spec.image])).toEqual(
      before.map((id) => [id, 'running', 'nginx']),
    );
  });

  test('each service keeps its own updater: the same update sent again to the second one changes nothing', () => {
    // Supervisor.updates is keyed by service ID; a deep-equal spec keeps the running updater, whose
    // completeUpdate then finds the status cleared by the control API and leaves it nil.
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('api', { replicas: 2, update: cfg }));
    s = create(s, service('web', { replicas: 2, update: cfg }));
    s = settled(run(s, { kind: 'service.update', service: 'api', update: { image: 'nginx:2' } }));
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } }));
    const web = s.services.find((x) => x.spec.name === 'web')!.id;
    expect(s.updaters.map((u) => u.serviceId)).toEqual([
      s.services.find((x) => x.spec.name === 'api')!.id,
      web,
    ]);
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } }));
    expect(status(s, 'web')).toBe(null);
    s = waited(s, 120_000);
    expect([status(s, 'api'), status(s, 'web')]).toEqual(['completed', null]);
  });

  test('a new leader finds ROLLBACK_PAUSED: no updater (Run returns at once), the tasks stay', () => {
    // updater.go (Run): "If the update is in a PAUSED state, we should not do anything."
    const update = { ...base, parallelism: 0, failureAction: 'rollback' as const, monitorMs: 60_000 };
    const rollback = { ...base, delayMs: 10_000, failureAction: 'rollback' as const, monitorMs: 5000 };
    let s = cluster([
      { hostname: 'm1' },
      { hostname: 'm2', role: 'manager' },
      { hostname: 'm3', role: 'manager' },
    ]);
    s = create(s, service('web', { replicas: 3, update, rollback }));
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:bad' } }));
    s = exit(s, serviceTasks(s, 'web').filter((t) => t.observed === 'running')[0].id);
    expect(status(s)).toBe('rollback_started');
    s = exit(s, s.updaters[0].updated.at(-1)!.task);
    expect(status(s)).toBe('rollback_paused');
    const bad = (x: State) =>
      serviceTasks(x, 'web')
        .filter((t) => t.desired === 'running' && t.spec.image === 'nginx:bad')
        .map((t) => t.id);
    const kept = bad(s);
    expect(kept.length).toBeGreaterThan(0);
    const leader = s.raft.leader;
    s = settled(act(s, { actor: 'fault', kind: 'crash', node: leader }));
    expect(s.raft.leader).not.toBe(leader);
    s = waited(s, 120_000);
    expect(s.updaters).toEqual([]);
    expect(status(s)).toBe('rollback_paused');
    expect(bad(s)).toEqual(kept);
  });
});

describe('updater: the failure window is measured from each task’s own RUNNING', () => {
  test('a task that failed more than Monitor after it ran does not count, though a later task just ran', () => {
    // updater.go (updateTask) stamps updatedTasks[id] = time.Now() for the task whose event it got;
    // failureTriggersAction counts a failure only within Monitor of that task's stamp.
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 3, update: { ...base, delayMs: 4000, monitorMs: 5000 } }));
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } }));
    const first = s.updaters[0].updated.at(-1)!;
    expect(first.at).toBe(s.now);
    s = waited(s, 4000); // the second slot: its new task runs at +4 s
    expect(s.updaters[0].updated.at(-1)!.task).not.toBe(first.task);
    expect(s.updaters[0].slots).toHaveLength(1);
    s = waited(s, 2000);
    s = exit(s, first.task); // +6 s after the first task ran: 6 s > 5 s
    expect(status(s)).toBe('updating');
    expect(s.updaters[0].failures).toBe(0);
  });
});

describe('updater: steps are pure', () => {
  test('handing out a slot leaves the state it was applied to unchanged', () => {
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 2, update: base }));
    s = run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } });
    for (let i = 0; i < 10 && updaterActions(s, 'update-slot').length === 0; i++)
      s = act(s, enabled(s).find((a) => a.actor === 'orchestrator' || a.actor === 'updater')!);
    const before = JSON.stringify(s.updaters);
    act(s, updaterActions(s, 'update-slot')[0]);
    expect(JSON.stringify(s.updaters)).toBe(before);
  });
});

describe('updater: updateTask waits for the delayed start before it reads the task’s events', () => {
  test('stop-first: a new task rejected while the old one still runs ends the wait only once its start fired', () => {
    // updater.go (updateTask): `<-delayStartCh` first (DelayStart waits for the old task to stop),
    // then the event loop, which finds the rejection (≥ RUNNING) queued.
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 1, update: { ...base, failureAction: 'continue' } }));
    const old = serviceTasks(s, 'web')[0].id;
    s = run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } });
    const fresh = (x: State) => serviceTasks(x, 'web').find((t) => t.id !== old && t.nodeId !== '');
    for (let i = 0; i < 30 && !fresh(s); i++)
      s = act(s, enabled(s).find((a) => a.actor !== 'agent' && a.actor !== 'clock' && a.actor !== 'fault')!);
    const t = fresh(s)!;
    expect(t.delayed).toMatchObject({ oldTaskId: old });
    expect(serviceTasks(s, 'web')[0].observed).toBe('running');
    s = act(s, { actor: 'fault', kind: 'reject', task: t.id });
    expect(updaterActions(s, 'update-slot-done')).toEqual([]);
    s = waited(s, 60_000);
    expect(s.updaters).toEqual([]);
    expect(status(s)).toBe('completed');
  });
});

/** Takes the first enabled action that `pick` accepts until `done` holds (and checks that it does). */
function until(s: State, done: (x: State) => boolean, pick: (a: Action) => boolean, max = 80): State {
  for (let i = 0; i < max && !done(s); i++) {
    const a = enabled(s).find(pick);
    if (!a) break;
    s = act(s, a);
  }
  expect(done(s)).toBe(true);
  return s;
}
const byId = (s: State, id: string) => s.tasks.find((t) => t.id === id);
const control = (a: Action) => a.actor === 'orchestrator' || a.actor === 'updater';

describe('updater: rollbackUpdate with no PreviousSpec', () => {
  test('a failure action "rollback" after a completed rollback changes nothing: the transaction fails', () => {
    // The automatic rollback cleared PreviousSpec; "never roll back a rollback" paused it, and the same
    // updater then wrote COMPLETED (see above). The slots it never handed out are still dirty, so the
    // orchestrator starts an updater from COMPLETED, with Spec.Update (failure action ROLLBACK).
    // updater.go (rollbackUpdate): "cannot roll back service because no previous spec is available",
    // the store transaction is discarded; Run has set `stopped` and returns without completeUpdate.
    const update = { ...base, parallelism: 0, failureAction: 'rollback' as const, monitorMs: 60_000 };
    const rollback = { ...base, delayMs: 10_000, failureAction: 'rollback' as const, monitorMs: 5000 };
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 3, update, rollback }));
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:bad' } }));
    s = exit(s, serviceTasks(s, 'web').filter((t) => t.observed === 'running')[0].id);
    s = exit(s, s.updaters[0].updated.at(-1)!.task);
    expect(status(s)).toBe('rollback_paused');
    s = waited(s, s.updaters[0].workers[0].readyAt + 11_000 - s.now);
    expect(status(s)).toBe('completed');
    const svc = s.services[0];
    expect(svc.previousSpec).toBe(null);
    expect(svc.spec.task.image).toBe('nginx');
    const u = s.updaters[0];
    expect(u).toMatchObject({ statusAtStart: 'completed', phase: 'monitor' });
    // One task of this updater fails within Monitor: 1 of the dirty slots > ratio 0.
    s = exit(s, u.updated[0].task);
    expect(status(s)).toBe('completed');
    expect(s.services[0].spec).toEqual(svc.spec);
    expect(s.services[0].version).toBe(svc.version);
    expect(s.updaters).toEqual([]);
  });
});

describe('updater: useExistingTask waits only for the delayed start', () => {
  test('the reused task is deleted with its node while its start waits: the worker is free, the update completes', () => {
    // updater.go (useExistingTask) blocks on delayStartCh alone; restart.go (DelayStart) waits for the
    // old task to stop or its node to go DOWN or be deleted, and StartNow finds no task. The node's
    // deletion ends that wait; the worker then takes its delay and Run goes on.
    const cfg = { ...base, order: 'start-first' as const, monitorMs: 10_000 };
    let s = cluster([{ hostname: 'm1' }, { hostname: 'w' }]);
    const spec = service('mon', { mode: 'global', replicas: undefined, update: cfg });
    s = create(s, {
      ...spec,
      task: { ...spec.task, placement: { ...spec.task.placement, constraints: ['node.hostname==w'] } },
    });
    const [old] = serviceTasks(s, 'mon');
    s = run(s, { kind: 'service.update', service: 'mon', update: { image: 'nginx:2' } });
    s = until(s, (x) => serviceTasks(x, 'mon').length === 2, control);
    const fresh = serviceTasks(s, 'mon').find((t) => t.id !== old.id)!;
    // A service-label change: a new updater whose slot holds the old task and the clean new one.
    s = run(s, { kind: 'service.update', service: 'mon', update: { labelAdd: { k: 'v' } } });
    s = until(s, (x) => x.updaters[0]?.workers[0]?.wait === 'existing', control);
    expect(s.updaters[0].workers[0].task).toBe(fresh.id);
    expect(byId(s, fresh.id)?.delayed).toMatchObject({ oldTaskId: old.id });
    s = run(s, { kind: 'node.rm', node: 'w', force: true });
    expect(serviceTasks(s, 'mon')).toEqual([]);
    expect(updaterActions(s, 'update-slot-done')).toHaveLength(1);
    s = waited(s, 60_000);
    expect(s.updaters).toEqual([]);
    expect(status(s, 'mon')).toBe('completed');
  });
});

describe('updater: Run decides from the status the updater was made with, not the store’s', () => {
  // updater.go (Run) reads service.UpdateStatus from u.newService, the orchestrator's copy; the store
  // may have changed by the time the goroutine gets there (the orchestrator cancels the updater only
  // at its next reconcile).
  test('no dirty slot left and made from a nil status: nothing written, though the user has since asked for a rollback', () => {
    // The update only adds a constraint: the task is dirty while its node lacks the label, clean once
    // the node has it (orchestrator.IsTaskDirty reads the node when it is asked).
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 1, update: base }));
    s = run(s, {
      kind: 'service.update',
      service: 'web',
      update: { constraintAdd: ['node.labels.zone==a'] },
    });
    s = until(
      s,
      (x) => x.updaters.length === 1,
      (a) => a.actor === 'orchestrator',
    );
    expect(s.updaters[0]).toMatchObject({ statusAtStart: null, phase: 'start' });
    s = run(s, { kind: 'node.update', node: 'm1', labelAdd: { zone: 'a' } });
    s = run(s, { kind: 'service.rollback', service: 'web' });
    expect(status(s)).toBe('rollback_started');
    s = act(s, { actor: 'updater', kind: 'update-start', service: s.services[0].id });
    // "Abort immediately if all tasks are clean": completeUpdate only for UPDATING or ROLLBACK_STARTED.
    expect(s.updaters).toEqual([]);
    expect(status(s)).toBe('rollback_started');
  });

  test('dirty slots and made from ROLLBACK_STARTED: no UPDATING over the status a user update has since cleared', () => {
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 1, update: base }));
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } }));
    s = waited(s, 60_000);
    expect(status(s)).toBe('completed');
    s = run(s, { kind: 'service.rollback', service: 'web' });
    s = until(
      s,
      (x) => x.updaters.length === 1,
      (a) => a.actor === 'orchestrator',
    );
    expect(s.updaters[0]).toMatchObject({ statusAtStart: 'rollback_started', phase: 'start' });
    s = run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:3' } });
    expect(status(s)).toBe(null);
    s = act(s, { actor: 'updater', kind: 'update-start', service: s.services[0].id });
    // "If there's no update in progress, we are starting one" judges the updater's copy: ROLLBACK_STARTED.
    expect(s.updaters[0]).toMatchObject({ phase: 'slots', dirtyCount: 1 });
    expect(status(s)).toBe(null);
  });
});

// Slots of several tasks: a start-first update leaves the old task and a new one desired READY (its
// delayed start not fired yet). With MaxAttempts 1 the task reaper keeps 2 tasks per slot
// (task_reaper.go: MaxAttempts + 1), so once the old task has failed and been restarted (a third
// task), the reaper deletes it.
const restart = { condition: 'any' as const, delayMs: 0, maxAttempts: 1, windowMs: 0 };
const startFirst = { ...base, order: 'start-first' as const, monitorMs: 10_000 };
// Everything but the updater, the clock, faults and (where named) the delayed starts.
const others = (a: Action) => a.actor !== 'updater' && a.actor !== 'clock' && a.actor !== 'fault';
const noStart = (a: Action) => others(a) && a.kind !== 'start-task';

function twoTaskSlot(): { s: State; old: string; fresh: string } {
  let s = cluster([{ hostname: 'm1' }]);
  s = create(s, service('web', { replicas: 1, update: startFirst }, { restart }));
  const old = serviceTasks(s, 'web')[0].id;
  s = run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } });
  s = until(s, (x) => serviceTasks(x, 'web').length === 2, control);
  return { s, old, fresh: serviceTasks(s, 'web')[1].id };
}

describe('updater: removeOldTasks fails only when it shut no task down', () => {
  test('stop-first over a slot whose old task was deleted since the snapshot: the new task is created, the other shut down', () => {
    // updater.go (removeOldTasks): "task … not found" for the deleted task, but the READY one is shut
    // down, so it returns that one and no error; updateTask's batch commits.
    let { s, old, fresh } = twoTaskSlot();
    s = run(s, {
      kind: 'service.update',
      service: 'web',
      update: { image: 'nginx:3', update: { order: 'stop-first' } },
    });
    s = until(
      s,
      (x) => x.updaters[0]?.spec.task.image === 'nginx:3',
      (a) => a.actor === 'orchestrator',
    );
    s = act(s, { actor: 'updater', kind: 'update-start', service: s.services[0].id });
    expect(s.updaters[0].slots).toEqual([[old, fresh]]);
    s = act(s, { actor: 'fault', kind: 'exit', task: old, code: 1 });
    s = until(s, (x) => byId(x, old) === undefined, noStart);
    s = act(s, updaterActions(s, 'update-slot')[0]);
    expect(byId(s, fresh)?.desired).toBe('shutdown');
    const created = s.updaters[0].workers[0];
    expect(created.wait).toBe('create');
    expect(byId(s, created.task)?.spec.image).toBe('nginx:3');
  });

  test('start-first, the old task deleted before the new one runs: the removal after it finds nothing, the update goes on', () => {
    // updater.go (updateTask): once the new task is RUNNING, removeOldTasks(slot) gets "not found" for
    // every task of the slot; the error is only logged ("failed to remove old task after starting
    // replacement") and the worker takes its delay.
    let { s, old, fresh } = twoTaskSlot();
    s = act(s, { actor: 'fault', kind: 'exit', task: old, code: 1 });
    s = until(s, (x) => byId(x, old) === undefined, noStart);
    s = until(s, (x) => byId(x, fresh)?.observed === 'running', others);
    const done = updaterActions(s, 'update-slot-done');
    expect(done).toHaveLength(1);
    s = act(s, done[0]);
    expect(s.updaters[0].workers[0].wait).toBe('none');
    expect(s.updaters[0].updated).toEqual([{ task: fresh, at: s.now }]);
    expect(byId(s, fresh)?.desired).toBe('running');
  });

  test('stop-first over a slot of three tasks (two start-first updates in a row): all three are shut down', () => {
    let { s, old, fresh } = twoTaskSlot();
    s = run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:3' } });
    s = until(s, (x) => serviceTasks(x, 'web').length === 3, control);
    const third = serviceTasks(s, 'web')[2].id;
    s = run(s, {
      kind: 'service.update',
      service: 'web',
      update: { image: 'nginx:4', update: { order: 'stop-first' } },
    });
    const fourth = (x: State) => x.updaters[0]?.spec.task.image === 'nginx:4';
    s = until(s, (x) => fourth(x) && x.updaters[0].workers[0]?.wait === 'create', control);
    expect(s.updaters[0].dirtyCount).toBe(1);
    expect([old, fresh, third].map((id) => byId(s, id)?.desired)).toEqual([
      'shutdown',
      'shutdown',
      'shutdown',
    ]);
    // DelayStart waits for the task removeOldTasks returns, one it shut down (which one depends on the
    // order of the slot's tasks, arbitrary in SwarmKit).
    expect([old, fresh, third]).toContain(byId(s, s.updaters[0].workers[0].task)?.delayed?.oldTaskId);
  });
});

describe('updater: the worker’s choice among the slot’s clean tasks (worker, useExistingTask)', () => {
  test('a clean task desired RUNNING is kept over a clean one desired READY listed before it', () => {
    // worker: "Do we have a task with the new spec in desired state = RUNNING?" wins over a clean task
    // desired below RUNNING, wherever each stands in the slot. The READY one is shut down.
    let { s, old, fresh } = twoTaskSlot();
    s = act(s, { actor: 'fault', kind: 'exit', task: old, code: 1 });
    // The old task's restart: its replacement (nginx:2, clean too) is started and runs.
    s = until(s, (x) => serviceTasks(x, 'web').length === 3, noStart);
    const replacement = serviceTasks(s, 'web')[2].id;
    s = until(
      s,
      (x) => byId(x, replacement)?.observed === 'running',
      (a) => others(a) && !('task' in a && a.task === fresh),
    );
    expect(byId(s, fresh)?.desired).toBe('ready');
    // A service-label change: a new updater whose slot holds both clean tasks, READY first.
    s = run(s, { kind: 'service.update', service: 'web', update: { labelAdd: { k: 'v' } } });
    s = until(s, (x) => x.updaters[0]?.phase === 'slots' && x.updaters[0].spec.labels.k === 'v', control);
    expect(s.updaters[0].slots).toEqual([[fresh, replacement]]);
    s = act(s, updaterActions(s, 'update-slot')[0]);
    expect([fresh, replacement].map((id) => byId(s, id)?.desired)).toEqual(['shutdown', 'running']);
    expect(s.updaters[0].workers[0].wait).toBe('none');
  });

  test('the reused task’s batch aborts when the other task was shut down since the snapshot: no delayed start, the worker is free', () => {
    // updater.go (useExistingTask): removeOldTasks shut nothing down and met a task "already shut down
    // when reached by updater": the error aborts the batch before DelayStart; the worker logs it.
    let { s, old, fresh } = twoTaskSlot();
    const armed = byId(s, fresh)?.delayed;
    s = run(s, { kind: 'service.update', service: 'web', update: { labelAdd: { k: 'v' } } });
    s = until(s, (x) => x.updaters[0]?.phase === 'slots' && x.updaters[0].spec.labels.k === 'v', control);
    expect(s.updaters[0].slots).toEqual([[old, fresh]]);
    s = act(s, { actor: 'fault', kind: 'exit', task: old, code: 1 });
    s = until(s, (x) => byId(x, old)?.desired === 'shutdown', noStart);
    s = act(s, updaterActions(s, 'update-slot')[0]);
    expect(byId(s, fresh)?.desired).toBe('ready');
    expect(byId(s, fresh)?.delayed).toEqual(armed);
    // One slot, Delay 0: the worker is idle at once and Run goes on to its monitor period.
    expect(s.updaters[0].workers[0].wait).toBe('none');
    expect(updaterActions(s, 'update-monitor')).toHaveLength(1);
  });

  test('a clean task shut down since the snapshot (it failed and was restarted) does not hold the worker: the update completes', () => {
    // The orchestrator's snapshot had the new task desired RUNNING; it then failed and the restart
    // supervisor shut it down. SwarmKit's worker, reading the snapshot, reuses it (useExistingTask: the
    // old task is shut down, no DelayStart) and goes on. The model's worker reads the store (see the
    // compromise in updater.ts) and creates a new task instead; either way no worker waits for a start
    // that can never fire, and the update completes with the old task shut down.
    let { s, old, fresh } = twoTaskSlot();
    s = until(s, (x) => byId(x, fresh)?.observed === 'running', others);
    s = run(s, { kind: 'service.update', service: 'web', update: { labelAdd: { k: 'v' } } });
    s = until(s, (x) => x.updaters[0]?.phase === 'slots' && x.updaters[0].spec.labels.k === 'v', control);
    expect(s.updaters[0].slots).toEqual([[old, fresh]]);
    s = act(s, { actor: 'fault', kind: 'exit', task: fresh, code: 1 });
    s = until(s, (x) => byId(x, fresh)?.desired === 'shutdown', noStart);
    s = act(s, updaterActions(s, 'update-slot')[0]);
    s = waited(s, 120_000);
    expect(s.updaters).toEqual([]);
    expect(status(s)).toBe('completed');
    // The old task is shut down (and, with MaxAttempts 1, reaped): no task of the old spec is desired running.
    expect(serviceTasks(s, 'web').filter((t) => t.spec.image === 'nginx' && t.desired === 'running')).toEqual(
      [],
    );
  });
});

describe('updater: the new task’s start waits only for an old task not yet stopped (restart.go (DelayStart))', () => {
  test('stop-first over a task that already failed: the start is due at once, and stays due once that task is reaped', () => {
    // DelayStart: waitForTask = waitStop && oldTask != nil && oldTask.Status.State <= RUNNING. The old
    // task failed before the restart supervisor got to it (still desired RUNNING), so the updater shuts
    // it down and the new task's start waits for nothing. Deleting the old task later changes nothing.
    let s = cluster([{ hostname: 'm1' }]);
    s = create(s, service('web', { replicas: 1, update: base }, { restart }));
    const old = serviceTasks(s, 'web')[0].id;
    s = act(s, { actor: 'fault', kind: 'exit', task: old, code: 1 });
    s = run(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } });
    s = until(s, (x) => x.updaters[0]?.workers[0]?.wait === 'create', control);
    const fresh = s.updaters[0].workers[0].task;
    expect(byId(s, old)).toMatchObject({ desired: 'shutdown', observed: 'failed' });
    const starts = (x: State) =>
      enabled(x).filter((a) => a.actor === 'restart' && a.kind === 'start-task' && a.task === fresh);
    expect(starts(s)).toHaveLength(1);
    // A start-first update to nginx:3 adds a third task to the slot; the reaper keeps two, deleting the
    // failed one (the oldest that will not run).
    s = run(s, {
      kind: 'service.update',
      service: 'web',
      update: { image: 'nginx:3', update: { order: 'start-first' } },
    });
    s = until(s, (x) => serviceTasks(x, 'web').length === 3, control);
    s = until(
      s,
      (x) => byId(x, old) === undefined,
      (a) => a.actor === 'reaper',
    );
    expect(byId(s, fresh)?.desired).toBe('ready');
    expect(starts(s)).toHaveLength(1);
  });
});
