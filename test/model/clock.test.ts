/**
 * The clock jumps to the earliest pending deadline (model/clock.ts (nextDeadline)); these pin which
 * deadlines count. And the leader-reachability memo (model/controlplane.ts (connectedIds)) must answer
 * for the state it is given, whatever it answered before.
 */
import { describe, expect, test } from 'vitest';
import { connectedIds } from '../../model/controlplane.ts';
import { enabled, type State } from '../../model/index.ts';
import { act, cluster, create, nodeId, run, service, serviceTasks, waited } from './helpers.ts';

const clockTo = (s: State) =>
  enabled(s)
    .filter((a) => a.actor === 'clock')
    .map((a) => (a as { to: number }).to);

describe('next deadline', () => {
  test('a replacement whose delay is over but still waits for its old task does not hold the clock', () => {
    // Drain a node the leader cannot reach: the replacement (no restart delay on drain) waits for the
    // old task to stop, which never reports; time must still run to the heartbeat deadline, then to the
    // 1-minute old-task timeout (restart.go (DelayStart)).
    let s = cluster([{ hostname: 'a', availability: 'drain' }, { hostname: 'b' }, { hostname: 'c' }]);
    s = create(s, service('web', { replicas: 1 }));
    const old = serviceTasks(s, 'web')[0];
    const away = old.nodeId === nodeId(s, 'b') ? 'b' : 'c';
    s = act(s, { actor: 'fault', kind: 'partition', groups: [[nodeId(s, away)]] });
    s = run(s, { kind: 'node.update', node: away, availability: 'drain' });
    for (;;) {
      const a = enabled(s).find((x) => x.actor !== 'clock' && x.actor !== 'fault');
      if (a === undefined) break;
      s = act(s, a);
    }
    const waiting = serviceTasks(s, 'web').find((t) => t.id !== old.id)!;
    expect(waiting.delayed).toMatchObject({ startAt: s.now, oldTaskId: old.id });
    const node = s.nodes.find((n) => n.hostname === away)!;
    expect(clockTo(s)).toEqual([node.dispatcher.heartbeatDeadline]);
    expect(node.dispatcher.heartbeatDeadline).toBeLessThan(waiting.delayed!.timeoutAt);
  });
});

describe('the earliest deadline wins, whichever component owns it', () => {
  // A restart delay of `delayMs` after a container failure, and a node cut off (heartbeat countdown 15 s).
  const setup = (delayMs: number) => {
    let s = cluster([{ hostname: 'a', availability: 'drain' }, { hostname: 'b' }, { hostname: 'c' }]);
    s = create(
      s,
      service(
        'web',
        { replicas: 1 },
        { restart: { condition: 'any', delayMs, maxAttempts: 0, windowMs: 0 } },
      ),
    );
    const t = serviceTasks(s, 'web')[0];
    s = act(s, { actor: 'fault', kind: 'exit', task: t.id, code: 1 });
    for (;;) {
      const a = enabled(s).find((x) => x.actor !== 'clock' && x.actor !== 'fault');
      if (a === undefined) break;
      s = act(s, a);
    }
    const other = t.nodeId === nodeId(s, 'b') ? 'c' : 'b';
    return act(s, { actor: 'fault', kind: 'partition', groups: [[nodeId(s, other)]] });
  };
  test('a heartbeat deadline before a restart delay', () => {
    const s = setup(30_000);
    expect(clockTo(s)).toEqual([s.now + 15_000]);
  });
  test('two nodes cut off 5 s apart: the earlier countdown first', () => {
    let s = cluster([{ hostname: 'a' }, { hostname: 'b' }, { hostname: 'c' }]);
    const t0 = s.now;
    s = act(s, { actor: 'fault', kind: 'partition', groups: [[nodeId(s, 'b')]] });
    s = act(s, { actor: 'clock', kind: 'advance', to: t0 + 5_000 });
    s = act(s, { actor: 'fault', kind: 'partition', groups: [[nodeId(s, 'b')], [nodeId(s, 'c')]] });
    expect(clockTo(s)).toEqual([t0 + 15_000]);
  });
  test('an old-task timeout before a DOWN node’s orphaning', () => {
    // d is DOWN (orphaning due in 24 h). The task's node is drained: its replacement waits up to a
    // minute for the old task to stop (restart.go (DelayStart): oldTaskTimer), and the agent has not
    // reported the stop yet.
    let s = cluster([
      { hostname: 'a', availability: 'drain' },
      { hostname: 'b' },
      { hostname: 'c' },
      { hostname: 'd' },
    ]);
    s = act(s, { actor: 'fault', kind: 'crash', node: nodeId(s, 'd') });
    s = waited(s, 20_000);
    const d = s.nodes.find((n) => n.hostname === 'd')!;
    expect(d.status).toBe('down');
    s = create(s, service('web', { replicas: 1 }));
    const old = serviceTasks(s, 'web')[0];
    s = run(s, { kind: 'node.update', node: old.nodeId, availability: 'drain' });
    for (;;) {
      const a = enabled(s).find((x) => x.actor !== 'agent' && x.actor !== 'clock' && x.actor !== 'fault');
      if (a === undefined) break;
      s = act(s, a);
    }
    const waiting = serviceTasks(s, 'web').find((t) => t.id !== old.id)!;
    expect(waiting.delayed).toMatchObject({ startAt: s.now, oldTaskId: old.id, timeoutAt: s.now + 60_000 });
    expect(d.dispatcher.orphanAt).toBeGreaterThan(s.now + 60_000);
    expect(clockTo(s)).toEqual([s.now + 60_000]);
  });
  test('a restart delay before a heartbeat deadline', () => {
    const s = setup(4_000);
    expect(clockTo(s)).toEqual([s.now + 4_000]);
  });
});

describe('leader reachability memo', () => {
  test('the same node array with another leader gets that leader’s partition, not a remembered one', () => {
    let s = cluster([
      { hostname: 'm1' },
      { hostname: 'm2', role: 'manager' },
      { hostname: 'm3', role: 'manager' },
      { hostname: 'w1' },
    ]);
    s = act(s, { actor: 'fault', kind: 'partition', groups: [[nodeId(s, 'm1'), nodeId(s, 'w1')]] });
    const withLeader = (id: string): State => ({ ...s, raft: { ...s.raft, leader: id } });
    const ids = (x: State) => [...connectedIds(x)].sort();
    const [m1, m2, m3, w1] = ['m1', 'm2', 'm3', 'w1'].map((h) => nodeId(s, h));
    expect(ids(withLeader(m1))).toEqual([m1, w1].sort());
    expect(ids(withLeader(''))).toEqual([]);
    expect(ids(withLeader(m2))).toEqual([m2, m3].sort());
    expect(ids(withLeader(m1))).toEqual([m1, w1].sort());
    expect(ids(withLeader(m3))).toEqual([m2, m3].sort());
    expect(ids(withLeader(''))).toEqual([]);
  });
});
