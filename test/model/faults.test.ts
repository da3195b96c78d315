/**
 * What each fault does to the store, read off the agent's reports: moby/swarmkit:agent/exec/controller.go
 * (Do: a container's exit status; fatal() for an error before the container starts), and what a
 * partition or a machine restart changes (model/faults.ts).
 */
import { describe, expect, test } from 'vitest';
import { enabled, type State, step } from '../../model/index.ts';
import { act, cluster, nodeId, run, service } from './helpers.ts';

const taskOf = (s: State) => s.tasks[0];
/** web (1 replica) on the single worker, stepped by components until its task is `observed`. */
const upTo = (observed: string): State => {
  let s = cluster([{ hostname: 'm1', availability: 'drain' }, { hostname: 'w1' }]);
  s = run(s, { kind: 'service.create', spec: service('web', { replicas: 1 }) });
  while (taskOf(s)?.observed !== observed) {
    const a = enabled(s).find((x) => x.actor !== 'clock' && x.actor !== 'fault');
    if (!a) throw new Error(`never reached ${observed}`);
    s = act(s, a);
  }
  return s;
};

describe('container faults', () => {
  test('exit 0: COMPLETE, "finished", exit code 0 and no error', () => {
    const r = upTo('running');
    const s = act(r, { actor: 'fault', kind: 'exit', task: taskOf(r).id, code: 0 });
    expect(taskOf(s)).toMatchObject({ observed: 'complete', message: 'finished', exitCode: 0, err: '' });
  });

  test('exit ≠ 0: FAILED, the message still "started", the exit code and the error', () => {
    const r = upTo('running');
    const s = act(r, { actor: 'fault', kind: 'exit', task: taskOf(r).id, code: 137 });
    expect(taskOf(s)).toMatchObject({
      observed: 'failed',
      message: 'started',
      exitCode: 137,
      err: 'task: non-zero exit (137)',
    });
  });

  test('a reject before start: REJECTED with the error, the message left as the last report wrote it', () => {
    for (const [at, message] of [
      ['accepted', 'accepted'],
      ['preparing', 'preparing'],
      ['ready', 'prepared'],
    ] as const) {
      const r = upTo(at);
      const s = act(r, { actor: 'fault', kind: 'reject', task: taskOf(r).id });
      expect(taskOf(s)).toMatchObject({
        observed: 'rejected',
        message,
        err: 'the agent could not prepare the task',
      });
    }
  });

  test('no reject once STARTING, nor from a node the leader cannot reach', () => {
    const st = upTo('starting');
    const id = taskOf(st).id;
    expect(enabled(st).some((a) => a.actor === 'fault' && a.kind === 'reject')).toBe(false);
    const refused = (s: State) => {
      const r = step(s, { actor: 'fault', kind: 'reject', task: id });
      return r.ok ? 'accepted' : r.error;
    };
    expect(refused(st)).toBe(`task ${id} cannot be rejected now`);
    const pr = upTo('preparing');
    const cut = act(pr, { actor: 'fault', kind: 'partition', groups: [[nodeId(pr, 'w1')]] });
    expect(refused(cut)).toBe(`task ${id} cannot be rejected now`);
  });

  test('no reject of a task the scheduler has not placed: no agent holds it', () => {
    // Only the agent of the node a task is assigned to runs its controller (controller.go (Do: fatal)),
    // so a PENDING task, with no node yet, cannot be rejected; the refusal is the plain one.
    const s = upTo('pending');
    const t = taskOf(s);
    expect(t.nodeId).toBe('');
    const r = step(s, { actor: 'fault', kind: 'reject', task: t.id });
    expect(r.ok ? 'accepted' : r.error).toBe(`task ${t.id} cannot be rejected now`);
  });
});

describe('machines', () => {
  test('each running machine can crash or be cut off alone: the offered partition isolates exactly that node', () => {
    const s = cluster([{ hostname: 'm1' }, { hostname: 'w1' }, { hostname: 'w2' }]);
    const w1 = nodeId(s, 'w1');
    const cuts = enabled(s).filter((a) => a.actor === 'fault' && a.kind === 'partition');
    expect(cuts).toHaveLength(3);
    const cut = cuts.find((a) => a.actor === 'fault' && a.kind === 'partition' && a.groups[0]?.[0] === w1)!;
    const after = act(s, cut);
    const group = (h: string) => after.nodes.find((n) => n.hostname === h)!.group;
    expect(group('w1')).not.toBe(group('m1'));
    expect(group('w2')).toBe(group('m1'));
    expect(enabled(s)).toContainEqual({ actor: 'fault', kind: 'crash', node: w1 });
  });

  test('a partition into two groups cuts each from the other and from the rest', () => {
    let s = cluster([{ hostname: 'a' }, { hostname: 'b' }, { hostname: 'c' }]);
    s = act(s, { actor: 'fault', kind: 'partition', groups: [[nodeId(s, 'b')], [nodeId(s, 'c')]] });
    const group = (h: string) => s.nodes.find((n) => n.hostname === h)!.group;
    expect(new Set([group('a'), group('b'), group('c')]).size).toBe(3);
    s = act(s, { actor: 'fault', kind: 'heal' });
    expect(s.nodes.map((n) => n.group)).toEqual([0, 0, 0]);
  });

  test('a machine restart loses the containers that were starting or running, not the tasks before them', () => {
    for (const [at, lost] of [
      ['starting', true],
      ['running', true],
      ['preparing', false],
    ] as const) {
      let s = upTo(at);
      const w1 = nodeId(s, 'w1');
      s = act(act(s, { actor: 'fault', kind: 'crash', node: w1 }), {
        actor: 'fault',
        kind: 'restart',
        node: w1,
      });
      expect([at, taskOf(s).containerLost]).toEqual([at, lost]);
    }
  });
});
