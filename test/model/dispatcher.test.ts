/**
 * The dispatcher's heartbeat countdown (moby/swarmkit:manager/dispatcher/dispatcher.go (markNodeNotReady),
 * nodes.go (heartbeat)): it runs only for a node that lost its session and is not DOWN yet, and is cleared
 * when a READY node is back in session.
 */
import { describe, expect, test } from 'vitest';
import { enabled, type State } from '../../model/index.ts';
import { NO_DEADLINE } from '../../model/state.ts';
import { act, cluster, nodeId, settled, waited } from './helpers.ts';

const three = () => cluster([{ hostname: 'a' }, { hostname: 'b' }, { hostname: 'c' }]);
const hb = (s: State, h: string) => s.nodes.find((n) => n.hostname === h)!.dispatcher.heartbeatDeadline;

describe('heartbeat countdown', () => {
  test('none for nodes in session; it starts when the session is lost and stops when it is back', () => {
    let s = three();
    for (const h of ['a', 'b', 'c']) expect(hb(s, h)).toBe(NO_DEADLINE);
    s = act(s, { actor: 'fault', kind: 'partition', groups: [[nodeId(s, 'c')]] });
    expect(hb(s, 'c')).toBe(s.now + 3 * s.heartbeatPeriodMs);
    expect(hb(s, 'b')).toBe(NO_DEADLINE);
    s = act(s, { actor: 'fault', kind: 'heal' });
    expect(hb(s, 'c')).toBe(NO_DEADLINE);
  });

  test('a DOWN node has no countdown, through later partitions too; the clock is not held by it', () => {
    let s = three();
    s = act(s, { actor: 'fault', kind: 'crash', node: nodeId(s, 'c') });
    s = settled(act(s, { actor: 'clock', kind: 'advance', to: hb(s, 'c') }));
    expect(s.nodes.find((n) => n.hostname === 'c')!.status).toBe('down');
    expect(hb(s, 'c')).toBe(NO_DEADLINE);
    s = act(s, { actor: 'fault', kind: 'partition', groups: [[nodeId(s, 'b')]] });
    s = act(s, { actor: 'fault', kind: 'heal' });
    expect(hb(s, 'c')).toBe(NO_DEADLINE);
    // The next deadline is the orphaning, 24 h after DOWN.
    const down = s.nodes.find((n) => n.hostname === 'c')!;
    expect(enabled(s).filter((a) => a.actor === 'clock')).toEqual([
      { actor: 'clock', kind: 'advance', to: down.dispatcher.orphanAt },
    ]);
  });

  test('orphaning is done once: its deadline is cleared, the rest of the timer state kept', () => {
    let s = three();
    s = act(s, { actor: 'fault', kind: 'crash', node: nodeId(s, 'c') });
    s = settled(act(s, { actor: 'clock', kind: 'advance', to: hb(s, 'c') }));
    const down = s.nodes.find((n) => n.hostname === 'c')!;
    s = act(s, { actor: 'clock', kind: 'advance', to: down.dispatcher.orphanAt });
    s = act(s, { actor: 'dispatcher', kind: 'orphan', node: down.id });
    expect(s.nodes.find((n) => n.id === down.id)!.dispatcher).toEqual({
      heartbeatDeadline: NO_DEADLINE,
      orphanAt: NO_DEADLINE,
    });
  });
});

describe('the status message a node goes DOWN with', () => {
  test('moved to UNKNOWN by a new leader: "heartbeat failure for node in "unknown" state"; registered: "heartbeat failure"', () => {
    // dispatcher.go (markNodesUnknown) gives each UNKNOWN node an expiry with its own message;
    // the heartbeat timer of a registered node calls markNodeNotReady with "heartbeat failure".
    let s = cluster([
      { hostname: 'a' },
      { hostname: 'b', role: 'manager' },
      { hostname: 'c', role: 'manager' },
      { hostname: 'w' },
    ]);
    const node = (x: State, h: string) => x.nodes.find((n) => n.hostname === h)!;
    s = act(s, { actor: 'fault', kind: 'crash', node: nodeId(s, 'a') });
    s = settled(act(s, { actor: 'raft', kind: 'elect', node: nodeId(s, 'b') }));
    expect(node(s, 'a').status).toBe('unknown');
    expect(node(s, 'w').status).toBe('ready');
    s = waited(s, 60_000);
    expect([node(s, 'a').status, node(s, 'a').statusMessage]).toEqual([
      'down',
      'heartbeat failure for node in "unknown" state',
    ]);
    s = waited(act(s, { actor: 'fault', kind: 'partition', groups: [[nodeId(s, 'w')]] }), 60_000);
    expect([node(s, 'w').status, node(s, 'w').statusMessage]).toEqual(['down', 'heartbeat failure']);
  });
});
