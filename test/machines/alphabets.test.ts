/**
 * What the conformance walk and the diagrams are fed: the event alphabets (each must hold every
 * payload variant a guard tells apart, or a guard goes untested), the task-creation snapshots, and
 * the guard labellers, which must refuse a guard they have no words for rather than print nothing.
 */
import { describe, expect, test } from 'vitest';
import { nodeGuardLabel } from '../../machines/node.ts';
import { raftEventsAt, raftGuardLabel, raftRoleOf } from '../../machines/raftMember.ts';
import { TASK_INITIAL_DESIRED, taskCreated, taskGuardLabel, taskStateOf } from '../../machines/task.ts';
import { updateStatusGuardLabel } from '../../machines/updateStatus.ts';

test('raft: every term-carrying event at one below, equal, one and two above the current term, from each sender', () => {
  // stepsDown compares with >, sameTerm with ===; two above tells "adopt the event's term" from "term + 1".
  const terms = (type: string, from?: string) =>
    raftEventsAt(5)
      .filter((e) => e.type === type && (from === undefined || ('from' in e && e.from === from)))
      .map((e) => ('term' in e ? e.term : NaN));
  expect(terms('HIGHER_TERM', 'candidate')).toEqual([4, 5, 6, 7]);
  expect(terms('HIGHER_TERM', 'leader')).toEqual([4, 5, 6, 7]);
  expect(terms('LEADER_MESSAGE')).toEqual([4, 5, 6, 7]);
  expect(raftRoleOf({ up: 'candidate' })).toBe('candidate');
  expect(raftRoleOf('crashed')).toBe('crashed');
});

test('a created task is NEW with the desired state it was created with', () => {
  for (const d of TASK_INITIAL_DESIRED) {
    const x = taskCreated(d);
    expect([taskStateOf(x.value), (x.context as { desired: string }).desired]).toEqual(['new', d]);
  }
  expect(taskStateOf({ live: { onNode: { started: 'running' } } })).toBe('running');
  expect(taskStateOf('deleted')).toBe('deleted');
});

describe('guard labellers refuse a guard they do not know', () => {
  test.each([
    ['task machine', taskGuardLabel],
    ['node machine', nodeGuardLabel],
    ['raft member machine', raftGuardLabel],
    ['update status machine', updateStatusGuardLabel],
  ])('%s', (name, label) => {
    expect(() => label({ type: 'noSuchGuard' })).toThrow(`${name}: no label for guard 'noSuchGuard'`);
  });
});

test("the task machine's agent guards are labelled with their observed state, and refuse a guard without one", () => {
  expect(taskGuardLabel({ type: 'agentMayAdvance', params: { observed: 'assigned' } })).toBe(
    'assigned < desired < shutdown',
  );
  expect(taskGuardLabel({ type: 'agentMayProgress', params: { observed: 'running' } })).toBe(
    'running ≤ desired < shutdown',
  );
  for (const type of ['agentMayAdvance', 'agentMayProgress'])
    expect(() => taskGuardLabel({ type })).toThrow(
      `task machine: guard '${type}' has no params.observed to label`,
    );
});

/**
 * Each machine with its actor list, its event alphabet and what describeMachine reads of it. Loaded
 * inside the tests that call it: a machine that fails to load fails them, not the file's collection.
 */
async function machineAlphabets() {
  const { describeMachine } = await import('../../machines/describe.ts');
  const node = await import('../../machines/node.ts');
  const raft = await import('../../machines/raftMember.ts');
  const task = await import('../../machines/task.ts');
  const update = await import('../../machines/updateStatus.ts');
  return [
    { machine: task.taskMachine, actors: task.TASK_ACTORS, events: task.TASK_EVENTS },
    { machine: node.nodeMachine, actors: node.NODE_ACTORS, events: node.NODE_EVENTS },
    { machine: raft.raftMemberMachine, actors: raft.RAFT_ACTORS, events: raft.raftEventsAt(5) },
    {
      machine: update.updateStatusMachine,
      actors: update.UPDATE_ACTORS,
      events: update.UPDATE_STATUS_EVENTS,
    },
  ].map((m) => ({ ...m, read: describeMachine(m.machine) }));
}

test("each machine's actor list is exactly the actors its transitions name", async () => {
  for (const { machine, actors, read } of await machineAlphabets()) {
    const named = [...new Set(read.transitions.map((t) => t.actor))].sort();
    expect(named, machine.id).toEqual([...actors].sort());
  }
});

test('each event alphabet holds distinct events, each of a type its machine has a transition for', async () => {
  for (const { machine, events, read } of await machineAlphabets()) {
    const types = new Set(read.transitions.map((t) => t.event));
    const json = events.map((e) => JSON.stringify(e));
    expect(new Set(json).size, machine.id).toBe(json.length);
    expect(
      events.filter((e) => !types.has(e.type)),
      machine.id,
    ).toEqual([]);
    expect(
      [...types].filter((t) => !events.some((e) => e.type === t)),
      machine.id,
    ).toEqual([]);
  }
});
