/**
 * What a new leader does with a restart that was waiting out its delay:
 * moby/swarmkit:manager/orchestrator/taskinit/init.go (CheckTasks). The old leader's timer is gone;
 * the new one arms a fresh delay of what is left of the restart delay counted from the task's status
 * timestamp, and starts the task at once when nothing is left.
 */
import { describe, expect, test } from 'vitest';
import { enabled, type State } from '../../model/index.ts';
import { act, cluster, create, nodeId, service, serviceTasks } from './helpers.ts';

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
const failover = (s: State) => quiesce(act(s, { actor: 'fault', kind: 'crash', node: nodeId(s, 'm1') }));
const replacementOf = (s: State) => serviceTasks(s, 'web').find((x) => x.desired !== 'shutdown')!;

describe('CheckTasks on a new leader', () => {
  test('the rest of the delay, counted from the task status timestamp, not a fresh full delay', () => {
    let s = failed(10_000);
    const readyAt = replacementOf(s).statusAt;
    s = act(s, { actor: 'clock', kind: 'advance', to: s.now + 4_000 });
    s = failover(s);
    expect(s.raft.leader).not.toBe(nodeId(s, 'm1'));
    const r = replacementOf(s);
    expect([r.desired, r.delayed?.startAt, r.delayed?.oldTaskId]).toEqual(['ready', readyAt + 10_000, '']);
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
