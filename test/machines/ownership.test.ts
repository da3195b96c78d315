/**
 * Meta-checks in the spirit of design/tla/Tasks.tla `TransitionTableOK`, on both encodings of the task
 * lifecycle (the machine and the hot-path table), plus the pinned list of differences from Tasks.tla.
 */
import { describe, expect, test } from 'vitest';
import { describeMachine } from '../../machines/describe.ts';
import {
  CODE_NOT_IN_TLA,
  checkMonotonic,
  checkOwnership,
  machineTaskSteps,
  mayPerform,
  TASK_OWNERSHIP_EXCEPTIONS,
  TLA_NOT_IN_CODE,
  TLA_TASK_TRANSITIONS,
  tableTaskSteps,
  taskStepActors,
} from '../../machines/ownership.ts';
import { TASK_EVENT_ACTOR } from '../../machines/tables.ts';
import { taskMachine } from '../../machines/task.ts';
import { OBSERVED_STATES } from '../../model/taskState.ts';

describe('task transition table meta-checks (Tasks.tla TransitionTableOK)', () => {
  // Computed inside the tests: a throw here at collection time would leave the file with no tests,
  // which Stryker's vitest runner does not count as a failure (stryker-js#6150).
  const encodings = { machine: () => machineTaskSteps(), table: () => tableTaskSteps() };
  for (const [name, encoding] of Object.entries(encodings)) {
    test(`${name}: no transition moves to a lower-ranked state`, () => {
      const steps = encoding();
      expect(steps.length).toBeGreaterThan(50); // not vacuous
      const violations = checkMonotonic(steps);
      expect(violations, violations.join('\n')).toEqual([]);
    });
    test(`${name}: each source state has one owner, except the documented exceptions`, () => {
      const violations = checkOwnership(encoding());
      expect(violations, violations.join('\n')).toEqual([]);
    });
  }

  test('the meta-checks catch a backwards step and an unowned step', () => {
    expect(checkMonotonic([{ from: 'running', to: 'pending', event: 'EXIT', actor: 'agent' }])).toHaveLength(
      1,
    );
    const steps = [
      ...encodings.machine(),
      { from: 'complete', to: 'orphaned', event: 'NODE_DOWN_24H', actor: 'dispatcher' } as const,
    ];
    expect(checkOwnership(steps)).toEqual([
      'complete -> orphaned (NODE_DOWN_24H) is done by dispatcher, but complete is owned by reaper and no documented exception covers it',
    ]);
  });

  test('every documented exception names its SwarmKit source', () => {
    for (const ex of TASK_OWNERSHIP_EXCEPTIONS) expect(ex.source).toMatch(/^moby\/swarmkit:manager\/\S+ \(/);
  });

  test("each event has one performer, and it is the machine's meta.actor of every transition on that event", () => {
    for (const t of describeMachine(taskMachine).transitions) {
      expect([t.event, t.actor]).toEqual([
        t.event,
        TASK_EVENT_ACTOR[t.event as keyof typeof TASK_EVENT_ACTOR],
      ]);
    }
  });

  test('the machine and the table allow exactly the same steps', () => {
    const key = (s: { from: string; to: string; event: string; actor: string }) =>
      `${s.from}>${s.to}:${s.event}/${s.actor}`;
    expect(encodings.table().map(key).sort()).toEqual(encodings.machine().map(key).sort());
  });
});

describe('code vs design/tla/Tasks.tla', () => {
  // Computed inside the tests (nothing from the code under test at collection time).
  const code = () => new Set(machineTaskSteps().map((s) => `${s.actor}:${s.from}>${s.to}`));
  const tla = () => new Set(TLA_TASK_TRANSITIONS.map(([a, f, t]) => `${a}:${f}>${t}`));
  const flat = (groups: typeof CODE_NOT_IN_TLA) =>
    groups.flatMap((g) => g.steps.map(([a, f, t]) => `${a}:${f}>${t}`)).sort();

  test('the steps the code has and Tasks.tla lacks are exactly the documented ones', () => {
    const t = tla();
    expect([...code()].filter((k) => !t.has(k)).sort()).toEqual(flat(CODE_NOT_IN_TLA));
  });
  test('the steps Tasks.tla has and the code lacks are exactly the documented ones', () => {
    const c = code();
    expect([...tla()].filter((k) => !c.has(k)).sort()).toEqual(flat(TLA_NOT_IN_CODE));
  });
  test('the transcription has only well-formed steps, and every documented difference says why', () => {
    for (const step of TLA_TASK_TRANSITIONS) expect(step).toHaveLength(3);
    for (const g of [...CODE_NOT_IN_TLA, ...TLA_NOT_IN_CODE]) expect(g.why.length).toBeGreaterThan(10);
    for (const ex of TASK_OWNERSHIP_EXCEPTIONS) expect(ex.why.length).toBeGreaterThan(10);
  });
});

describe('owner API for the cluster model', () => {
  test('who may orphan a running task: the dispatcher (24 h down) and node removal, never the agent', () => {
    expect(taskStepActors('running', 'orphaned').sort()).toEqual(['controlapi', 'dispatcher']);
    expect(mayPerform('agent', 'running', 'orphaned')).toBe(false);
  });
  test('no change is always allowed; a skipped or backwards step never is', () => {
    for (const s of OBSERVED_STATES) expect(mayPerform('scheduler', s, s)).toBe(true);
    expect(taskStepActors('running', 'pending')).toEqual([]);
    expect(mayPerform('scheduler', 'pending', 'assigned')).toBe(true);
    // The agent may reach RUNNING, but only from STARTING.
    expect(mayPerform('agent', 'starting', 'running')).toBe(true);
    expect(mayPerform('agent', 'assigned', 'running')).toBe(false);
    expect(mayPerform('allocator', 'pending', 'assigned')).toBe(false);
  });
});
