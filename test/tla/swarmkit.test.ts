import { describe, expect, test } from 'vitest';
import { explore } from '../../explore/explorer.ts';
import { formatTrace } from '../../explore/trace.ts';
import { OBSERVED_STATES } from '../../model/taskState.ts';
import { REFERENCE_CONSTANTS, swarmkitTlaModel } from '../../tla/profile.ts';
import { Next } from '../../tla/SwarmKit.ts';
import { TransitionTableOK } from '../../tla/Tasks.ts';
import { order } from '../../tla/Types.ts';
import { nextAgentSkipsAccepted, nextWithoutModeGuard } from './planted.ts';

describe('swarmkit-tla: the spec on its own config (design/tla/models/SwarmKit.cfg)', () => {
  const model = swarmkitTlaModel(REFERENCE_CONSTANTS);
  const r = explore(model);

  test("TLC 2.20's counts: 5,190 distinct states, 33,593 generated, depth 24", () => {
    expect(r.complete).toBe(true);
    expect(r.distinct).toBe(5190);
    expect(r.generated).toBe(33593);
    expect(r.depth).toBe(24);
  });

  test('TypeOK, Inv, TransitionsOK, EventuallyAsDesired hold and there is no deadlock', () => {
    expect(r.violation).toBeUndefined();
    expect(r.checked).toEqual(['TypeOK', 'Inv', 'TransitionsOK', 'Deadlock', 'EventuallyAsDesired']);
  });

  test('ASSUME TransitionTableOK', () => {
    expect(TransitionTableOK()).toBe(true);
  });

  test("the spec's state order is SwarmKit's (model/taskState.ts), with `remove` as desired-only", () => {
    expect(order.filter((s) => s !== 'remove')).toEqual([...OBSERVED_STATES]);
  });
});

describe('swarmkit-tla: planted bugs are caught with shortest traces', () => {
  test('an agent that skips `accepted` breaks TransitionsOK', () => {
    const m = swarmkitTlaModel(REFERENCE_CONSTANTS, { next: nextAgentSkipsAccepted() });
    const r = explore(m);
    expect(r.violation?.kind).toBe('action-property');
    expect(r.violation?.name).toBe('TransitionsOK');
    expect(r.violation?.message).toMatch(/went assigned -> preparing, not a transition of agent/);
    // The shortest way to an assigned task: create a service, a slot, allocate, schedule; then the bad step.
    expect(r.violation!.trace.steps.map((s) => s.action)).toEqual([
      null,
      'CreateService',
      'CreateSlot',
      'AllocateTask',
      'Scheduler',
      'ProgressTask',
    ]);
    expect(formatTrace(m, r.violation!.trace)).toContain('status |-> [state |-> "preparing"]');
  });

  test("dropping UpdateService's mode-change guard breaks EventuallyAsDesired", () => {
    // The spec's own suggestion. A global task left behind in a now-replicated service is never
    // removed (RequestRemoval looks at t.slot, which is `global`), so the service never settles.
    // maxEvents = 1 keeps the state space small; one UpdateService is all the bug needs.
    const m = swarmkitTlaModel({ ...REFERENCE_CONSTANTS, maxEvents: 1 }, { next: nextWithoutModeGuard() });
    const r = explore(m);
    expect(r.violation?.kind).toBe('liveness');
    expect(r.violation?.name).toBe('EventuallyAsDesired');
    const t = r.violation!.trace;
    expect(t.loop).toBeDefined();
    expect(t.steps.map((s) => s.action)).toContain('UpdateService');
    const text = formatTrace(m, t);
    expect(text).toMatch(/State \d+: (Stuttering|Back to state \d+)/);
    // The same model with the guard in place is fine.
    const ok = explore(swarmkitTlaModel({ ...REFERENCE_CONSTANTS, maxEvents: 1 }));
    expect(ok.violation).toBeUndefined();
  });

  test('Next has one entry per action of SwarmKit.tla (with AgentTLC expanded)', () => {
    expect(Next.map((a) => a.name)).toEqual([
      'CreateService',
      'UpdateService',
      'RemoveService',
      'CreateSlot',
      'ReplaceTask',
      'RequestRemoval',
      'CleanupTerminated',
      'ReleaseReady',
      'CleanupService',
      'RestartTask',
      'AllocateTask',
      'Scheduler',
      'ProgressTask',
      'ShutdownComplete',
      'OrphanTasks',
      'WorkerUp',
      'RejectTask',
      'ContainerExit',
      'WorkerDown',
      'Reaper',
      'EventLimitStutter',
    ]);
  });
});
