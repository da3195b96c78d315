/**
 * restartEnabled replays its last list while its inputs stand (model/orchestrator/restart.ts): the
 * task list, the time, each service's spec and the node fields the decision reads. These tests change
 * one of those inputs and nothing else, and check the list follows: a replay of a stale list would
 * offer an action SwarmKit would not take.
 */
import { expect, test } from 'vitest';
import { type Action, enabled } from '../../model/index.ts';
import { act, cluster, create, nodeId, run, service, serviceTasks, settled } from './helpers.ts';

/** A global service on m1 and w1 whose task on w1 has just failed (desired still RUNNING). */
function failedGlobalTaskOnW1() {
  let s = settled(
    create(
      cluster([{ hostname: 'm1' }, { hostname: 'w1' }]),
      service('mon', { mode: 'global', replicas: undefined }),
    ),
  );
  const t = serviceTasks(s, 'mon').find((x) => x.nodeId === nodeId(s, 'w1'))!;
  s = act(s, { actor: 'fault', kind: 'exit', task: t.id, code: 1 });
  return { s, task: t.id };
}
const about = (list: Action[], task: string) =>
  list.filter((a) => 'task' in a && a.task === task).map((a) => `${a.actor} ${a.kind}`);

test('a constraint added to the service turns the failed global task from restart into shutdown', () => {
  // global.go (handleTaskChange / reconcileOneNode): a node that no longer meets the constraints only
  // gets its task shut down. The update leaves the task list as it was; only the spec changed.
  const { s, task } = failedGlobalTaskOnW1();
  expect(about(enabled(s), task)).toEqual(['restart restart-task']);
  const updated = run(s, {
    kind: 'service.update',
    service: 'mon',
    update: { constraintAdd: ['node.role==manager'] },
  });
  expect(updated.tasks.find((x) => x.id === task)).toBe(s.tasks.find((x) => x.id === task));
  expect(about(enabled(updated), task)).toEqual(['orchestrator shutdown-task']);
});

test('pausing the node turns it into shutdown too, with the task list untouched', () => {
  const { s, task } = failedGlobalTaskOnW1();
  expect(about(enabled(s), task)).toEqual(['restart restart-task']);
  const paused = run(s, { kind: 'node.update', node: 'w1', availability: 'pause' });
  expect(about(enabled(paused), task)).toEqual(['orchestrator shutdown-task']);
});

test('removing a node with no tasks, time standing still, is read afresh (the node list got shorter)', () => {
  // docker node rm --force on an idle worker: the task list stays as it was, the node list shrinks.
  let s = create(
    cluster([{ hostname: 'm1' }, { hostname: 'w1' }]),
    service(
      'web',
      { replicas: 1 },
      { placement: { constraints: ['node.role==manager'], preferences: [], maxReplicas: 0 } },
    ),
  );
  const before = enabled(s);
  s = run(s, { kind: 'node.rm', node: 'w1', force: true });
  expect(s.nodes.map((n) => n.hostname)).toEqual(['m1']);
  expect(() => enabled(s)).not.toThrow();
  expect(enabled(s).filter((a) => a.actor === 'restart')).toEqual(
    before.filter((a) => a.actor === 'restart'),
  );
});
