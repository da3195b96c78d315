/**
 * The checkers the machine tests rely on, fed planted mistakes: the Tasks.tla-style meta-checks
 * (machines/ownership.ts), the table/machine agreement (machines/conformance.ts (agree)) and the
 * snapshots the conformance walk starts from. A checker that cannot fail would make those tests vacuous.
 */
import { describe, expect, test } from 'vitest';
import {
  ADAPTERS,
  agree,
  nodeAdapter,
  raftAdapter,
  updateStatusAdapter,
} from '../../machines/conformance.ts';
import { AVAILABILITIES, NODE_ROLE_STATES, NODE_STATUSES } from '../../machines/node.ts';
import {
  checkMonotonic,
  checkOwnership,
  machineTaskSteps,
  mayPerform,
  TASK_OWNERSHIP_EXCEPTIONS,
  type TaskStep,
} from '../../machines/ownership.ts';
import { RAFT_ROLES } from '../../machines/raftMember.ts';
import { UPDATE_STATUS_EVENTS } from '../../machines/updateStatus.ts';

describe('checkMonotonic', () => {
  const step = (from: TaskStep['from'], to: TaskStep['to']): TaskStep => ({
    from,
    to,
    event: 'EXIT',
    actor: 'agent',
  });

  test('a step to the same rank is a violation too, with its message', () => {
    expect(checkMonotonic([step('running', 'running')])).toEqual([
      'running -> running (EXIT / agent) does not move to a higher-ranked state',
    ]);
  });

  test('steps into or out of deleted are outside the ranking; forward steps pass', () => {
    expect(
      checkMonotonic([step('running', 'deleted'), step('deleted', 'new'), step('running', 'failed')]),
    ).toEqual([]);
  });
});

describe('checkOwnership', () => {
  // Inside the tests (see test/machines/ownership.test.ts on collection-time throws).
  const steps = () => machineTaskSteps();
  const enforcer = TASK_OWNERSHIP_EXCEPTIONS.find((x) => x.actor === 'constraint-enforcer')!;

  test('an exception covers only its own actor, target and sources', () => {
    // The constraint enforcer's exception is live → rejected; the same move by another actor, to
    // another state, or from a state it does not list, is not covered.
    const extra: TaskStep[] = [
      { from: 'running', to: 'rejected', event: 'EXIT', actor: 'dispatcher' },
      { from: 'running', to: 'failed', event: 'EXIT', actor: 'constraint-enforcer' },
      { from: 'complete', to: 'rejected', event: 'EXIT', actor: 'constraint-enforcer' },
    ];
    expect(enforcer.from).toContain('running');
    expect(enforcer.from).not.toContain('complete');
    expect(checkOwnership([...steps(), ...extra])).toHaveLength(3);
  });

  test('a step out of a state nobody owns (deleted: TLA null) is reported as such', () => {
    expect(
      checkOwnership([
        ...steps(),
        { from: 'deleted', to: 'new', event: 'SET_DESIRED', actor: 'orchestrator' },
      ]),
    ).toEqual([
      'deleted -> new (SET_DESIRED) is done by orchestrator, but deleted is owned by no one and no documented exception covers it',
    ]);
  });

  test('an exception that no step uses is reported as stale, per source state', () => {
    const from = enforcer.from[0];
    const all = steps();
    const without = all.filter(
      (s) => !(s.actor === enforcer.actor && s.from === from && s.to === enforcer.to),
    );
    expect(without.length).toBeLessThan(all.length);
    expect(checkOwnership(without)).toEqual([
      `documented exception constraint-enforcer: ${from} -> rejected does not occur`,
    ]);
    // A step from that state by the same actor to elsewhere, or to rejected by someone else, does not count.
    expect(
      checkOwnership([
        ...without,
        { from, to: 'failed', event: 'EXIT', actor: 'constraint-enforcer' },
        { from, to: 'rejected', event: 'EXIT', actor: 'agent' },
      ]).filter((m) => m.startsWith('documented exception')),
    ).toHaveLength(1);
  });
});

test('mayPerform: staying put is always allowed; a step only by the actor the machine gives it to', () => {
  expect(mayPerform('scheduler', 'running', 'running')).toBe(true);
  expect(mayPerform('agent', 'running', 'complete')).toBe(true);
  expect(mayPerform('scheduler', 'running', 'complete')).toBe(false);
  expect(mayPerform('agent', 'running', 'pending')).toBe(false);
});

describe('agree (table vs xstate)', () => {
  const x = () => updateStatusAdapter.resolve('updating');
  const e = UPDATE_STATUS_EVENTS.find((ev) => ev.type === 'FAILURE_THRESHOLD' && ev.action === 'pause')!;

  test('the real table agrees', () => {
    expect('next' in agree(updateStatusAdapter, x(), e)).toBe(true);
  });

  test('a table that lacks an entry is caught as an enabledness disagreement', () => {
    const r = agree({ ...updateStatusAdapter, step: () => undefined }, x(), e);
    expect(r).toEqual({
      disagreement: {
        machine: 'updateStatus',
        from: 'updating',
        event: e,
        table: 'no transition',
        xstate: updateStatusAdapter.step('updating', e),
        what: 'enabled',
      },
    });
  });

  test('a table with an entry the machine lacks is caught too, xstate side reading "no transition"', () => {
    const off = UPDATE_STATUS_EVENTS.find((ev) => updateStatusAdapter.step('updating', ev) === undefined)!;
    expect(off).toBeDefined();
    const r = agree({ ...updateStatusAdapter, step: () => 'paused' }, x(), off);
    expect(r).toEqual({
      disagreement: {
        machine: 'updateStatus',
        from: 'updating',
        event: off,
        table: 'paused',
        xstate: 'no transition',
        what: 'enabled',
      },
    });
  });

  test('a table that goes elsewhere is caught as a next-state disagreement', () => {
    const right = updateStatusAdapter.step('updating', e)!;
    const wrong = right === 'paused' ? 'completed' : 'paused';
    const r = agree({ ...updateStatusAdapter, step: () => wrong }, x(), e);
    expect(r).toEqual({
      disagreement: {
        machine: 'updateStatus',
        from: 'updating',
        event: e,
        table: wrong,
        xstate: right,
        what: 'next',
      },
    });
  });
});

describe('conformance starts', () => {
  test('one adapter per machine, by name', () => {
    // The names head every disagreement message and the coverage table.
    expect(ADAPTERS.map((a) => a.name)).toEqual(['task', 'node', 'raftMember', 'updateStatus']);
  });

  test('node: every (availability, status, role) combination', () => {
    const keys = new Set(nodeAdapter.starts.map((s) => `${s.availability}/${s.status}/${s.role}`));
    expect(keys.size).toBe(AVAILABILITIES.length * NODE_STATUSES.length * NODE_ROLE_STATES.length);
    expect(nodeAdapter.starts).toHaveLength(keys.size);
  });

  test('raft: a leader is always in lease; every other role starts both ways', () => {
    expect(raftAdapter.starts.map((s) => `${s.role}:${s.inLease}`)).toEqual(
      RAFT_ROLES.flatMap((r) => (r === 'leader' ? ['leader:true'] : [`${r}:false`, `${r}:true`])),
    );
  });
});
