/**
 * Each named invariant of model/invariants.ts catches the violation it names: a real state from a small
 * cluster, one field corrupted by hand, and the check must report it (and stay silent on the real step).
 * The random runs of invariants.test.ts show the model keeps them; this shows they would notice if it
 * did not.
 */
import { describe, expect, test } from 'vitest';
import type { Action } from '../../model/actions.ts';
import { checkStep, stateInvariants, stepInvariants, transitionOwners } from '../../model/invariants.ts';
import { settle } from '../../model/settle.ts';
import type { PortConfig } from '../../model/spec.ts';
import type { Node, State, Task } from '../../model/state.ts';
import { act, cluster, create, nodeId, run, service, serviceTasks } from './helpers.ts';

const base = (): State => {
  const s = cluster([{ hostname: 'm1' }, { hostname: 'w1' }, { hostname: 'w2' }]);
  return create(create(s, service('web', { replicas: 3 })), {
    ...service('mon'),
    mode: 'global',
    replicas: undefined,
  });
};
const S = base();
const web = serviceTasks(S, 'web');
const mon = serviceTasks(S, 'mon');
const withTask = (s: State, id: string, patch: Partial<Task>): State => ({
  ...s,
  tasks: s.tasks.map((t) => (t.id === id ? { ...t, ...patch } : t)),
});
const stateInv = (name: string) => stateInvariants.find((i) => i.name === name)!;
const stepInv = (name: string) => stepInvariants.find((i) => i.name === name)!;
const NOOP: Action = { actor: 'clock', kind: 'advance', to: S.now };

test('the real state passes every invariant', () => {
  expect(checkStep(S, NOOP, S)).toEqual([]);
});

describe('state invariants', () => {
  const t = web[0];
  test('DesiredStateValid', () => {
    expect(
      stateInv('DesiredStateValid').check(withTask(S, t.id, { desired: 'bogus' as Task['desired'] })),
    ).toBe(`task ${t.id} desired bogus`);
    expect(
      stateInv('DesiredStateValid').check(withTask(S, t.id, { observed: 'bogus' as Task['observed'] })),
    ).toBe(`task ${t.id} observed bogus`);
  });
  test('UniqueTaskIds', () => {
    expect(stateInv('UniqueTaskIds').check({ ...S, tasks: [...S.tasks, web[1]] })).toBe('duplicate task id');
  });
  test('AssignedHasNode: from ASSIGNED on, except a task shut down while pending', () => {
    expect(stateInv('AssignedHasNode').check(withTask(S, t.id, { nodeId: '' }))).toBe(
      `task ${t.id} is running without a node`,
    );
    expect(stateInv('AssignedHasNode').check(withTask(S, t.id, { nodeId: '', observed: 'assigned' }))).toBe(
      `task ${t.id} is assigned without a node`,
    );
    expect(
      stateInv('AssignedHasNode').check(withTask(S, t.id, { nodeId: '', observed: 'shutdown' })),
    ).toBeNull();
    expect(
      stateInv('AssignedHasNode').check(withTask(S, t.id, { nodeId: '', observed: 'pending' })),
    ).toBeNull();
  });
  test('SlotShape: replicated slots from 1; global tasks in slot 0 with their node', () => {
    expect(stateInv('SlotShape').check(withTask(S, t.id, { slot: 0 }))).toBe(
      `replicated task ${t.id} in slot 0`,
    );
    expect(stateInv('SlotShape').check(withTask(S, mon[0].id, { slot: 1 }))).toBe(
      `global task ${mon[0].id} without its node`,
    );
    expect(stateInv('SlotShape').check(withTask(S, mon[0].id, { nodeId: '' }))).toBe(
      `global task ${mon[0].id} without its node`,
    );
    // A task whose service is gone is not judged.
    expect(stateInv('SlotShape').check({ ...withTask(S, t.id, { slot: 0 }), services: [] })).toBeNull();
  });
  test('LeaderHasQuorum', () => {
    const down = act(S, { actor: 'fault', kind: 'crash', node: nodeId(S, 'w1') });
    expect(stateInv('LeaderHasQuorum').check(down)).toBeNull();
    const bad = { ...S, raft: { ...S.raft, leader: nodeId(S, 'w1') } };
    expect(stateInv('LeaderHasQuorum').check(bad)).toBe(`leader ${nodeId(S, 'w1')} has no quorum`);
    expect(stateInv('LeaderHasQuorum').check({ ...S, raft: { ...S.raft, leader: '' } })).toBeNull();
  });
  test('SchedulerMemoryWellFormed', () => {
    const n = nodeId(S, 'w1');
    const f = (at: number[], node = n, specVersion = 0) => ({ node, serviceId: 's1', specVersion, at });
    const check = (list: ReturnType<typeof f>[], now = 100) =>
      stateInv('SchedulerMemoryWellFormed').check({ ...S, now, schedulerFailures: list } as State);
    expect(check([f([10, 20]), f([5], n, 1)])).toBeNull();
    expect(check([f([10]), f([20])])).toBe(`two failure lists for ${n} s1 0`);
    expect(check([f([10], 'gone')])).toBe('failures remembered for missing node gone');
    expect(check([f([])])).toBe(`empty failure list for ${n} s1 0`);
    expect(check([f([20, 10])])).toBe(`failure times of ${n} s1 0 out of order: 20, 10 (now 100)`);
    expect(check([f([10, 10, 100])])).toBeNull();
    expect(check([f([10, 101])])).toBe(`failure times of ${n} s1 0 out of order: 10, 101 (now 100)`);
  });
  test('TasksInCreationOrder', () => {
    const [x, y] = web;
    const swapped = { ...S, tasks: S.tasks.map((t) => (t.id === x.id ? y : t.id === y.id ? x : t)) };
    expect(stateInv('TasksInCreationOrder').check(swapped)).toBe(
      `task ${y.id} listed before the younger ${x.id}`,
    );
    const older = withTask(S, y.id, { createdAt: x.createdAt - 1 });
    expect(stateInv('TasksInCreationOrder').check(older)).toBe(
      `task ${x.id} listed before the younger ${y.id}`,
    );
    // The order is (createdAt, seq): seq only breaks ties, so an earlier creation time comes first
    // whatever the two sequence numbers say.
    expect(S.tasks[0].id).toBe(x.id);
    const earlier = withTask(S, x.id, { createdAt: x.createdAt - 1, seq: y.seq + 1 });
    expect(stateInv('TasksInCreationOrder').check(earlier)).toBeNull();
  });
  test('DispatcherTimersMatchStatus', () => {
    const w1 = S.nodes.find((n) => n.hostname === 'w1')!;
    const withNode = (patch: Partial<State['nodes'][number]>): State => ({
      ...S,
      nodes: S.nodes.map((n) => (n.id === w1.id ? { ...n, ...patch } : n)),
    });
    const inv = stateInv('DispatcherTimersMatchStatus');
    expect(inv.check(withNode({ status: 'down', dispatcher: { heartbeatDeadline: 5, orphanAt: 9 } }))).toBe(
      'node w1 is down with a heartbeat deadline',
    );
    expect(inv.check(withNode({ dispatcher: { heartbeatDeadline: -1, orphanAt: 9 } }))).toBe(
      'node w1 is ready with an orphaning deadline',
    );
    expect(
      inv.check(withNode({ status: 'down', dispatcher: { heartbeatDeadline: -1, orphanAt: 9 } })),
    ).toBeNull();
  });
  test('LeftMachinesStayStopped', () => {
    const left = { ...S, nodes: S.nodes.map((n) => (n.hostname === 'w2' ? { ...n, left: true } : n)) };
    expect(stateInv('LeftMachinesStayStopped').check(left)).toBe('node w2 left the swarm but is up');
    const gone = {
      ...S,
      nodes: S.nodes.map((n) => (n.hostname === 'w2' ? { ...n, left: true, up: false } : n)),
    };
    expect(stateInv('LeftMachinesStayStopped').check(gone)).toBeNull();
  });
  test('DelayedOnlyWhileReady', () => {
    const delayed = { startAt: 0, oldTaskId: '', oldNodeId: '', timeoutAt: 0 };
    expect(stateInv('DelayedOnlyWhileReady').check(withTask(S, t.id, { delayed }))).toBe(
      `task ${t.id} delayed with desired running`,
    );
    expect(
      stateInv('DelayedOnlyWhileReady').check(withTask(S, t.id, { delayed, desired: 'ready' })),
    ).toBeNull();
  });
});

describe('step invariants', () => {
  const t = web[0];
  const agent = (to: Task['observed']): Action => ({ actor: 'agent', kind: 'progress', task: t.id, to });
  test('StatesNeverDecrease: observed and desired', () => {
    const prev = withTask(S, t.id, { observed: 'complete' });
    expect(stepInv('StatesNeverDecrease').check(prev, NOOP, S)).toBe(
      `task ${t.id} observed complete → running`,
    );
    const prev2 = withTask(S, t.id, { desired: 'shutdown' });
    expect(stepInv('StatesNeverDecrease').check(prev2, NOOP, S)).toBe(
      `task ${t.id} desired shutdown → running`,
    );
    // New tasks have nothing to compare with.
    expect(stepInv('StatesNeverDecrease').check({ ...S, tasks: [] }, NOOP, S)).toBeNull();
  });
  test('TaskNeverChangesNode: a node once set never changes', () => {
    const prev = withTask(S, t.id, { nodeId: 'elsewhere' });
    expect(stepInv('TaskNeverChangesNode').check(prev, NOOP, S)).toBe(
      `task ${t.id} moved elsewhere → ${t.nodeId}`,
    );
    expect(stepInv('TaskNeverChangesNode').check(withTask(S, t.id, { nodeId: '' }), NOOP, S)).toBeNull();
  });
  test('TransitionsOK: observed moves by their owner only; tasks born NEW; desired by orchestration only', () => {
    const prev = withTask(S, t.id, { observed: 'starting' });
    expect(stepInv('TransitionsOK').check(prev, agent('running'), S)).toBeNull();
    expect(stepInv('TransitionsOK').check(prev, { actor: 'scheduler', kind: 'schedule' }, S)).toBe(
      `scheduler moved task ${t.id} starting → running`,
    );
    expect(
      stepInv('TransitionsOK').check({ ...S, tasks: S.tasks.filter((x) => x.id !== t.id) }, NOOP, S),
    ).toBe(`task ${t.id} created in running`);
    const lowered = withTask(S, t.id, { desired: 'shutdown' });
    expect(stepInv('TransitionsOK').check(S, agent('running'), lowered)).toBe(
      `agent changed desired state of ${t.id} running → shutdown`,
    );
    for (const actor of ['orchestrator', 'restart', 'updater', 'user', 'raft'] as const)
      expect(stepInv('TransitionsOK').check(S, { actor } as Action, lowered)).toBeNull();
    // A task born NEW, but by a component that never creates tasks: the message shows it had no state.
    const born = withTask(S, t.id, { observed: 'new', nodeId: '' });
    const before = { ...S, tasks: S.tasks.filter((x) => x.id !== t.id) };
    expect(stepInv('TransitionsOK').check(before, { actor: 'scheduler', kind: 'schedule' }, born)).toBe(
      `scheduler moved task ${t.id} ∅ → new`,
    );
    expect(stepInv('TransitionsOK').check(before, { actor: 'orchestrator' } as Action, born)).toBeNull();
  });
  test('transition owners, as orchestration.md §1.3 has them', () => {
    const a = NOOP;
    expect(transitionOwners(null, 'new', a)).toEqual(['orchestrator', 'restart', 'updater']);
    expect(transitionOwners('new', 'pending', a)).toEqual(['allocator']);
    expect(transitionOwners('pending', 'assigned', a)).toEqual(['scheduler']);
    expect(transitionOwners('pending', 'shutdown', a)).toEqual(['scheduler', 'agent']);
    expect(transitionOwners('running', 'shutdown', a)).toEqual(['agent']);
    expect(transitionOwners('assigned', 'rejected', a)).toEqual(['agent', 'orchestrator']);
    expect(transitionOwners('assigned', 'rejected', { actor: 'fault', kind: 'reject', task: 'x' })).toEqual([
      'agent',
      'orchestrator',
      'fault',
    ]);
    expect(transitionOwners('running', 'orphaned', a)).toEqual(['dispatcher', 'user']);
    expect(transitionOwners('running', 'complete', a)).toEqual(['agent']);
    expect(
      transitionOwners('running', 'failed', { actor: 'fault', kind: 'exit', task: 'x', code: 1 }),
    ).toEqual(['agent', 'fault']);
    expect(transitionOwners('ready', 'starting', a)).toEqual(['agent']);
    // A container exit (fault) ends a task; it cannot move one through the earlier states.
    const exit: Action = { actor: 'fault', kind: 'exit', task: 'x', code: 1 };
    expect(transitionOwners('starting', 'running', exit)).toEqual(['agent']);
    expect(transitionOwners('assigned', 'accepted', exit)).toEqual(['agent']);
  });
  test('LeaderOnlyComponents', () => {
    const leaderless = { ...S, raft: { ...S.raft, leader: '' } };
    for (const actor of [
      'orchestrator',
      'restart',
      'updater',
      'allocator',
      'scheduler',
      'dispatcher',
      'reaper',
    ])
      expect(stepInv('LeaderOnlyComponents').check(leaderless, { actor } as Action, S)).toBe(
        `${actor} acted without a leader`,
      );
    expect(stepInv('LeaderOnlyComponents').check(leaderless, agent('running'), S)).toBeNull();
    expect(stepInv('LeaderOnlyComponents').check(S, { actor: 'scheduler', kind: 'schedule' }, S)).toBeNull();
  });
  test('NewLeaderForgetsFailures and ClockMonotonic', () => {
    const f = [{ node: nodeId(S, 'w1'), serviceId: 's1', specVersion: 0, at: [0] }];
    const next = { ...S, raft: { ...S.raft, term: S.raft.term + 1 }, schedulerFailures: f } as State;
    expect(stepInv('NewLeaderForgetsFailures').check(S, NOOP, next)).toBe(
      `leader ${S.raft.leader} (term ${S.raft.term + 1}) starts with 1 failure lists`,
    );
    expect(stepInv('NewLeaderForgetsFailures').check(S, NOOP, { ...next, raft: S.raft })).toBeNull();
    // A term that moves on with nobody elected (a campaign that did not win) starts no scheduler.
    const noLeader = { ...next, raft: { ...next.raft, leader: '' } };
    expect(stepInv('NewLeaderForgetsFailures').check(S, NOOP, noLeader)).toBeNull();
    expect(stepInv('ClockMonotonic').check({ ...S, now: 10 }, NOOP, { ...S, now: 9 })).toBe(
      'clock went back 10 → 9',
    );
    expect(stepInv('ClockMonotonic').check({ ...S, now: 10 }, NOOP, { ...S, now: 10 })).toBeNull();
  });
  test('checkStep names the invariant in front of its message', () => {
    expect(checkStep({ ...S, now: 10 }, NOOP, { ...S, now: 9 })).toEqual([
      'ClockMonotonic: clock went back 10 → 9',
    ]);
    // Each violation is reported by the invariant that names it: a task listed twice in a row is a
    // duplicate id, not a break in creation order.
    const last = S.tasks[S.tasks.length - 1];
    expect(checkStep(S, NOOP, { ...S, tasks: [...S.tasks, last] })).toEqual([
      'UniqueTaskIds: duplicate task id',
    ]);
    // Every violation is listed: a copy of an older task appended at the end breaks two invariants.
    expect(checkStep(S, NOOP, { ...S, tasks: [...S.tasks, web[1]] })).toEqual([
      'UniqueTaskIds: duplicate task id',
      `TasksInCreationOrder: task ${S.tasks[S.tasks.length - 1].id} listed before the younger ${web[1].id}`,
    ]);
  });
});

describe('SchedulerPlacementOK: the node passed every filter when the scheduler assigned the task', () => {
  const HOST_8080: PortConfig = { protocol: 'tcp', targetPort: 80, publishedPort: 8080, mode: 'host' };
  const spec = service(
    'api',
    { endpoint: { mode: 'vip', ports: [HOST_8080] } },
    {
      placement: { constraints: ['node.role==worker'], preferences: [], maxReplicas: 1 },
      reservations: { nanoCpus: 1e9, memoryBytes: 2 ** 30 },
    },
  );
  const C = cluster([{ hostname: 'm1' }, { hostname: 'w1' }, { hostname: 'w2' }]);
  // The model's own scheduling step: api's one task goes from PENDING to ASSIGNED.
  const created = run(C, { kind: 'service.create', spec });
  const { steps } = settle(created);
  const at = steps.findIndex((x) => x.action.actor === 'scheduler');
  const prev = at === 0 ? created : steps[at - 1].state;
  const a = steps[at].action;
  const next = steps[at].state;
  const placed = next.tasks.find((t) => t.observed === 'assigned')!;
  const node = prev.nodes.find((n) => n.id === placed.nodeId)!;
  const inv = stepInv('SchedulerPlacementOK');
  const onNode = (s: State, patch: Partial<Node>): State => ({
    ...s,
    nodes: s.nodes.map((n) => (n.id === node.id ? { ...n, ...patch } : n)),
  });
  /**
   * The step with one more task, already on the node, present before and after it (and `mine`
   * changing the task being placed).
   */
  const alongside = (patch: Partial<Task>, mine: Partial<Task> = {}) => {
    const other: Task = {
      ...placed,
      id: 'other',
      serviceId: 'elsewhere',
      slot: 1,
      observed: 'running',
      seq: placed.seq + 1,
      ports: [],
      spec: { ...placed.spec, reservations: { nanoCpus: 0, memoryBytes: 0 } },
      ...patch,
    };
    const add = (st: State) => {
      const changed = withTask(st, placed.id, mine);
      return { ...changed, tasks: [...changed.tasks, other] };
    };
    return inv.check(add(prev), a, add(next));
  };
  const reserving = (nanoCpus: number, memoryBytes: number) => ({
    spec: { ...placed.spec, reservations: { nanoCpus, memoryBytes } },
  });

  test('the real step passes', () => {
    expect(prev.tasks.find((t) => t.id === placed.id)?.observed).toBe('pending');
    expect(inv.check(prev, a, next)).toBeNull();
  });
  test('a node that exists, is ready and active, and matches the constraints', () => {
    expect(inv.check(prev, a, withTask(next, placed.id, { nodeId: 'gone' }))).toBe(
      `task ${placed.id} assigned to missing node gone`,
    );
    expect(inv.check(onNode(prev, { status: 'down' }), a, next)).toBe(
      `task ${placed.id} assigned to ${node.hostname} (down/active)`,
    );
    expect(inv.check(onNode(prev, { availability: 'drain' }), a, next)).toBe(
      `task ${placed.id} assigned to ${node.hostname} (ready/drain)`,
    );
    expect(inv.check(onNode(prev, { role: 'manager' }), a, next)).toBe(
      `task ${placed.id} assigned to ${node.hostname} against its constraints`,
    );
  });
  test('reservations of the tasks on the node fit its resources, exactly full included', () => {
    const exceed = `reservations exceed ${node.hostname}'s resources`;
    expect(inv.check(onNode(prev, { nanoCpus: 1e9, memoryBytes: 2 ** 30 }), a, next)).toBeNull();
    expect(inv.check(onNode(prev, { nanoCpus: 1e9 - 1 }), a, next)).toBe(exceed);
    expect(inv.check(onNode(prev, { memoryBytes: 2 ** 30 - 1 }), a, next)).toBe(exceed);
    // The node has 2 CPUs and 4 GiB: what its other tasks reserve counts too ...
    expect(alongside(reserving(1e9, 0))).toBeNull();
    expect(alongside(reserving(1e9 + 1, 0))).toBe(exceed);
    expect(alongside(reserving(0, 3 * 2 ** 30 + 1))).toBe(exceed);
    // ... but not a task on another node, nor one the scheduler no longer tracks (past RUNNING).
    const elsewhere = C.nodes.find((n) => n.id !== node.id)!.id;
    expect(alongside({ ...reserving(2e9, 0), nodeId: elsewhere })).toBeNull();
    expect(alongside({ ...reserving(2e9, 0), observed: 'failed' })).toBeNull();
  });
  test('a host-mode published port is used once per node and protocol', () => {
    expect(alongside({ ports: [HOST_8080] })).toBe(`host port tcp/8080 used twice on ${node.hostname}`);
    expect(alongside({ ports: [{ ...HOST_8080, protocol: 'udp' }] })).toBeNull();
    expect(alongside({ ports: [{ ...HOST_8080, publishedPort: 8081 }] })).toBeNull();
    // The routing mesh publishes on every node without holding the node's port.
    expect(alongside({ ports: [{ ...HOST_8080, mode: 'ingress' }] })).toBeNull();
    // Host mode without a published port: the engine picks a free one, no conflict.
    const dynamic = { ...HOST_8080, publishedPort: 0 };
    expect(alongside({ ports: [dynamic] }, { ports: [dynamic] })).toBeNull();
  });
  test('max replicas per node counts the tasks of the service meant to be active (desired ≤ COMPLETE)', () => {
    const svc = placed.serviceId;
    const twice = `2 tasks of ${svc} on ${node.hostname} > max 1`;
    expect(alongside({ serviceId: svc, desired: 'running' })).toBe(twice);
    // nodeinfo.go (addTask) counts a task while its desired state is at most COMPLETE (jobs) ...
    expect(alongside({ serviceId: svc, desired: 'complete' })).toBe(twice);
    // ... and not one being shut down, nor a task of another service.
    expect(alongside({ serviceId: svc, desired: 'shutdown' })).toBeNull();
    expect(alongside({ desired: 'running' })).toBeNull();
    // Max replicas 0 is no limit.
    const unlimited = { ...placed.spec, placement: { ...placed.spec.placement, maxReplicas: 0 } };
    expect(alongside({ serviceId: svc, desired: 'running' }, { spec: unlimited })).toBeNull();
  });
  test("only the scheduler's assignments are judged, and a task new in the step is not one", () => {
    const drained = onNode(prev, { availability: 'drain' });
    const allocator: Action = { actor: 'allocator', kind: 'allocate' };
    expect(inv.check(drained, allocator, next)).toBeNull();
    // Someone else assigning is TransitionsOK's violation, reported once, by that name.
    expect(checkStep(drained, allocator, next)).toEqual([
      `TransitionsOK: allocator moved task ${placed.id} pending → assigned`,
    ]);
    const without = { ...prev, tasks: prev.tasks.filter((t) => t.id !== placed.id) };
    expect(inv.check(without, a, next)).toBeNull();
  });
});
