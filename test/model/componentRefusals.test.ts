/**
 * Every component action that `enabled()` would not list is refused with its reason, never applied:
 * a replayed or hand-written trace (`swarm-model replay`, a `.swarm` step) that asks for one learns why.
 * Each case sets up the situation in which the action is not possible and checks the exact refusal; the
 * positive side (the action applies when it is listed) is what the rest of the suite runs.
 */
import { describe, expect, test } from 'vitest';
import { type Action, enabled, type State, step } from '../../model/index.ts';
import { act, cluster, create, nodeId, run, service, serviceTasks, settled } from './helpers.ts';

const refusal = (s: State, a: Action) => {
  const r = step(s, a);
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.error;
};
const three = () => cluster([{ hostname: 'a' }, { hostname: 'b' }, { hostname: 'c' }]);
const web = () => create(three(), service('web', { replicas: 3 }));
const on = (s: State, hostname: string) =>
  serviceTasks(s, 'web').find((t) => t.nodeId === nodeId(s, hostname))!;

describe('agent', () => {
  test('no such task; a node cut off from the dispatcher; a move the agent would not make', () => {
    let s = web();
    expect(refusal(s, { actor: 'agent', kind: 'progress', task: 'nope', to: 'running' })).toBe(
      'no such task nope',
    );
    const t = on(s, 'b');
    // Running at desired RUNNING: the agent has nothing to report.
    expect(refusal(s, { actor: 'agent', kind: 'progress', task: t.id, to: 'complete' })).toBe(
      `the agent would not move task ${t.id} to complete`,
    );
    s = act(s, { actor: 'fault', kind: 'partition', groups: [[nodeId(s, 'b')]] });
    expect(refusal(s, { actor: 'agent', kind: 'progress', task: t.id, to: 'shutdown' })).toBe(
      `the agent of task ${t.id} cannot reach the dispatcher`,
    );
  });
});

describe('allocator, reaper, clock', () => {
  test('nothing to allocate; nothing to reap; the clock never goes back', () => {
    const s = web();
    expect(refusal(s, { actor: 'allocator', kind: 'allocate' })).toBe('no new task to allocate');
    // The reaper's pass after the last task event has not run yet; after it, nothing is left to do.
    const reaped = act(s, { actor: 'reaper', kind: 'reap' });
    expect(refusal(reaped, { actor: 'reaper', kind: 'reap' })).toBe('the task reaper has nothing to do');
    expect(refusal(s, { actor: 'clock', kind: 'advance', to: s.now - 1 })).toBe(
      `the clock cannot go back to ${s.now - 1}`,
    );
    expect(refusal(s, { actor: 'clock', kind: 'advance', to: s.now + 0.5 })).toBe(
      `the clock cannot go back to ${s.now + 0.5}`,
    );
    // Advancing to now changes nothing and is accepted as the same state.
    expect(step(s, { actor: 'clock', kind: 'advance', to: s.now })).toEqual({ ok: true, state: s });
  });
});

describe('leader-only components without a leader', () => {
  test('each is refused with the same reason; agents, faults and the clock still act', () => {
    let s = cluster([
      { hostname: 'm1' },
      { hostname: 'm2', role: 'manager' },
      { hostname: 'm3', role: 'manager' },
    ]);
    s = create(s, service('web', { replicas: 3 }));
    const t = serviceTasks(s, 'web')[0];
    s = act(s, { actor: 'fault', kind: 'crash', node: nodeId(s, 'm2') });
    s = act(s, { actor: 'fault', kind: 'crash', node: nodeId(s, 'm3') });
    expect(s.raft.leader).toBe('');
    const NO_LEADER = 'no leader: leader-only components are stopped';
    for (const a of [
      { actor: 'dispatcher', kind: 'register', node: nodeId(s, 'm1') },
      { actor: 'orchestrator', kind: 'reconcile-service', service: s.services[0].id },
      { actor: 'restart', kind: 'restart-task', task: t.id },
      { actor: 'updater', kind: 'update-start', service: s.services[0].id },
      { actor: 'allocator', kind: 'allocate' },
      { actor: 'scheduler', kind: 'schedule' },
      { actor: 'reaper', kind: 'reap' },
    ] as Action[])
      expect(refusal(s, a)).toBe(NO_LEADER);
    expect(enabled(s).every((a) => ['raft', 'agent', 'fault', 'clock'].includes(a.actor))).toBe(true);
  });
});

describe('dispatcher', () => {
  test('no such node; registering a node that is READY or cut off', () => {
    let s = web();
    expect(refusal(s, { actor: 'dispatcher', kind: 'register', node: 'nope' })).toBe('no such node nope');
    expect(refusal(s, { actor: 'dispatcher', kind: 'register', node: nodeId(s, 'b') })).toBe(
      'node b cannot register now',
    );
    s = settled(act(s, { actor: 'fault', kind: 'crash', node: nodeId(s, 'b') }));
    s = settled(act(s, { actor: 'clock', kind: 'advance', to: s.now + 60_000 }));
    expect(s.nodes.find((n) => n.hostname === 'b')!.status).toBe('down');
    // Back up but partitioned away from the leader: it cannot reach a dispatcher to register.
    s = act(s, { actor: 'fault', kind: 'partition', groups: [[nodeId(s, 'b')]] });
    s = act(s, { actor: 'fault', kind: 'restart', node: nodeId(s, 'b') });
    expect(refusal(s, { actor: 'dispatcher', kind: 'register', node: nodeId(s, 'b') })).toBe(
      'node b cannot register now',
    );
  });

  test('heartbeat expiry only for an overdue node that is not yet DOWN; orphaning only when due', () => {
    let s = web();
    const b = nodeId(s, 'b');
    // Connected and heartbeating: not overdue.
    expect(refusal(s, { actor: 'dispatcher', kind: 'heartbeat-expired', node: b })).toBe(
      'node b is not overdue',
    );
    s = act(s, { actor: 'fault', kind: 'crash', node: b });
    // Crashed, but the deadline has not passed.
    expect(refusal(s, { actor: 'dispatcher', kind: 'heartbeat-expired', node: b })).toBe(
      'node b is not overdue',
    );
    expect(refusal(s, { actor: 'dispatcher', kind: 'orphan', node: b })).toBe(
      'node b is not due for orphaning',
    );
    s = settled(act(s, { actor: 'clock', kind: 'advance', to: s.now + 60_000 }));
    expect(s.nodes.find((n) => n.id === b)!.status).toBe('down');
    // DOWN already: not again.
    expect(refusal(s, { actor: 'dispatcher', kind: 'heartbeat-expired', node: b })).toBe(
      'node b is not overdue',
    );
    // DOWN for less than 24 h: not yet.
    expect(refusal(s, { actor: 'dispatcher', kind: 'orphan', node: b })).toBe(
      'node b is not due for orphaning',
    );
    const down = s.nodes.find((n) => n.id === b)!;
    s = act(s, { actor: 'clock', kind: 'advance', to: down.dispatcher.orphanAt - 1 });
    expect(refusal(s, { actor: 'dispatcher', kind: 'orphan', node: b })).toBe(
      'node b is not due for orphaning',
    );
    s = act(s, { actor: 'clock', kind: 'advance', to: down.dispatcher.orphanAt });
    s = act(s, { actor: 'dispatcher', kind: 'orphan', node: b });
    // Done once: the deadline is cleared.
    expect(refusal(s, { actor: 'dispatcher', kind: 'orphan', node: b })).toBe(
      'node b is not due for orphaning',
    );
  });
});

describe('faults', () => {
  test('crash needs a running node, restart a crashed one; a node that left is neither', () => {
    let s = web();
    const b = nodeId(s, 'b');
    expect(refusal(s, { actor: 'fault', kind: 'crash', node: 'nope' })).toBe('node nope is not running');
    expect(refusal(s, { actor: 'fault', kind: 'restart', node: 'nope' })).toBe('node nope is not crashed');
    expect(refusal(s, { actor: 'fault', kind: 'restart', node: b })).toBe(`node ${b} is not crashed`);
    s = act(s, { actor: 'fault', kind: 'crash', node: b });
    expect(refusal(s, { actor: 'fault', kind: 'crash', node: b })).toBe(`node ${b} is not running`);
    let l = run(web(), { kind: 'swarm.leave', node: 'c', force: false });
    const c = nodeId(l, 'c');
    expect(refusal(l, { actor: 'fault', kind: 'crash', node: c })).toBe(`node ${c} is not running`);
    expect(refusal(l, { actor: 'fault', kind: 'restart', node: c })).toBe(`node ${c} is not crashed`);
    l = settled(l);
    expect(enabled(l).some((a) => a.actor === 'fault' && 'node' in a && a.node === c)).toBe(false);
  });

  test('a container exits only while running on a node the leader reaches; a reject only before STARTING', () => {
    let s = web();
    const t = on(s, 'b');
    expect(refusal(s, { actor: 'fault', kind: 'exit', task: 'nope', code: 1 })).toBe(
      'task nope is not running on a reachable node',
    );
    expect(refusal(s, { actor: 'fault', kind: 'reject', task: t.id })).toBe(
      `task ${t.id} cannot be rejected now`,
    );
    expect(refusal(s, { actor: 'fault', kind: 'reject', task: 'nope' })).toBe(
      'task nope cannot be rejected now',
    );
    s = act(s, { actor: 'fault', kind: 'partition', groups: [[nodeId(s, 'b')]] });
    expect(refusal(s, { actor: 'fault', kind: 'exit', task: t.id, code: 0 })).toBe(
      `task ${t.id} is not running on a reachable node`,
    );
  });
});

describe('raft gate', () => {
  test('join only for a manager outside the group that reaches the leader; elect only without a leader', () => {
    let s = cluster([{ hostname: 'm1' }, { hostname: 'm2', role: 'manager' }, { hostname: 'w1' }]);
    const m2 = nodeId(s, 'm2');
    const w1 = nodeId(s, 'w1');
    expect(refusal(s, { actor: 'raft', kind: 'join', node: m2 })).toBe(
      `${m2} cannot join the Raft group now`,
    );
    expect(refusal(s, { actor: 'raft', kind: 'join', node: w1 })).toBe(
      `${w1} cannot join the Raft group now`,
    );
    expect(refusal(s, { actor: 'raft', kind: 'join', node: 'nope' })).toBe(
      'nope cannot join the Raft group now',
    );
    expect(refusal(s, { actor: 'raft', kind: 'elect', node: m2 })).toBe('there is already a leader');
    s = act(s, { actor: 'fault', kind: 'crash', node: nodeId(s, 'm1') });
    expect(s.raft.leader).toBe('');
    // One of two voters left: no majority anywhere.
    expect(refusal(s, { actor: 'raft', kind: 'elect', node: m2 })).toBe(
      `${m2} cannot become leader (no quorum in its partition)`,
    );
  });
});
