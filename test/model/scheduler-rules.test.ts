/**
 * Scheduler rules pinned one by one against moby/swarmkit:manager/scheduler (scheduler.go, nodeset.go,
 * decision_tree.go, nodeinfo.go): the fill loop, which nodes a leaf keeps, re-asked leaves of the
 * placement-preference tree, the ranking of failure-prone nodes and the status the scheduler writes.
 */
import { describe, expect, test } from 'vitest';
import { defaultNode } from '../../model/defaults.ts';
import { enabled } from '../../model/index.ts';
import type { State, Task } from '../../model/state.ts';
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

const CPU = 1_000_000_000;
const oneCpu = { reservations: { nanoCpus: CPU, memoryBytes: 0 } };
/** Restart at once, forever: replacements follow failures without waiting out a delay. */
const restart = { condition: 'any' as const, delayMs: 0, maxAttempts: 0, windowMs: 0 };

/** Take enabled non-fault, non-clock actions one at a time until `done` holds (the state right then). */
function stepUntil(s: State, done: (s: State) => boolean): State {
  for (let k = 0; k < 500 && !done(s); k++) {
    const a = enabled(s).find((x) => x.actor !== 'fault' && x.actor !== 'clock');
    if (a === undefined) break;
    s = act(s, a);
  }
  expect(done(s)).toBe(true);
  return s;
}

const task = (s: State, id: string): Task => s.tasks.find((t) => t.id === id)!;

/**
 * Let every other component run first, so that one scheduling pass sees all new tasks at once (as
 * SwarmKit's scheduler does after its 50 ms commit debounce, scheduler.go (Run)); then settle.
 */
function firstPass(s: State): State {
  for (let k = 0; k < 500; k++) {
    const acts = enabled(s).filter((x) => x.actor !== 'fault' && x.actor !== 'clock' && x.actor !== 'agent');
    const a = acts.find((x) => x.actor !== 'scheduler') ?? acts[0];
    if (a === undefined) break;
    s = act(s, a);
    if (a.actor === 'scheduler') return s;
  }
  throw new Error('no scheduling pass');
}
const batched = (s: State) => settled(firstPass(s));
const createBatched = (s: State, spec: ReturnType<typeof service>) =>
  batched(run(s, { kind: 'service.create', spec }));

describe('scheduler fill loop (scheduler.go (scheduleNTasksOnNodes))', () => {
  test('nodeLess is strict: on a tie the node that just took a task takes the next one too', () => {
    // One replica on one of two equal nodes, then scale to 3. The other node is best and takes the
    // first new task; then both have one task of the service and one in all, nodeLess(next, this) is
    // false, and the loop stays: the node that had none ends with two.
    let s = create(cluster([{ hostname: 'a' }, { hostname: 'b' }]), service('web', { replicas: 1 }));
    const first = Object.keys(runningPerNode(s, 'web'));
    expect(first).toHaveLength(1);
    const other = first[0] === 'a' ? 'b' : 'a';
    s = settled(run(s, { kind: 'service.scale', scales: [{ service: 'web', replicas: 3 }] }));
    expect(runningPerNode(s, 'web')).toEqual({ [first[0]]: 1, [other]: 2 });
  });

  test('later passes go round the nodes one task each', () => {
    // Three equal nodes, 7 replicas in one pass: the first pass gives one each (each next node is
    // strictly better), then the loop wraps to the first node and goes round: 3/2/2, not 1/1/5.
    const s = createBatched(
      cluster([{ hostname: 'a' }, { hostname: 'b' }, { hostname: 'c' }]),
      service('web', { replicas: 7 }),
    );
    expect(Object.values(runningPerNode(s, 'web')).sort()).toEqual([2, 2, 3]);
  });

  test('after the first pass the loop goes round without comparing: (0,0,5) + 12 new tasks end at (3,7,7)', () => {
    // a and b have no web task, c has 5. First pass: a takes one, then b is strictly better; b takes
    // tasks until c is strictly better (b at 6); c takes one. From the last node on, the loop just
    // goes round (nodeIter++, no nodeLess): a, b, c, a. Following nodeLess there would give (5,6,6).
    let s = cluster([{ hostname: 'a' }, { hostname: 'b' }, { hostname: 'c' }]);
    for (const h of ['a', 'b']) s = run(s, { kind: 'node.update', node: h, availability: 'drain' });
    s = create(s, service('web', { replicas: 5 }));
    for (const h of ['a', 'b']) s = run(s, { kind: 'node.update', node: h, availability: 'active' });
    s = settled(s);
    expect(runningPerNode(s, 'web')).toEqual({ c: 5 });
    s = batched(run(s, { kind: 'service.scale', scales: [{ service: 'web', replicas: 17 }] }));
    const per = runningPerNode(s, 'web');
    expect(per.c).toBe(7);
    expect([per.a, per.b].sort()).toEqual([3, 7]);
  });

  test('from the last node the loop wraps to the first even on a tie: (0,3,3) + 7 new tasks end at (5,4,4)', () => {
    // a takes tasks until b is strictly better (a at 4, past the tie at 3), b takes one, c takes
    // one; c is the last node, so the seventh task goes to a (nodeIter++), though a and c are equal.
    let s = cluster([{ hostname: 'a' }, { hostname: 'b' }, { hostname: 'c' }]);
    s = run(s, { kind: 'node.update', node: 'a', availability: 'drain' });
    s = create(s, service('web', { replicas: 6 }));
    s = settled(run(s, { kind: 'node.update', node: 'a', availability: 'active' }));
    expect(runningPerNode(s, 'web')).toEqual({ b: 3, c: 3 });
    s = batched(run(s, { kind: 'service.scale', scales: [{ service: 'web', replicas: 13 }] }));
    expect(runningPerNode(s, 'web')).toEqual({ a: 5, b: 4, c: 4 });
  });

  test('a node found full is skipped without being tried again, so it is not in the explanation', () => {
    // a has room for 1 task, b and c for 3 (1 CPU per task); 8 replicas in one pass, 7 fit. Going
    // round, the loop finds a full once, marks it (failedConstraints) and skips it from then on
    // without running the filters; the pass ends when b and c fail: "on 2 nodes", not 3.
    // (The pass that follows, on the store update of that pending task, finds all three full.)
    const base = cluster([
      { hostname: 'a', nanoCpus: CPU },
      { hostname: 'b', nanoCpus: 3 * CPU },
      { hostname: 'c', nanoCpus: 3 * CPU },
    ]);
    const s = firstPass(run(base, { kind: 'service.create', spec: service('web', { replicas: 8 }, oneCpu) }));
    const placed: Record<string, number> = {};
    for (const t of serviceTasks(s, 'web'))
      if (t.observed === 'assigned') {
        const h = s.nodes.find((n) => n.id === t.nodeId)!.hostname;
        placed[h] = (placed[h] ?? 0) + 1;
      }
    expect(placed).toEqual({ a: 1, b: 3, c: 3 });
    const pending = serviceTasks(s, 'web').filter((t) => t.observed === 'pending');
    expect(pending.map((t) => t.err)).toEqual(['no suitable node (insufficient resources on 2 nodes)']);
    const after = settled(s);
    expect(serviceTasks(after, 'web').find((t) => t.observed === 'pending')?.err).toBe(
      'no suitable node (insufficient resources on 3 nodes)',
    );
  });
});

describe('which nodes a leaf keeps (nodeset.go (tree): a heap of the n best)', () => {
  // n new tasks keep only the n best passing nodes; a better node pushes out the worst one kept.
  // Setup: x holds 1 task of web, y 3, z none (x and y joined in the given order, z last); 1 CPU per
  // task and z has room for one. Two new tasks: the leaf keeps z and x, not y. z takes the first; the
  // tie x(1)/z(1) keeps the loop on z, z is full, so x takes the second.
  const build = (order: ['x', 'y'] | ['y', 'x']) => {
    let s = cluster([{ hostname: 'm' }]);
    s = settled(run(s, { kind: 'node.update', node: 'm', availability: 'drain' }));
    const cpus: Record<string, number> = { x: 2 * CPU, y: 4 * CPU };
    for (const h of order)
      s = run(s, { kind: 'swarm.join', node: { ...defaultNode(h, 'worker'), nanoCpus: cpus[h] } });
    s = settled(run(s, { kind: 'node.update', node: 'x', availability: 'drain' }));
    s = create(s, service('web', { replicas: 3 }, oneCpu));
    s = settled(run(s, { kind: 'node.update', node: 'x', availability: 'active' }));
    s = settled(run(s, { kind: 'service.scale', scales: [{ service: 'web', replicas: 4 }] }));
    expect(runningPerNode(s, 'web')).toEqual({ x: 1, y: 3 });
    s = run(s, { kind: 'swarm.join', node: { ...defaultNode('z', 'worker'), nanoCpus: CPU } });
    return settled(run(s, { kind: 'service.scale', scales: [{ service: 'web', replicas: 6 }] }));
  };

  test('the worst kept node is the one replaced (x joined before y)', () => {
    expect(runningPerNode(build(['x', 'y']), 'web')).toEqual({ x: 2, y: 3, z: 1 });
  });

  test('the worst kept node is the one replaced (y joined before x)', () => {
    expect(runningPerNode(build(['y', 'x']), 'web')).toEqual({ x: 2, y: 3, z: 1 });
  });
});

describe('placement preferences (scheduler.go (scheduleNTasksOnSubtree))', () => {
  test('a leaf asked again in a later round re-checks its nodes first (decision_tree.go (orderedNodes))', () => {
    // Zones a (2 CPUs), b (2 CPUs), c (1 CPU), 1 CPU per task, 6 replicas. Round 1 aims at 2 per zone:
    // a and b take 2, c takes 1 and is set aside. Round 2 asks a and b for the sixth task again;
    // their nodes are full now and fail the filters, so nothing is overcommitted and one task stays
    // pending.
    const nodes = ['a', 'b', 'c'].map((z) => ({
      hostname: `${z}1`,
      labels: { zone: z },
      nanoCpus: (z === 'c' ? 1 : 2) * CPU,
    }));
    const s = create(
      cluster(nodes),
      service(
        'web',
        { replicas: 6 },
        { ...oneCpu, placement: { constraints: [], preferences: ['node.labels.zone'], maxReplicas: 0 } },
      ),
    );
    expect(runningPerNode(s, 'web')).toEqual({ a1: 2, b1: 2, c1: 1 });
    const pending = serviceTasks(s, 'web').filter((t) => t.observed === 'pending');
    expect(pending).toHaveLength(1);
    expect(pending[0].err).toMatch(/^no suitable node \(insufficient resources on \d nodes?\)$/);
  });
});

/**
 * How one pass splits its tasks over the branches of the preference tree: scheduler.go
 * (scheduleNTasksOnSubtree) evens the branches out counting the tasks they already have, gives the
 * remainder one by one, sets aside a branch that took fewer than asked and goes round again. Go visits
 * the branches in map order (random); the model visits them in the order their first node joined, so
 * these tests assert only what holds in every order.
 */
describe('placement preferences: splitting a pass over the branches (scheduler.go (scheduleNTasksOnSubtree))', () => {
  const zoned = (zones: Record<string, number[]>) =>
    cluster(
      Object.entries(zones).flatMap(([zone, cpus]) =>
        cpus.map((c, i) => ({ hostname: `${zone}${i + 1}`, labels: { zone }, nanoCpus: c * CPU })),
      ),
    );
  const spread = (replicas: number, preferences = ['node.labels.zone']) =>
    service('web', { replicas }, { ...oneCpu, placement: { constraints: [], preferences, maxReplicas: 0 } });
  const scale = (s: State, replicas: number) =>
    batched(run(s, { kind: 'service.scale', scales: [{ service: 'web', replicas }] }));
  /** Running tasks of web per value of node label `label`, and how many are pending. */
  const per = (s: State, label = 'zone') => {
    const out: Record<string, number> = {};
    for (const t of serviceTasks(s, 'web'))
      if (t.observed === 'running') {
        const v = s.nodes.find((n) => n.id === t.nodeId)!.labels[label];
        out[v] = (out[v] ?? 0) + 1;
      }
    return out;
  };
  const pending = (s: State) => serviceTasks(s, 'web').filter((t) => t.observed === 'pending').length;
  const sorted = (o: Record<string, number>) => Object.values(o).sort((x, y) => x - y);

  test('a branch already at its share gets nothing: (1,0,0) + 2 ends at (1,1,1)', () => {
    // 3 tasks over 3 zones: 1 each. The zone that has one is at its share with no remainder left,
    // so it is not asked at all (asking it for 0 would still hand it a task).
    let s = createBatched(zoned({ a: [9], b: [9], c: [9] }), spread(1));
    expect(sorted(per(s))).toEqual([1]);
    s = scale(s, 3);
    expect(per(s)).toEqual({ a: 1, b: 1, c: 1 });
  });

  test('every branch at its share: the remainder tops one up, no task is left pending', () => {
    // (1,1,1) + 1: 4 over 3 zones is 1 each, remainder 1; all three are at 1, and the one that
    // gets the remainder is asked for exactly one.
    let s = createBatched(zoned({ a: [9], b: [9], c: [9] }), spread(3));
    expect(per(s)).toEqual({ a: 1, b: 1, c: 1 });
    s = scale(s, 4);
    expect(sorted(per(s))).toEqual([1, 1, 2]);
    expect(pending(s)).toBe(0);
  });

  test('a branch asked for its share is asked for the difference, not the share: (1,0,0) + 3 ends at (2,1,1)', () => {
    let s = createBatched(zoned({ a: [9], b: [9], c: [9] }), spread(1));
    s = scale(s, 4);
    expect(sorted(per(s))).toEqual([1, 1, 2]);
  });

  test('a branch that took fewer than asked is set aside, and the others go round again', () => {
    // Zone a has room for one task, b for nine. 4 tasks: 2 each asked; a takes 1 and is set aside;
    // the next round splits the one left over b alone.
    const s = createBatched(zoned({ a: [1], b: [9] }), spread(4));
    expect(per(s)).toEqual({ a: 1, b: 3 });
    expect(pending(s)).toBe(0);
  });

  test('two levels (zone, then rack): a zone asked for 4 splits them over its racks and takes exactly 4', () => {
    // Each zone: a rack with room for 1 and a rack with room for 9. 8 tasks: 4 per zone. In a zone, 2
    // per rack: the small rack takes 1 and is set aside, the big one takes 2, then the big one alone is
    // asked for the last one. Asking it for more than its zone's 4 would hand it tasks meant for the
    // other zone.
    const nodes = [
      { hostname: 'x1', labels: { zone: 'x', rack: 'r1' }, nanoCpus: CPU },
      { hostname: 'x2', labels: { zone: 'x', rack: 'r2' }, nanoCpus: 9 * CPU },
      { hostname: 'y1', labels: { zone: 'y', rack: 'r3' }, nanoCpus: CPU },
      { hostname: 'y2', labels: { zone: 'y', rack: 'r4' }, nanoCpus: 9 * CPU },
    ];
    const s = createBatched(cluster(nodes), spread(8, ['node.labels.zone', 'node.labels.rack']));
    expect(per(s)).toEqual({ x: 4, y: 4 });
    expect(per(s, 'rack')).toEqual({ r1: 1, r2: 3, r3: 1, r4: 3 });
  });

  test('two levels: an inner branch can take more than its zone was asked for (the loop stops on !=, not <)', () => {
    // Zones x and y alike: rack p with 5 tasks of web, racks q and r with none. 2 new tasks: 12 over
    // two zones is 6 each, so the first zone visited is asked for 1. Inside it, 6 over three racks
    // is 2 each: the first empty rack is asked for 2 and, the pass's tasks being shared down the
    // tree, takes both. The zone has now scheduled 2 for an ask of 1; its loop runs on (2 != 1),
    // finds no rack below its share and stops (converging = false). The other zone gets nothing.
    const racks = ['p', 'q', 'r'];
    const nodes = ['x', 'y'].flatMap((zone) =>
      racks.map((rack) => ({
        hostname: `${zone}${rack}`,
        labels: { zone, rack: `${zone}${rack}` },
        nanoCpus: 9 * CPU,
      })),
    );
    let s = cluster(nodes);
    const empty = nodes.filter((n) => !n.hostname.endsWith('p')).map((n) => n.hostname);
    for (const node of empty) s = run(s, { kind: 'node.update', node, availability: 'drain' });
    s = createBatched(s, spread(10, ['node.labels.zone', 'node.labels.rack']));
    expect(per(s, 'rack')).toEqual({ xp: 5, yp: 5 });
    for (const node of empty) s = run(s, { kind: 'node.update', node, availability: 'active' });
    s = scale(settled(s), 12);
    const added = sorted(per(s, 'rack')).filter((n) => n !== 5);
    expect(added).toEqual([2]);
    expect(sorted(per(s))).toEqual([5, 7]);
  });

  test('a re-asked leaf keeps those of its nodes that still pass the filters', () => {
    // Zone a: two nodes with room for 1 and 9; zone b: room for 1. 6 tasks: 3 each asked. b takes 1
    // and is set aside; a takes 3 (one on a1, which is then full, two on a2). Next round a is asked for
    // the rest: a1 now fails the filters and is dropped, a2 still passes and takes them.
    const s = firstPass(run(zoned({ a: [1, 9], b: [1] }), { kind: 'service.create', spec: spread(6) }));
    const assigned = serviceTasks(s, 'web').filter((t) => t.observed === 'assigned');
    const on = (h: string) => assigned.filter((t) => t.nodeId === nodeId(s, h)).length;
    expect([on('a1'), on('a2'), on('b1')]).toEqual([1, 4, 1]);
  });

  /**
   * Two levels over nodes named zone-letter, rack-digit, node-digit (x10: zone x, rack x1); each task
   * reserves one CPU. `drained` nodes are drained while the first `first` replicas are placed, then
   * made active again; then web is scaled to `second` in one pass. The comments trace Go's
   * scheduleNTasksOnSubtree with the subtree counts fixed at the start of the pass (tree.tasks is
   * not updated as tasks are placed) and branches visited in the model's order.
   */
  const racked = (cpus: Record<string, number>, drained: string[], first: number, second: number) => {
    let s = cluster(
      Object.entries(cpus).map(([h, c]) => ({
        hostname: h,
        labels: { zone: h[0], rack: h.slice(0, 2) },
        nanoCpus: c * CPU,
      })),
    );
    for (const node of drained) s = run(s, { kind: 'node.update', node, availability: 'drain' });
    s = createBatched(s, spread(first, ['node.labels.zone', 'node.labels.rack']));
    for (const node of drained) s = run(s, { kind: 'node.update', node, availability: 'active' });
    s = scale(settled(s), second);
    const pending = serviceTasks(s, 'web').filter((t) => t.observed === 'pending').length;
    return { ...runningPerNode(s, 'web'), ...(pending > 0 ? { pending } : {}) };
  };

  test('a zone stops once it has placed what it was asked for, though a rack is still under its share', () => {
    // 2 replicas: x00 and y00. Scaled to 4: x (1) and y (1) are each asked for 1. In x, 2 over two
    // racks is 1 each, so x1 takes one and x has placed its 1: it stops, and y is asked for its own.
    // Going on would re-split x by its counts from before the pass (x1 still 0 < 1) and give x1 the
    // task meant for y.
    expect(racked({ x00: 1, x10: 4, y00: 1, y10: 4 }, [], 2, 4)).toEqual({ x00: 1, x10: 1, y00: 1, y10: 1 });
  });

  test('the share of a round is split over the branches still usable', () => {
    // 2 replicas with only y01 active: both on y01. Active again, scaled to 7 (5 new, room for 3
    // more): x (0) is asked for 4 and takes 1 (x00 is full), set aside; y (2) is asked for 2. In y,
    // 4 over two racks is 2 each: y1 (0) is asked for 2, takes 1 (y10) and is set aside; next round
    // the one usable rack y0 gets all of (2 + 2 - 1) = 3, so it is asked for 1 and y00 takes it.
    // Splitting over both racks again would give y0 a share of 1, below its 2, and leave y00 empty.
    expect(racked({ x00: 1, y00: 1, y01: 2, y10: 1 }, ['x00', 'y00', 'y10'], 2, 7)).toEqual({
      x00: 1,
      y00: 1,
      y01: 2,
      y10: 1,
      pending: 2,
    });
  });

  test('after an overshoot there is no remainder left to hand out', () => {
    // 1 replica: x10 (x00 and y00 drained). Scaled to 4: x (1) and y (0) are asked for 1 and 2. In
    // x, 2 over three racks is 0 each with a remainder of 2: x0 and x2 each take one in the same
    // round, 2 for an ask of 1 (the loop stops on !=). The next round has (1 + 1 - 2) = 0 to split:
    // no share, no remainder, so x stops and y00 takes the last task. Counting the placed tasks in
    // the remainder would hand x2 a second one.
    expect(racked({ x00: 1, x10: 1, x20: 2, y00: 3, y01: 1 }, ['x00', 'y00'], 1, 4)).toEqual({
      x00: 1,
      x10: 1,
      x20: 1,
      y00: 1,
    });
  });

  test('a zone set aside takes its tasks out of the count being split', () => {
    // 3 replicas: x00, x01, y00 (y10 drained). Scaled to 7 (4 new): x (2, both nodes full) is asked
    // for 2, takes none and is set aside; y (1) is asked for 3 and places them on y00, y10 and y20.
    // Next round only y is usable, with its own 1 task: (1 + 4 - 3) = 2 is its share, so it is asked
    // for 1, which goes to y11, the rack-y1 node with fewer tasks. Keeping x's 2 tasks in the count
    // would ask y for 5 and pile the last task on y00.
    expect(racked({ x00: 1, x01: 1, y00: 4, y10: 2, y11: 2, y20: 2 }, ['y10'], 3, 7)).toEqual({
      x00: 1,
      x01: 1,
      y00: 2,
      y10: 1,
      y11: 1,
      y20: 1,
    });
  });
});

describe('the status the scheduler writes', () => {
  test('an unassigned task it places: ASSIGNED, "scheduler assigned task to node"', () => {
    // scheduler.go (scheduleNTasksOnNodes): a fresh TaskStatus{State: ASSIGNED, Message}.
    const s0 = run(cluster([{ hostname: 'a' }]), { kind: 'service.create', spec: service('web') });
    const s = stepUntil(s0, (x) => serviceTasks(x, 'web').some((t) => t.observed === 'assigned'));
    const t = serviceTasks(s, 'web')[0];
    expect([t.observed, t.message, t.err]).toEqual(['assigned', 'scheduler assigned task to node', '']);
  });

  test('a global task that fits its node at last: ASSIGNED, its old explanation cleared', () => {
    // scheduler.go (taskFitNode): newT.Status = TaskStatus{State: ASSIGNED, Message: "scheduler
    // confirmed task can run on preassigned node"}: a fresh status, so no Err.
    let s = create(cluster([{ hostname: 'a', nanoCpus: 2 * CPU }]), service('hog', {}, oneCpu));
    s = create(
      s,
      service(
        'mon',
        { mode: 'global', replicas: undefined },
        { reservations: { nanoCpus: 1.5 * CPU, memoryBytes: 0 } },
      ),
    );
    const mon = serviceTasks(s, 'mon')[0];
    expect([mon.observed, mon.err]).toEqual(['pending', 'insufficient resources on 1 node']);
    s = stepUntil(
      run(s, { kind: 'service.rm', service: 'hog' }),
      (x) => task(x, mon.id).observed === 'assigned',
    );
    const t = task(s, mon.id);
    expect([t.message, t.err]).toEqual(['scheduler confirmed task can run on preassigned node', '']);
  });

  test('a pending task of an older spec version, shut down by the updater, goes to SHUTDOWN with no error', () => {
    // scheduler.go (noSuitableNode): State = SHUTDOWN, Err = "" (it had "no suitable node (…)").
    let s = create(
      cluster([{ hostname: 'a', nanoCpus: CPU }]),
      service('web', { replicas: 1 }, { reservations: { nanoCpus: 2 * CPU, memoryBytes: 0 } }),
    );
    const old = serviceTasks(s, 'web')[0];
    expect(old.err).toBe('no suitable node (insufficient resources on 1 node)');
    s = run(s, { kind: 'service.update', service: 'web', update: { reservations: { nanoCpus: CPU / 2 } } });
    s = stepUntil(s, (x) => task(x, old.id)?.observed === 'shutdown');
    expect(task(s, old.id).err).toBe('');
  });
});

/**
 * Failure-prone nodes when several tasks are placed at once or both nodes count five failures:
 * scheduler.go (scheduleTaskGroup: nodeLess) and nodeinfo.go (countRecentFailures).
 */
describe('ranking of failure-prone nodes (scheduler.go (nodeLess))', () => {
  const start = () =>
    create(cluster([{ hostname: 'a' }, { hostname: 'b' }]), service('web', { replicas: 2 }, { restart }));
  const runningOn = (s: State, host: string) =>
    serviceTasks(s, 'web').filter((t) => t.nodeId === nodeId(s, host) && t.observed === 'running');
  const exitOn = (s: State, host: string) =>
    settled(act(s, { actor: 'fault', kind: 'exit', task: runningOn(s, host)[0].id, code: 1 }));

  test('two replacements at once: the node with five failures gets neither, though it has fewer tasks', () => {
    // After five failures on a, both tasks run on b. Both fail together (two failures on b): the two
    // replacements are one group; a (5 failures, no web task) ranks after b (2 failures) whatever the
    // counts, so after b takes the first, the loop does not move on to a.
    let s = start();
    for (let i = 0; i < 5; i++) s = exitOn(s, 'a');
    expect(runningPerNode(s, 'web')).toEqual({ b: 2 });
    for (const t of runningOn(s, 'b')) s = act(s, { actor: 'fault', kind: 'exit', task: t.id, code: 1 });
    s = settled(s);
    expect(runningPerNode(s, 'web')).toEqual({ b: 2 });
  });

  test.each([
    ['a', 'b'],
    ['b', 'a'],
  ])(
    'both nodes at five failures (%s first, then %s): back to fewer tasks of the service',
    (first, second) => {
      // Five failures on `first` send both tasks to `second`; five more there leave both nodes at five.
      // Failures no longer decide (equal), so the fifth replacement goes to `first`, with no web task.
      let s = start();
      for (let i = 0; i < 5; i++) s = exitOn(s, first);
      expect(runningPerNode(s, 'web')).toEqual({ [second]: 2 });
      for (let i = 0; i < 4; i++) s = exitOn(s, second);
      expect(runningPerNode(s, 'web')).toEqual({ [second]: 2 });
      s = exitOn(s, second);
      expect(runningPerNode(s, 'web')).toEqual({ [first]: 1, [second]: 1 });
    },
  );
});

describe('the scheduler judges a pending task by its own service (scheduler.go (noSuitableNode))', () => {
  test("another service's newer spec version does not make a pending task look obsolete", () => {
    // noSuitableNode reads the task's own service (store.GetService(tx, t.ServiceID)) to compare spec
    // versions: web, updated once, is at a newer version than db's only task, which must still get
    // its explanation.
    let s = create(cluster([{ hostname: 'a' }]), service('web'));
    s = settled(run(s, { kind: 'service.update', service: 'web', update: { force: true } }));
    s = create(
      s,
      service(
        'db',
        {},
        { placement: { constraints: ['node.labels.zone==x'], preferences: [], maxReplicas: 0 } },
      ),
    );
    expect(serviceTasks(s, 'db').map((t) => [t.observed, t.err])).toEqual([
      ['pending', 'no suitable node (scheduling constraints not satisfied on 1 node)'],
    ]);
  });
});

describe('the failure memory (nodeinfo.go (taskFailed))', () => {
  test('a new failure drops from the front only the failures 5 minutes old, keeping the recent ones', () => {
    // Failures of web on a at T, T + 1 min and T + 2 min; a fourth at T + 5 min 30 s drops T only:
    // the list is [T + 1 min, T + 2 min, T + 5 min 30 s].
    let s = create(
      cluster([{ hostname: 'a' }, { hostname: 'b' }]),
      service('web', { replicas: 2 }, { restart }),
    );
    const a = nodeId(s, 'a');
    const exitOnA = (x: State) => {
      const t = serviceTasks(x, 'web').find((y) => y.nodeId === a && y.observed === 'running')!;
      return settled(act(x, { actor: 'fault', kind: 'exit', task: t.id, code: 1 }));
    };
    const at: number[] = [];
    for (const wait of [0, 60_000, 60_000, 210_000]) {
      s = exitOnA(waited(s, wait));
      at.push(s.schedulerFailures[0].at.at(-1)!);
    }
    expect(s.schedulerFailures.map((f) => [f.node, f.at])).toEqual([[a, [at[1], at[2], at[3]]]]);
    expect(at[3] - at[0]).toBeGreaterThanOrEqual(5 * 60_000);
    expect(at[3] - at[1]).toBeLessThan(5 * 60_000);
  });
});
