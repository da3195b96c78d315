/**
 * The task machine encodes SwarmKit's order and the agent's gating rules
 * (moby/swarmkit:agent/exec/controller.go (Do)) literally; these are the rules semantics/orchestration.md
 * §1.3 says a model must express, each checked on the machine itself.
 */

import { describe, expect, test } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { taskAdapter } from '../../machines/conformance.ts';
import { describeMachine } from '../../machines/describe.ts';
import { type TaskEvent, taskMachine, taskStateOf } from '../../machines/task.ts';
import {
  DESIRED_STATES,
  type DesiredState,
  OBSERVED_STATES,
  type ObservedState,
} from '../../model/taskState.ts';

/** Resolves a task at (observed, desired), plays the events, returns the observed state after each. */
function play(observed: ObservedState, desired: DesiredState, ...events: TaskEvent[]): string[] {
  let x = taskAdapter.resolve({ state: observed, desired });
  return events.map((e) => {
    x = transition(taskMachine, x, e)[0];
    return taskStateOf(x.value);
  });
}

describe('task machine', () => {
  test("its atomic states are SwarmKit's 13 observed states in SwarmKit's order, then `deleted`", () => {
    expect(describeMachine(taskMachine).atomic.map((s) => s.key)).toEqual([...OBSERVED_STATES, 'deleted']);
  });

  test('a new task walks NEW → RUNNING in seven steps, each by its component', () => {
    let [x] = initialTransition(taskMachine);
    const seen = [taskStateOf(x.value)];
    for (const type of [
      'ALLOCATE',
      'ASSIGN',
      'RESOLVED',
      'PREPARE',
      'PREPARED',
      'START',
      'STARTED',
    ] as const) {
      x = transition(taskMachine, x, { type })[0];
      seen.push(taskStateOf(x.value));
    }
    expect(seen).toEqual(OBSERVED_STATES.slice(0, 8));
  });

  test('ACCEPTED → PREPARING only if accepted < desired < shutdown', () => {
    expect(play('accepted', 'ready', { type: 'PREPARE' })).toEqual(['preparing']);
    expect(play('accepted', 'shutdown', { type: 'PREPARE' })).toEqual(['accepted']);
    expect(play('accepted', 'remove', { type: 'PREPARE' })).toEqual(['accepted']);
  });

  test('READY → STARTING only if desired > ready: desired READY parks the task at READY until raised', () => {
    expect(play('ready', 'ready', { type: 'START' })).toEqual(['ready']);
    expect(play('ready', 'ready', { type: 'SET_DESIRED', desired: 'running' }, { type: 'START' })).toEqual([
      'ready',
      'starting',
    ]);
    expect(play('ready', 'complete', { type: 'START' })).toEqual(['starting']);
  });

  test('desired ≥ shutdown sends every state the agent holds (assigned..running) to SHUTDOWN, and nothing else', () => {
    for (const desired of DESIRED_STATES) {
      for (const s of OBSERVED_STATES) {
        const onAgent = OBSERVED_STATES.indexOf(s) >= 2 && OBSERVED_STATES.indexOf(s) <= 7;
        const shuts = onAgent && (desired === 'shutdown' || desired === 'remove');
        expect([s, desired, play(s, desired, { type: 'SHUTDOWN' })[0]]).toEqual([
          s,
          desired,
          shuts ? 'shutdown' : s,
        ]);
      }
    }
  });

  test('the scheduler shuts down a PENDING task only if its spec is obsolete and desired ≥ shutdown', () => {
    expect(play('pending', 'shutdown', { type: 'NO_SUITABLE_NODE', obsoleteSpec: true })).toEqual([
      'shutdown',
    ]);
    expect(play('pending', 'shutdown', { type: 'NO_SUITABLE_NODE', obsoleteSpec: false })).toEqual([
      'pending',
    ]);
    expect(play('pending', 'running', { type: 'NO_SUITABLE_NODE', obsoleteSpec: true })).toEqual(['pending']);
  });

  test('a fatal error is REJECTED below STARTING and FAILED from STARTING on', () => {
    for (const s of ['assigned', 'accepted', 'preparing', 'ready'] as const)
      expect(play(s, 'running', { type: 'FATAL_ERROR' })).toEqual(['rejected']);
    for (const s of ['starting', 'running'] as const)
      expect(play(s, 'running', { type: 'FATAL_ERROR' })).toEqual(['failed']);
    expect(play('new', 'running', { type: 'FATAL_ERROR' })).toEqual(['new']); // no agent holds it yet
  });

  test('exit code 0 completes, anything else fails; an exit while desired ≥ shutdown is reported as SHUTDOWN', () => {
    expect(play('running', 'running', { type: 'EXIT', code: 0 })).toEqual(['complete']);
    expect(play('running', 'running', { type: 'EXIT', code: 137 })).toEqual(['failed']);
    expect(play('running', 'shutdown', { type: 'EXIT', code: 0 }, { type: 'SHUTDOWN' })).toEqual([
      'running',
      'shutdown',
    ]);
  });

  test('the constraint enforcer rejects any live task whose desired state is ≤ complete, even a RUNNING one', () => {
    expect(play('running', 'running', { type: 'CONSTRAINTS_UNMET' })).toEqual(['rejected']);
    expect(play('new', 'complete', { type: 'CONSTRAINTS_UNMET' })).toEqual(['rejected']);
    expect(play('running', 'shutdown', { type: 'CONSTRAINTS_UNMET' })).toEqual(['running']);
    expect(play('complete', 'running', { type: 'CONSTRAINTS_UNMET' })).toEqual(['complete']);
  });

  test('orphaning: the dispatcher only for ASSIGNED..RUNNING, node removal for anything below COMPLETE', () => {
    expect(play('pending', 'running', { type: 'NODE_DOWN_24H' })).toEqual(['pending']);
    expect(play('assigned', 'running', { type: 'NODE_DOWN_24H' })).toEqual(['orphaned']);
    expect(play('pending', 'running', { type: 'NODE_REMOVED' })).toEqual(['orphaned']);
    expect(play('failed', 'shutdown', { type: 'NODE_REMOVED' })).toEqual(['failed']);
  });

  test('desired state is never lowered', () => {
    let x = taskAdapter.resolve({ state: 'running', desired: 'shutdown' });
    x = transition(taskMachine, x, { type: 'SET_DESIRED', desired: 'running' })[0];
    expect(x.context.desired).toBe('shutdown');
    x = transition(taskMachine, x, { type: 'SET_DESIRED', desired: 'remove' })[0];
    expect(x.context.desired).toBe('remove');
  });

  test('the reaper deletes a task that will never run (below ASSIGNED, desired > running) and terminal tasks only', () => {
    expect(play('new', 'running', { type: 'REAP' })).toEqual(['new']);
    expect(play('pending', 'remove', { type: 'REAP' })).toEqual(['deleted']);
    expect(play('running', 'remove', { type: 'REAP' })).toEqual(['running']);
    expect(play('orphaned', 'running', { type: 'REAP' })).toEqual(['deleted']);
  });
});

describe('task table (the hot path, through machines/index.ts)', () => {
  test('the same gating rules hold on the table: desired READY parks at READY, a raise lets it start', async () => {
    const { stepTask, taskStepActors } = await import('../../machines/index.ts');
    expect(stepTask({ state: 'ready', desired: 'ready' }, { type: 'START' })).toBeUndefined();
    const raised = stepTask(
      { state: 'ready', desired: 'ready' },
      { type: 'SET_DESIRED', desired: 'running' },
    )!;
    expect(stepTask(raised, { type: 'START' })).toEqual({ state: 'starting', desired: 'running' });
    expect(
      stepTask({ state: 'ready', desired: 'running' }, { type: 'SET_DESIRED', desired: 'ready' }),
    ).toBeUndefined();
    expect(taskStepActors('pending', 'shutdown')).toEqual(['scheduler']);
  });
});
