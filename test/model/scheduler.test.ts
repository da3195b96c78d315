import { describe, expect, test } from 'vitest';
import { defaultNode } from '../../model/defaults.ts';
import { enabled } from '../../model/index.ts';
import { parseConstraints } from '../../model/scheduler/constraint.ts';
import { buildNodeInfos } from '../../model/scheduler/nodeInfo.ts';
import { schedulerStep } from '../../model/scheduler/scheduler.ts';
import type { PortConfig } from '../../model/spec.ts';
import type { State } from '../../model/state.ts';
import type { ObservedState } from '../../model/taskState.ts';
import {
  act,
  cluster,
  create,
  nodeId,
  run,
  runningPerNode,
  service,
  serviceTasks,
  settled,
  waited,
} from './helpers.ts';

/** Restart at once, forever: replacements follow failures without waiting out a delay. */
const restart = { condition: 'any' as const, delayMs: 0, maxAttempts: 0, windowMs: 0 };

const three = () => cluster([{ hostname: 'a' }, { hostname: 'b' }, { hostname: 'c' }]);

describe('scheduler (moby/swarmkit:manager/scheduler)', () => {
  test('spread: equal nodes get equal shares', () => {
    const s = create(three(), service('web', { replicas: 6 }));
    expect(runningPerNode(s, 'web')).toEqual({ a: 2, b: 2, c: 2 });
  });

  test('scheduleNTasksOnNodes quirk: service counts (0,0,5) + 6 new tasks end at (1,5,5)', () => {
    let s = three();
    const pinned = service(
      'web',
      { replicas: 5 },
      { placement: { constraints: ['node.hostname==c'], preferences: [], maxReplicas: 0 } },
    );
    s = create(s, pinned);
    expect(runningPerNode(s, 'web')).toEqual({ c: 5 });
    s = settled(
      run(s, {
        kind: 'service.update',
        service: 'web',
        update: { constraintRm: ['node.hostname==c'], replicas: 11 },
      }),
    );
    // Greedy "best node each time" would give (3,3,5); SwarmKit's first pass never goes back.
    expect(runningPerNode(s, 'web')).toEqual({ a: 1, b: 5, c: 5 });
  });

  test('placement preference spread=node.labels.region: 9 replicas over east(3)/south(2)/west(1) → 3/3/3', () => {
    const nodes = [
      ...['e1', 'e2', 'e3'].map((h) => ({ hostname: h, labels: { region: 'east' } })),
      ...['s1', 's2'].map((h) => ({ hostname: h, labels: { region: 'south' } })),
      { hostname: 'w1', labels: { region: 'west' } },
    ];
    const s = create(
      cluster(nodes),
      service(
        'web',
        { replicas: 9 },
        { placement: { constraints: [], preferences: ['node.labels.region'], maxReplicas: 0 } },
      ),
    );
    const per = runningPerNode(s, 'web');
    const region = (p: string) =>
      Object.entries(per)
        .filter(([h]) => h.startsWith(p))
        .reduce((n, [, c]) => n + c, 0);
    expect([region('e'), region('s'), region('w')]).toEqual([3, 3, 3]);
    expect(per.w1).toBe(3);
  });

  test('unsatisfiable constraint: tasks stay pending with the exact explanation', () => {
    const s = create(
      three(),
      service(
        'web',
        { replicas: 2 },
        { placement: { constraints: ['node.labels.zone==x'], preferences: [], maxReplicas: 0 } },
      ),
    );
    const ts = serviceTasks(s, 'web');
    expect(ts.map((t) => t.observed)).toEqual(['pending', 'pending']);
    expect(ts[0].err).toBe('no suitable node (scheduling constraints not satisfied on 3 nodes)');
  });

  test('constraint on node.role, case-insensitive values', () => {
    const s = create(
      three(),
      service(
        'web',
        { replicas: 4 },
        { placement: { constraints: ['node.role==MANAGER'], preferences: [], maxReplicas: 0 } },
      ),
    );
    expect(runningPerNode(s, 'web')).toEqual({ a: 4 });
  });

  test('host-mode published port: one task per node, the rest pending', () => {
    const s = create(three(), {
      ...service('web', { replicas: 4 }),
      endpoint: {
        mode: 'vip',
        ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 8080, mode: 'host' }],
      },
    });
    expect(runningPerNode(s, 'web')).toEqual({ a: 1, b: 1, c: 1 });
    const pending = serviceTasks(s, 'web').filter((t) => t.observed === 'pending');
    expect(pending).toHaveLength(1);
    expect(pending[0].err).toBe('no suitable node (host-mode port already in use on 3 nodes)');
  });

  test('only host-mode ports with a published number occupy a node (nodeinfo.go (addTask))', () => {
    // Ingress ports are answered by the routing mesh, not bound by the task; a host-mode port
    // published as 0 gets a dynamic port from the engine. Neither is tracked, so neither blocks a
    // host-mode 8080 task later (buildNodeInfos is what the HostPort filter reads).
    const ports: PortConfig[] = [
      { protocol: 'tcp', targetPort: 80, publishedPort: 8080, mode: 'ingress' },
      { protocol: 'tcp', targetPort: 81, publishedPort: 0, mode: 'host' },
      { protocol: 'udp', targetPort: 82, publishedPort: 9090, mode: 'host' },
    ];
    const s = create(three(), { ...service('web', { replicas: 3 }), endpoint: { mode: 'vip', ports } });
    expect(runningPerNode(s, 'web')).toEqual({ a: 1, b: 1, c: 1 });
    for (const ni of buildNodeInfos(s).values()) expect([...ni.usedHostPorts]).toEqual(['udp/9090']);
  });

  test('preference branch out of room: the rest goes to the branches that still have room', () => {
    // scheduleNTasksOnSubtree: east (e1, e2: 4 CPUs) and west (w1: 1 CPU), 1 CPU per task, 4 replicas.
    // Round 1 aims at 2 per branch; west takes 1 and is marked full; round 2 gives east the fourth.
    const nodes = [
      { hostname: 'e1', labels: { zone: 'east' }, nanoCpus: 4_000_000_000 },
      { hostname: 'e2', labels: { zone: 'east' }, nanoCpus: 4_000_000_000 },
      { hostname: 'w1', labels: { zone: 'west' }, nanoCpus: 1_000_000_000 },
    ];
    const s = create(
      cluster(nodes),
      service(
        'web',
        { replicas: 4 },
        {
          placement: { constraints: [], preferences: ['node.labels.zone'], maxReplicas: 0 },
          reservations: { nanoCpus: 1_000_000_000, memoryBytes: 0 },
        },
      ),
    );
    const per = runningPerNode(s, 'web');
    expect(per.w1).toBe(1);
    expect((per.e1 ?? 0) + (per.e2 ?? 0)).toBe(3);
    expect(serviceTasks(s, 'web').every((t) => t.observed === 'running')).toBe(true);
  });

  test('a full branch is set aside, so the shares are recomputed over the branches with room', () => {
    // scheduleNTasksOnSubtree with zones x (0.5 CPU: no room for a 1-CPU task), y and z (4 CPUs), 6
    // replicas: round 1 aims at 2 each and x takes none (noRoom); round 2 divides the 2 left over the
    // 2 usable branches, 1 each. Without setting x aside, x is asked again every round and the loop
    // never ends (this test then hangs rather than fails: the loop is synchronous).
    const nodes = [
      { hostname: 'x1', labels: { zone: 'x' }, nanoCpus: 500_000_000 },
      { hostname: 'y1', labels: { zone: 'y' }, nanoCpus: 4_000_000_000 },
      { hostname: 'z1', labels: { zone: 'z' }, nanoCpus: 4_000_000_000 },
    ];
    const s = create(
      cluster(nodes),
      service(
        'web',
        { replicas: 6 },
        {
          placement: { constraints: [], preferences: ['node.labels.zone'], maxReplicas: 0 },
          reservations: { nanoCpus: 1_000_000_000, memoryBytes: 0 },
        },
      ),
    );
    expect(runningPerNode(s, 'web')).toEqual({ y1: 3, z1: 3 });
  });

  test('preference remainder: 4 replicas over 3 zones give 2/1/1, one extra task to one zone only', () => {
    // scheduleNTasksOnSubtree: 4 / 3 = 1 per branch, remainder 1; the branch that takes the extra task
    // uses the remainder up. Which zone gets it depends on Go's map order in SwarmKit, so only the
    // multiset of counts is asserted.
    const s = create(
      cluster(['x', 'y', 'z'].map((z) => ({ hostname: z, labels: { zone: z } }))),
      service(
        'web',
        { replicas: 4 },
        { placement: { constraints: [], preferences: ['node.labels.zone'], maxReplicas: 0 } },
      ),
    );
    expect(Object.values(runningPerNode(s, 'web')).sort()).toEqual([1, 1, 2]);
  });

  test('preference branches already uneven: a branch at or above its share gets nothing more', () => {
    // Tree counts: east 0 tasks, west 3 (created while only w1, w2 existed). Scaling to 5 asks for
    // (3 + 2) / 2 = 2 per branch, remainder 1: west (3 > 2) is skipped; east is asked for 2 + 1 and
    // takes the 2 tasks there are.
    let s = cluster([
      { hostname: 'w1', labels: { zone: 'west' } },
      { hostname: 'w2', labels: { zone: 'west' } },
    ]);
    const pref = { placement: { constraints: [], preferences: ['node.labels.zone'], maxReplicas: 0 } };
    s = create(s, service('web', { replicas: 3 }, pref));
    for (const h of ['e1', 'e2'])
      s = run(s, { kind: 'swarm.join', node: { ...defaultNode(h, 'worker'), labels: { zone: 'east' } } });
    s = settled(run(s, { kind: 'service.scale', scales: [{ service: 'web', replicas: 5 }] }));
    const per = runningPerNode(s, 'web');
    expect((per.w1 ?? 0) + (per.w2 ?? 0)).toBe(3);
    expect((per.e1 ?? 0) + (per.e2 ?? 0)).toBe(2);
  });

  test('a reservation equal to what a node has left fits (ResourceFilter compares with <=)', () => {
    const GIB = 1024 * 1024 * 1024;
    const s = create(
      cluster([{ hostname: 'a', nanoCpus: 2_000_000_000, memoryBytes: 2 * GIB }]),
      service('web', { replicas: 3 }, { reservations: { nanoCpus: 1_000_000_000, memoryBytes: GIB } }),
    );
    expect(runningPerNode(s, 'web')).toEqual({ a: 2 });
    const pending = serviceTasks(s, 'web').filter((t) => t.observed === 'pending');
    expect(pending.map((t) => t.err)).toEqual(['no suitable node (insufficient resources on 1 node)']);
  });

  test('with networks the plugin filter runs, passes, and the constraint filter gets the blame', () => {
    // pipeline.go: Plugin comes before Constraint; the model's nodes report no plugin list, which
    // PluginFilter accepts, so a failing constraint is still explained as a constraint.
    let s = run(three(), {
      kind: 'network.create',
      name: 'back',
      driver: 'overlay',
      attachable: false,
      ingress: false,
    });
    s = create(
      s,
      service(
        'web',
        { replicas: 1 },
        {
          networks: ['back'],
          placement: { constraints: ['node.labels.zone==x'], preferences: [], maxReplicas: 0 },
        },
      ),
    );
    expect(serviceTasks(s, 'web')[0].err).toBe(
      'no suitable node (scheduling constraints not satisfied on 3 nodes)',
    );
  });

  test('a scheduling pass with nothing new to do is refused, so random runs never stutter on it', () => {
    const s = create(three(), service('web', { replicas: 2 }));
    // The flag is raised by every store change the scheduler watches and lowered by its pass.
    const after = schedulerStep(s, { actor: 'scheduler', kind: 'schedule' });
    if (typeof after === 'string') throw new Error(after);
    expect(after.schedulerPending).toBe(false);
    expect(schedulerStep(after, { actor: 'scheduler', kind: 'schedule' })).toBe(
      'nothing changed since the last scheduling pass',
    );
  });

  test('a finished task no longer holds its reservation: the replacement fits on the same node', () => {
    // scheduler.go (updateTask): a task past RUNNING is deleted from its node's info.
    let s = create(
      cluster([{ hostname: 'a', nanoCpus: 2_000_000_000 }]),
      service('web', { replicas: 1 }, { restart, reservations: { nanoCpus: 1_500_000_000, memoryBytes: 0 } }),
    );
    const t = serviceTasks(s, 'web')[0];
    s = settled(act(s, { actor: 'fault', kind: 'exit', task: t.id, code: 1 }));
    expect(runningPerNode(s, 'web')).toEqual({ a: 1 });
  });

  test('a pending task of an older spec that the updater shut down is finished off as SHUTDOWN', () => {
    // scheduler.go (noSuitableNode): tasks of an obsolete spec version desired ≥ SHUTDOWN are marked
    // SHUTDOWN instead of getting a new explanation.
    let s = create(
      cluster([{ hostname: 'a', nanoCpus: 1_000_000_000 }]),
      service('web', { replicas: 1 }, { reservations: { nanoCpus: 2_000_000_000, memoryBytes: 0 } }),
    );
    const old = serviceTasks(s, 'web')[0];
    expect(old.observed).toBe('pending');
    s = settled(
      run(s, { kind: 'service.update', service: 'web', update: { reservations: { nanoCpus: 500_000_000 } } }),
    );
    s = waited(s, 60_000);
    const after = serviceTasks(s, 'web').find((t) => t.id === old.id);
    if (after !== undefined) expect([after.desired, after.observed]).toEqual(['shutdown', 'shutdown']);
    expect(runningPerNode(s, 'web')).toEqual({ a: 1 });
  });

  test('a global task that does not fit its node stays pending with the bare explanation', () => {
    // scheduler.go (taskFitNode): a preassigned task gets Explain() as its error, without the
    // "no suitable node (…)" wrapper of the spread path.
    let s = create(
      cluster([{ hostname: 'a', nanoCpus: 1_000_000_000 }]),
      service(
        'mon',
        { mode: 'global', replicas: undefined },
        { reservations: { nanoCpus: 2_000_000_000, memoryBytes: 0 } },
      ),
    );
    const t = serviceTasks(s, 'mon')[0];
    expect([t.observed, t.err]).toEqual(['pending', 'insufficient resources on 1 node']);
    s = create(s, service('agent', { mode: 'global', replicas: undefined }));
    const g = serviceTasks(s, 'agent')[0];
    expect(g.observed).toBe('running');
  });

  test('max replicas per node', () => {
    const s = create(
      three(),
      service('web', { replicas: 4 }, { placement: { constraints: [], preferences: [], maxReplicas: 1 } }),
    );
    expect(runningPerNode(s, 'web')).toEqual({ a: 1, b: 1, c: 1 });
    const pending = serviceTasks(s, 'web').filter((t) => t.observed === 'pending');
    expect(pending.map((t) => t.err)).toEqual(['no suitable node (max replicas per node limit exceed)']);
  });

  test('reservations: insufficient resources, in the singular for one node', () => {
    // Each node has 2 CPUs; 1.5 CPU per task fits once per node.
    let s = create(
      cluster([{ hostname: 'a' }, { hostname: 'b' }]),
      service('web', { replicas: 3 }, { reservations: { nanoCpus: 1_500_000_000, memoryBytes: 0 } }),
    );
    expect(runningPerNode(s, 'web')).toEqual({ a: 1, b: 1 });
    const pending = serviceTasks(s, 'web').filter((t) => t.observed === 'pending');
    expect(pending[0].err).toBe('no suitable node (insufficient resources on 2 nodes)');
    s = create(
      cluster([{ hostname: 'a' }]),
      service('big', { replicas: 1 }, { reservations: { nanoCpus: 4_000_000_000, memoryBytes: 0 } }),
    );
    expect(serviceTasks(s, 'big')[0].err).toBe('no suitable node (insufficient resources on 1 node)');
  });

  test('drained and paused nodes are "not available for new tasks"', () => {
    let s = three();
    for (const h of ['a', 'b'])
      s = run(s, { kind: 'node.update', node: h, availability: h === 'a' ? 'drain' : 'pause' });
    s = run(s, { kind: 'node.update', node: 'c', availability: 'drain' });
    s = create(s, service('web', { replicas: 1 }));
    expect(serviceTasks(s, 'web')[0].err).toBe('no suitable node (3 nodes not available for new tasks)');
    // The first node to become available gets the task.
    s = settled(run(s, { kind: 'node.update', node: 'b', availability: 'active' }));
    expect(runningPerNode(s, 'web')).toEqual({ b: 1 });
  });
});

describe('constraint parsing (moby/swarmkit:manager/constraint (Parse))', () => {
  test('errors', () => {
    expect(parseConstraints(['node.role'])).toBe('constraint expected one operator from ==, !=');
    expect(parseConstraints(['=x==y'])).toBe("key '=x' is invalid");
    expect(parseConstraints(['node.role==a,b'])).toBe("value 'a,b' is invalid");
    expect(parseConstraints([' node.labels.zone != east '])).toEqual([
      { key: 'node.labels.zone', op: 'noteq', exp: 'east' },
    ]);
  });
});

/**
 * Failure-prone nodes go last: moby/swarmkit:manager/scheduler/nodeinfo.go (taskFailed,
 * countRecentFailures; maxFailures 5, monitorFailures 5 min) and scheduler.go (updateTask counts a task
 * of this service and spec version turning FAILED or REJECTED; scheduleTaskGroup's nodeLess).
 * Setup: nodes a and b, `web` with 2 replicas and restart delay 0, one task on each. Every replacement
 * of the slot on a goes back to a (a has the fewest web tasks) until a counts 5 recent failures.
 */
describe('scheduler: failure-prone nodes (nodeinfo.go)', () => {
  // Ten minutes in, so that "recent" is measured from a clock well past zero.
  const start = (svc = 'web') =>
    create(
      waited(cluster([{ hostname: 'a' }, { hostname: 'b' }]), 10 * 60 * 1000),
      service(svc, { replicas: 2 }, { restart }),
    );
  const onA = (s: State, svc = 'web', observed: ObservedState = 'running') =>
    serviceTasks(s, svc).find((t) => t.nodeId === nodeId(s, 'a') && t.observed === observed);
  const exitOnA = (s: State, code: number, svc = 'web') =>
    settled(act(s, { actor: 'fault', kind: 'exit', task: onA(s, svc)!.id, code }));
  /** The first running task of web on `host` exits with `code`; then the cluster settles. */
  const exitOn = (s: State, host: string, code: number) => {
    const t = serviceTasks(s, 'web').find((x) => x.nodeId === nodeId(s, host) && x.observed === 'running');
    return settled(act(s, { actor: 'fault', kind: 'exit', task: t!.id, code }));
  };

  test('after 5 failures on a, the sixth replacement goes to b', () => {
    let s = start();
    for (let i = 1; i <= 5; i++) {
      expect(onA(s), `replacement ${i} went back to a`).toBeDefined();
      s = exitOnA(s, 1);
    }
    expect(onA(s)).toBeUndefined();
    expect(runningPerNode(s, 'web')).toEqual({ b: 2 });
  });

  test('rejections count as failures', () => {
    // One exit, then four replacements rejected by the agent on a while ASSIGNED: five failures.
    let s = act(start(), { actor: 'fault', kind: 'exit', task: onA(start())!.id, code: 1 });
    for (let i = 2; i <= 5; i++) {
      for (let k = 0; k < 200 && onA(s, 'web', 'assigned') === undefined; k++) {
        const c = enabled(s).find((x) => x.actor !== 'fault' && x.actor !== 'clock');
        if (c === undefined) break;
        s = act(s, c);
      }
      const t = onA(s, 'web', 'assigned');
      expect(t, `replacement ${i} went back to a`).toBeDefined();
      s = act(s, { actor: 'fault', kind: 'reject', task: t!.id });
    }
    s = settled(s);
    expect(onA(s)).toBeUndefined();
    expect(runningPerNode(s, 'web')).toEqual({ b: 2 });
  });

  test('containers that exit 0 are not failures: the replacement keeps going back to a', () => {
    let s = start();
    for (let i = 1; i <= 6; i++) s = exitOnA(s, 0);
    expect(runningPerNode(s, 'web')).toEqual({ a: 1, b: 1 });
  });

  test("another service's failures on a do not count against this one", () => {
    // bad fails 3 times on a, web twice: 5 failures on a in all, but only 2 of web's.
    let s = create(start('bad'), service('web', { replicas: 2 }, { restart }));
    for (let i = 1; i <= 3; i++) s = exitOnA(s, 1, 'bad');
    for (let i = 1; i <= 2; i++) s = exitOnA(s, 1);
    expect(onA(s)).toBeDefined();
    expect(runningPerNode(s, 'web')).toEqual({ a: 1, b: 1 });
  });

  test('failures of an older spec version do not count after an update', () => {
    // 4 replicas, two slots on a: four failures there (history keeps them all), then --force makes a
    // new spec version; one failure of the new version leaves a with 1 recent failure, not 5.
    let s = create(
      waited(cluster([{ hostname: 'a' }, { hostname: 'b' }]), 10 * 60 * 1000),
      service('web', { replicas: 4 }, { restart }),
    );
    for (let i = 1; i <= 4; i++) s = exitOnA(s, 1);
    expect(runningPerNode(s, 'web')).toEqual({ a: 2, b: 2 });
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { force: true } }));
    for (let i = 0; i < 10; i++) s = waited(s, 10_000);
    expect(runningPerNode(s, 'web')).toEqual({ a: 2, b: 2 });
    s = exitOnA(s, 1);
    expect(runningPerNode(s, 'web')).toEqual({ a: 2, b: 2 });
  });

  test('each (service, spec version) keeps its own failures on a node', () => {
    // nodeinfo.go (versionedService): bad fails 4 times on a, web once, bad a fifth time. bad's
    // replacement now avoids a; web's next replacement does not (web has 2 there, not 7 and not 5).
    let s = create(start('bad'), service('web', { replicas: 2 }, { restart }));
    for (let i = 1; i <= 4; i++) s = exitOnA(s, 1, 'bad');
    s = exitOnA(s, 1);
    expect(onA(s)).toBeDefined();
    s = exitOnA(s, 1, 'bad');
    expect(runningPerNode(s, 'bad')).toEqual({ b: 2 });
    s = exitOnA(s, 1);
    expect(runningPerNode(s, 'web')).toEqual({ a: 1, b: 1 });
  });

  test('five failures of the old spec version do not push a last for the new one', () => {
    // All of web's tasks end up on b after five failures on a. `--force` makes a new spec version: the
    // rolling update's replacements are ranked with no failures on a, so a gets its share back.
    let s = start();
    for (let i = 1; i <= 5; i++) s = exitOnA(s, 1);
    expect(runningPerNode(s, 'web')).toEqual({ b: 2 });
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { force: true } }));
    for (let i = 0; i < 10; i++) s = waited(s, 10_000);
    expect(runningPerNode(s, 'web')).toEqual({ a: 1, b: 1 });
    // The new version's own failures count from zero, under their own key: five more push a last again.
    for (let i = 1; i <= 5; i++) {
      expect(onA(s), `replacement ${i} of the new version went back to a`).toBeDefined();
      s = exitOnA(s, 1);
    }
    expect(runningPerNode(s, 'web')).toEqual({ b: 2 });
  });

  test("the constraint enforcer's rejections are recorded too: the scheduler sees store updates, not agents", () => {
    // constraint_enforcer.go (rejectNoncompliantTasks) writes REJECTED; scheduler.go (updateTask)
    // does not ask who wrote it.
    let s = cluster([{ hostname: 'a', labels: { zone: 'x' } }, { hostname: 'b' }]);
    s = create(
      s,
      service(
        'web',
        {},
        { placement: { constraints: ['node.labels.zone==x'], preferences: [], maxReplicas: 0 } },
      ),
    );
    expect(runningPerNode(s, 'web')).toEqual({ a: 1 });
    s = settled(run(s, { kind: 'node.update', node: 'a', labelRm: ['zone'] }));
    expect(serviceTasks(s, 'web').map((t) => t.observed)).toContain('rejected');
    expect(s.schedulerFailures.map((f) => [f.node, f.at.length])).toEqual([[nodeId(s, 'a'), 1]]);
  });

  test("docker node rm drops the node's failure record with its NodeInfo", () => {
    // scheduler.go (deleteNode) removes the node from the nodeSet, recentFailures and all.
    let s = cluster([{ hostname: 'm1' }, { hostname: 'a', labels: { zone: 'x' } }, { hostname: 'b' }]);
    const onA = { placement: { constraints: ['node.labels.zone==x'], preferences: [], maxReplicas: 0 } };
    s = create(s, service('web', {}, onA));
    s = settled(run(s, { kind: 'node.update', node: 'a', labelRm: ['zone'] }));
    expect(s.schedulerFailures.map((f) => f.node)).toEqual([nodeId(s, 'a')]);
    s = settled(run(s, { kind: 'node.rm', node: 'a', force: true }));
    expect(s.schedulerFailures).toEqual([]);
  });

  test('failures of global tasks are not recorded: the scheduler did not choose their node', () => {
    // scheduler.go (updateTask) skips tasks it saw pending with a node already set (preassigned).
    let s = create(start(), service('mon', { mode: 'global', replicas: undefined }, { restart }));
    for (let i = 1; i <= 2; i++) s = exitOnA(s, 1, 'mon');
    expect(serviceTasks(s, 'mon').filter((t) => t.observed === 'failed')).toHaveLength(2);
    expect(s.schedulerFailures).toEqual([]);
  });

  test('recording a failure drops the ones 5 minutes old (taskFailed), so the fifth does not tip a over', () => {
    // Four failures at T. nodeinfo.go (taskFailed) drops, before appending, every failure with
    // now - t >= monitorFailures: a fifth at T + 5 min - 1 ms makes five, one at T + 5 min makes one.
    let s = start();
    for (let i = 1; i <= 4; i++) s = exitOnA(s, 1);
    s = exitOnA(waited(s, 5 * 60 * 1000 - 1), 1);
    expect(onA(s)).toBeUndefined();

    let u = start();
    for (let i = 1; i <= 4; i++) u = exitOnA(u, 1);
    u = exitOnA(waited(u, 5 * 60 * 1000), 1);
    expect(onA(u)).toBeDefined();
  });

  test('ranking still counts a failure exactly 5 minutes old (countRecentFailures), not one older', () => {
    // Five failures on a at T; b then runs both web tasks. At T + 5 min a task of b fails: its
    // replacement avoids a (fewer web tasks, but five failures with now - t <= monitorFailures).
    // One millisecond later the five no longer count and a, with no web task, gets it.
    const fiveOnA = () => {
      let s = start();
      for (let i = 1; i <= 5; i++) s = exitOnA(s, 1);
      expect(runningPerNode(s, 'web')).toEqual({ b: 2 });
      return s;
    };
    expect(runningPerNode(exitOn(waited(fiveOnA(), 5 * 60 * 1000), 'b', 1), 'web')).toEqual({ b: 2 });
    expect(runningPerNode(exitOn(waited(fiveOnA(), 5 * 60 * 1000 + 1), 'b', 1), 'web')).toEqual({
      a: 1,
      b: 1,
    });
  });

  test('a failure is remembered after the reaper deleted its task', () => {
    // Five failures of one slot on a; the sixth replacement goes to b. The slot now holds six tasks
    // and the reaper keeps five (task history limit), so one failed task is gone from the store. The
    // scheduler remembers failures as timestamps (nodeinfo.go (recentFailures)), not as tasks: when
    // a task on b fails, its replacement still avoids a, though a has no web task and the store
    // shows only four failures there.
    let s = start();
    for (let i = 1; i <= 5; i++) s = exitOnA(s, 1);
    expect(runningPerNode(s, 'web')).toEqual({ b: 2 });
    const a = nodeId(s, 'a');
    expect(serviceTasks(s, 'web').filter((t) => t.nodeId === a && t.observed === 'failed')).toHaveLength(4);
    s = exitOn(s, 'b', 1);
    expect(runningPerNode(s, 'web')).toEqual({ b: 2 });
  });

  test('a new leader starts a new scheduler: failures seen by the old one no longer push a last', () => {
    // manager.go (becomeLeader) creates the scheduler anew (scheduler.New) and setupTasksList skips
    // tasks past RUNNING, so the FAILED tasks still in the store are not counted again.
    // Managers m1..m3 drained; web has 4 replicas on workers a and b, restart delay 0.
    let s = cluster([
      { hostname: 'm1' },
      { hostname: 'm2', role: 'manager' },
      { hostname: 'm3', role: 'manager' },
      { hostname: 'a' },
      { hostname: 'b' },
    ]);
    for (const m of ['m1', 'm2', 'm3'])
      s = settled(run(s, { kind: 'node.update', node: m, availability: 'drain' }));
    s = create(waited(s, 10 * 60 * 1000), service('web', { replicas: 4 }, { restart }));
    expect(runningPerNode(s, 'web')).toEqual({ a: 2, b: 2 });
    // Five failures on a (spread over its two slots, so the reaper keeps all five); the fifth
    // replacement avoids a.
    for (let i = 1; i <= 5; i++) s = exitOnA(s, 1);
    expect(runningPerNode(s, 'web')).toEqual({ a: 1, b: 3 });
    const a = nodeId(s, 'a');
    expect(serviceTasks(s, 'web').filter((t) => t.nodeId === a && t.observed === 'failed')).toHaveLength(5);

    // Same leader: a task on b fails; a (one web task, five failures) is still avoided.
    expect(runningPerNode(exitOn(s, 'b', 1), 'web')).toEqual({ a: 1, b: 3 });

    // The leader's machine crashes and m2 takes over; then a task on b fails: a has the fewest web
    // tasks and, for the new scheduler, no failures.
    s = act(s, { actor: 'fault', kind: 'crash', node: nodeId(s, 'm1') });
    s = settled(act(s, { actor: 'raft', kind: 'elect', node: nodeId(s, 'm2') }));
    expect(s.schedulerFailures).toEqual([]);
    s = exitOn(s, 'b', 1);
    expect(runningPerNode(s, 'web')).toEqual({ a: 2, b: 2 });
  });

  test('a node sweeps entries with nothing left in the window when it records a failure', () => {
    // nodeinfo.go (taskFailed, cleanupFailures): the memory does not grow without bound. bad's one
    // failure on a is older than 5 minutes when web fails there: its entry goes.
    let s = create(start('bad'), service('web', { replicas: 2 }, { restart }));
    s = exitOnA(s, 1, 'bad');
    s = exitOnA(waited(s, 5 * 60 * 1000 + 1), 1);
    const web = s.services.find((x) => x.spec.name === 'web')!.id;
    expect(s.schedulerFailures.map((f) => [f.serviceId, f.at])).toEqual([[web, [s.now]]]);
  });

  test('the memory is per node and goes with a removed node', () => {
    // scheduler.go (Run): EventDeleteNode drops the node's NodeInfo, failures included.
    let s = cluster([{ hostname: 'm' }, { hostname: 'a' }, { hostname: 'b' }]);
    s = settled(run(s, { kind: 'node.update', node: 'm', availability: 'drain' }));
    s = create(s, service('web', { replicas: 2 }, { restart }));
    s = exitOn(s, 'a', 1);
    s = exitOn(s, 'b', 1);
    const [a, b] = [nodeId(s, 'a'), nodeId(s, 'b')];
    expect(s.schedulerFailures.map((f) => [f.node, f.at.length])).toEqual([
      [a, 1],
      [b, 1],
    ]);
    s = settled(run(s, { kind: 'node.rm', node: 'a', force: true }));
    expect(s.schedulerFailures.map((f) => f.node)).toEqual([b]);
  });
});
