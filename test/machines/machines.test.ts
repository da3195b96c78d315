/**
 * The node, Raft member and update-status machines: their key rules, and that every machine's config is
 * plain data (named guards and actions, no functions), so it loads in Stately's visualizer.
 */

import { describe, expect, test } from 'vitest';
import { type AnyMachineSnapshot, initialTransition, transition } from 'xstate';
import { nodeAdapter, raftAdapter, updateStatusAdapter } from '../../machines/conformance.ts';
import { type NodeEvent, nodeMachine } from '../../machines/node.ts';
import { type RaftEvent, raftMemberMachine } from '../../machines/raftMember.ts';
import { taskMachine } from '../../machines/task.ts';
import { type UpdateStatusEvent, updateStatusMachine } from '../../machines/updateStatus.ts';

const MACHINES = [taskMachine, nodeMachine, raftMemberMachine, updateStatusMachine];

function functionsIn(x: unknown, path = 'config'): string[] {
  if (typeof x === 'function') return [path];
  if (typeof x !== 'object' || x === null) return [];
  return Object.entries(x).flatMap(([k, v]) => functionsIn(v, `${path}.${k}`));
}

describe('serialisable configs', () => {
  for (const m of MACHINES) {
    test(`${m.id}: the config is plain data and every guard/action it names is implemented`, () => {
      expect(functionsIn(m.config)).toEqual([]);
      expect(JSON.parse(JSON.stringify(m.config))).toEqual(m.config);
      const text = JSON.stringify(m.config);
      const guards = [...text.matchAll(/"guard":(?:"([^"]+)"|\{"type":"([^"]+)")/g)].map((g) => g[1] ?? g[2]);
      expect(guards.length).toBeGreaterThan(0);
      for (const name of guards) expect(Object.keys(m.implementations.guards)).toContain(name);
      for (const [, name] of text.matchAll(/"actions":"([^"]+)"/g))
        expect(Object.keys(m.implementations.actions)).toContain(name);
    });
  }
});

const playFrom = <E>(
  x: AnyMachineSnapshot,
  machine: typeof nodeMachine | typeof raftMemberMachine | typeof updateStatusMachine,
  events: E[],
) => events.reduce((s, e) => transition(machine as any, s, e as any)[0], x);

describe('node machine', () => {
  const at = (role: string, status = 'ready', availability = 'active') =>
    nodeAdapter.resolve({ role, status, availability } as never);
  const roleAfter = (role: string, ...events: NodeEvent[]) =>
    (playFrom(at(role), nodeMachine, events).value as { role: string }).role;

  test('a worker joins active, unknown until its agent registers', () => {
    expect(initialTransition(nodeMachine)[0].value).toEqual({
      availability: 'active',
      status: 'unknown',
      role: 'worker',
    });
  });
  test('availability can go from any value to any other (node update replaces the spec)', () => {
    for (const a of ['active', 'pause', 'drain'])
      for (const b of ['active', 'pause', 'drain']) {
        const x = playFrom(at('worker', 'ready', a), nodeMachine, [
          { type: 'UPDATE_AVAILABILITY', availability: b },
        ]);
        expect((x.value as { availability: string }).availability).toBe(b);
      }
  });
  test('demotion: refused for the last manager, for a quorum loss, and before the node is a Raft member', () => {
    expect(roleAfter('manager', { type: 'DEMOTE', lastManager: false, keepsQuorum: true })).toBe('demoting');
    expect(roleAfter('manager', { type: 'DEMOTE', lastManager: true, keepsQuorum: true })).toBe('manager');
    expect(roleAfter('manager', { type: 'DEMOTE', lastManager: false, keepsQuorum: false })).toBe('manager');
    expect(roleAfter('joining', { type: 'DEMOTE', lastManager: false, keepsQuorum: true })).toBe('joining');
  });
  test('Role becomes worker only after the Raft removal', () => {
    expect(roleAfter('demoting', { type: 'ROLE_RECONCILED' })).toBe('demoting');
    expect(roleAfter('demoting', { type: 'RAFT_REMOVED' }, { type: 'ROLE_RECONCILED' })).toBe('worker');
  });
  test('a leader change makes READY nodes UNKNOWN but leaves DOWN nodes DOWN', () => {
    expect(
      (playFrom(at('worker', 'ready'), nodeMachine, [{ type: 'LEADER_CHANGED' }]).value as any).status,
    ).toBe('unknown');
    expect(
      (playFrom(at('worker', 'down'), nodeMachine, [{ type: 'LEADER_CHANGED' }]).value as any).status,
    ).toBe('down');
  });
});

describe('raft member machine', () => {
  const at = (role: string, term: number, inLease = role === 'leader') =>
    raftAdapter.resolve({ role, term, inLease } as never);
  const stepAll = (x: AnyMachineSnapshot, ...events: RaftEvent[]) =>
    raftAdapter.project(playFrom(x, raftMemberMachine, events));

  test('a timeout makes a candidate at term + 1; a split vote times out again at term + 2', () => {
    expect(stepAll(at('follower', 4), { type: 'TIMEOUT' })).toEqual({
      role: 'candidate',
      term: 5,
      inLease: false,
    });
    expect(stepAll(at('follower', 4), { type: 'TIMEOUT' }, { type: 'TIMEOUT' }).term).toBe(6);
  });
  test('a crash and restart keep the term (HardState is persisted)', () => {
    expect(stepAll(at('leader', 7), { type: 'CRASH' }, { type: 'RESTART' })).toEqual({
      role: 'follower',
      term: 7,
      inLease: false,
    });
  });
  test('a leader ignores a higher-term vote request (lease, CheckQuorum on) but steps down for a higher-term leader', () => {
    expect(stepAll(at('leader', 3), { type: 'HIGHER_TERM', term: 9, from: 'candidate' })).toEqual({
      role: 'leader',
      term: 3,
      inLease: true,
    });
    expect(stepAll(at('leader', 3), { type: 'HIGHER_TERM', term: 9, from: 'leader' })).toEqual({
      role: 'follower',
      term: 9,
      inLease: true,
    });
  });
  test('CheckQuorum failure: the leader steps down at the same term', () => {
    expect(stepAll(at('leader', 3), { type: 'CHECK_QUORUM_FAILED' })).toEqual({
      role: 'follower',
      term: 3,
      inLease: false,
    });
  });
  test('a candidate that hears from a leader of its own term follows it', () => {
    expect(stepAll(at('candidate', 5), { type: 'LEADER_MESSAGE', term: 5 }).role).toBe('follower');
    expect(stepAll(at('candidate', 5), { type: 'LEADER_MESSAGE', term: 4 }).role).toBe('candidate');
  });
});

describe('update status machine', () => {
  const stepAll = (s: string, ...events: UpdateStatusEvent[]) =>
    updateStatusAdapter.project(
      playFrom(updateStatusAdapter.resolve(s as never), updateStatusMachine, events),
    );

  test('updater: nil → updating → completed', () => {
    expect(stepAll('absent', { type: 'DIRTY_SLOTS_FOUND' }, { type: 'MONITOR_ELAPSED' })).toBe('completed');
  });
  test('paused states are left only by a user update or rollback', () => {
    for (const s of ['paused', 'rollback_paused']) {
      expect(
        stepAll(s, { type: 'DIRTY_SLOTS_FOUND' }, { type: 'MONITOR_ELAPSED' }, { type: 'NO_DIRTY_SLOTS' }),
      ).toBe(s);
      expect(stepAll(s, { type: 'USER_UPDATE' })).toBe('absent');
    }
  });
  test('never roll back a rollback: a failure while rolling back pauses it', () => {
    expect(
      stepAll('rollback_started', { type: 'FAILURE_THRESHOLD', action: 'rollback', hasPreviousSpec: true }),
    ).toBe('rollback_paused');
  });
  test('rollback needs a previous spec, manual or automatic', () => {
    expect(stepAll('completed', { type: 'USER_ROLLBACK', hasPreviousSpec: false })).toBe('completed');
    expect(
      stepAll('updating', { type: 'FAILURE_THRESHOLD', action: 'rollback', hasPreviousSpec: false }),
    ).toBe('updating');
    expect(
      stepAll('updating', { type: 'FAILURE_THRESHOLD', action: 'rollback', hasPreviousSpec: true }),
    ).toBe('rollback_started');
  });
  test('failure action continue changes nothing', () => {
    expect(
      stepAll('updating', { type: 'FAILURE_THRESHOLD', action: 'continue', hasPreviousSpec: true }),
    ).toBe('updating');
  });
});

describe('citations', () => {
  test('every transition of every machine cites the code it follows: repository:path.go (function)', async () => {
    // Read inside the test (a machine that fails to load fails this test, not the file's collection).
    const { ADAPTERS } = await import('../../machines/conformance.ts');
    const { describeMachine } = await import('../../machines/describe.ts');
    let n = 0;
    for (const a of ADAPTERS)
      for (const t of describeMachine(a.machine).transitions) {
        expect(t.code, `${a.name} ${t.source} ${t.event}`).toMatch(
          /^(moby\/swarmkit|etcd-io\/raft):[a-z_]+(\/[a-z_]+)*\.go \(\S[^()]*\)(, [a-z_/]+\.go \(\S[^()]*\))*$/,
        );
        n++;
      }
    expect(n).toBeGreaterThan(60);
  });

  test("each machine's id is the name its adapter, its diagram and the README give it", async () => {
    const { ADAPTERS } = await import('../../machines/conformance.ts');
    const { DIAGRAMS } = await import('../../machines/diagrams.ts');
    expect(ADAPTERS.map((a) => a.machine.id)).toEqual(ADAPTERS.map((a) => a.name));
    for (const d of DIAGRAMS) expect(d.machine.id).toBe(d.name);
  });
});

test('a raft member starts as a follower of term 0 outside any lease, so a first vote request moves it', () => {
  // etcd-io/raft newRaft → becomeFollower(0, None): no leader heard, hence no lease to protect.
  const x = initialTransition(raftMemberMachine)[0];
  expect([x.value, x.context]).toEqual([{ up: 'follower' }, { term: 0, inLease: false }]);
  const [y] = transition(raftMemberMachine, x, { type: 'HIGHER_TERM', term: 1, from: 'candidate' });
  expect(y.context.term).toBe(1);
});
