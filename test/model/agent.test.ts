/**
 * The agent after its machine restarts: moby/swarmkit:agent/worker.go (Init, reconcileTaskState) re-reads
 * the assigned tasks, and the controller (agent/exec/controller.go (Do)) finds the container gone (dockerd
 * stopped it; swarm containers have no engine restart policy). The model marks such tasks `containerLost`
 * at the restart (model/faults.ts) and the agent reports them FAILED, or SHUTDOWN if the manager wants that.
 */
import { describe, expect, test } from 'vitest';
import { agentNext } from '../../model/agent.ts';
import { enabled, type State, settle } from '../../model/index.ts';
import type { Task } from '../../model/state.ts';
import { rank } from '../../model/taskState.ts';
import { act, cluster, create, nodeId, run, service, serviceTasks, waited } from './helpers.ts';

const web = () =>
  create(
    cluster([{ hostname: 'a', availability: 'drain' }, { hostname: 'b' }]),
    service('web', { replicas: 1 }),
  );
const task = (s: State, id: string) => s.tasks.find((t) => t.id === id)!;
/** The machine goes down and comes back before the dispatcher's heartbeat deadline. */
const bounce = (s: State, hostname: string) =>
  act(act(s, { actor: 'fault', kind: 'crash', node: nodeId(s, hostname) }), {
    actor: 'fault',
    kind: 'restart',
    node: nodeId(s, hostname),
  });

describe('a node restart loses its running containers', () => {
  test('the running task is reported FAILED with the reason; the restart policy then replaces it', () => {
    let s = web();
    const [t] = serviceTasks(s, 'web');
    expect(t.observed).toBe('running');
    s = bounce(s, 'b');
    expect(task(s, t.id)).toMatchObject({ observed: 'running', containerLost: true });
    // The agent's one move for this task: FAILED, whatever else is enabled.
    expect(enabled(s).filter((a) => a.actor === 'agent' && a.task === t.id)).toEqual([
      { actor: 'agent', kind: 'progress', task: t.id, to: 'failed' },
    ]);
    s = act(s, { actor: 'agent', kind: 'progress', task: t.id, to: 'failed' });
    expect(task(s, t.id)).toMatchObject({
      observed: 'failed',
      message: 'failed',
      err: 'container lost when its node restarted',
      containerLost: false,
    });
    s = waited(s, 10_000); // past the restart delay (5 s)
    const running = serviceTasks(s, 'web').filter((x) => x.observed === 'running');
    expect(running).toHaveLength(1);
    expect(running[0].id).not.toBe(t.id);
  });

  test('a lost container the manager wants stopped is reported SHUTDOWN, and the mark is cleared', () => {
    let s = web();
    const [t] = serviceTasks(s, 'web');
    s = bounce(s, 'b');
    s = run(s, { kind: 'service.scale', scales: [{ service: 'web', replicas: 0 }] });
    // Settle everything but the agent of this task: the orchestrator lowers its desired state.
    for (;;) {
      const a = enabled(s).find((x) => x.actor !== 'agent' && x.actor !== 'clock' && x.actor !== 'fault');
      if (a === undefined) break;
      s = act(s, a);
    }
    expect(rank(task(s, t.id).desired)).toBeGreaterThanOrEqual(rank('shutdown'));
    expect(enabled(s).filter((a) => a.actor === 'agent' && a.task === t.id)).toEqual([
      { actor: 'agent', kind: 'progress', task: t.id, to: 'shutdown' },
    ]);
    s = act(s, { actor: 'agent', kind: 'progress', task: t.id, to: 'shutdown' });
    expect(task(s, t.id)).toMatchObject({ observed: 'shutdown', message: 'shutdown', containerLost: false });
  });

  test('agentNext: a lost container fails unless the task already finished', () => {
    const t = (observed: Task['observed'], desired: Task['desired']) =>
      ({ observed, desired, containerLost: true }) as Task;
    expect(agentNext(t('starting', 'running'))).toBe('failed');
    expect(agentNext(t('running', 'running'))).toBe('failed');
    // Finished in between (the orphaning by a DOWN node's dispatcher, for one): nothing more to report.
    expect(agentNext(t('complete', 'running'))).toBeNull();
    expect(agentNext(t('orphaned', 'running'))).toBeNull();
    expect(agentNext(t('running', 'shutdown'))).toBe('shutdown');
  });
});

/**
 * The controller's moves and the status messages it reports: moby/swarmkit:agent/exec/controller.go
 * (Do): transition(ACCEPTED, "accepted"), (PREPARING, "preparing"), (READY, "prepared"),
 * (STARTING, "starting"), (RUNNING, "started").
 */
describe('controller.go (Do): the path to RUNNING', () => {
  test('each report carries the message Do writes for that state', () => {
    const s0 = create(cluster([{ hostname: 'a' }]), service('web', { replicas: 1 }));
    const r = settle(run(s0, { kind: 'service.scale', scales: [{ service: 'web', replicas: 2 }] }));
    const reports = r.steps
      .filter((x) => x.action.actor === 'agent')
      .map(({ action, state }) => {
        const t = task(state, (action as { task: string }).task);
        return [t.observed, t.message];
      });
    expect(reports).toEqual([
      ['accepted', 'accepted'],
      ['preparing', 'preparing'],
      ['ready', 'prepared'],
      ['starting', 'starting'],
      ['running', 'started'],
    ]);
  });

  test('a task beyond its desired state is parked: STARTING while desired READY does not start', () => {
    // "if status.State > task.DesiredState { return noop() }" comes before PREPARING and STARTING,
    // which otherwise proceed past the desired state.
    const t = (observed: Task['observed'], desired: Task['desired']) =>
      ({ observed, desired, containerLost: false }) as Task;
    expect(agentNext(t('starting', 'ready'))).toBeNull();
    expect(agentNext(t('preparing', 'ready'))).toBe('ready');
    expect(agentNext(t('ready', 'ready'))).toBeNull();
    expect(agentNext(t('starting', 'running'))).toBe('running');
  });
});
