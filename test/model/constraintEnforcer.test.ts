/**
 * The constraint enforcer's choice of tasks to reject, rule by rule, against
 * moby/swarmkit:manager/orchestrator/constraintenforcer/constraint_enforcer.go (rejectNoncompliantTasks).
 * Tasks are built from a real cluster's task and varied one field at a time.
 */
import { describe, expect, test } from 'vitest';
import { noncompliantTasks } from '../../model/orchestrator/constraintEnforcer.ts';
import type { Node, Service, Task } from '../../model/state.ts';
import { cluster, create, service, serviceTasks } from './helpers.ts';

const GiB = 1024 ** 3;
/**
 * A cluster with one web task on w1, built inside each test that uses it and never shared (test files
 * compute nothing from the model at collection time, and a shared result would credit the code that
 * built it to the first test only: README, Mutation testing); the tests below use its node, service
 * and task as templates.
 */
function fixture(): { w1: Node; svc: Service; proto: Task } {
  const base = create(
    cluster([
      { hostname: 'm1' },
      { hostname: 'w1', labels: { zone: 'a' }, nanoCpus: 2e9, memoryBytes: 2 * GiB },
    ]),
    service('web', { replicas: 1 }),
  );
  return {
    w1: base.nodes.find((n) => n.hostname === 'w1')!,
    svc: base.services[0],
    proto: serviceTasks(base, 'web')[0],
  };
}

let next = 100;
const task = (patch: Partial<Task> = {}): Task => ({
  ...fixture().proto,
  id: `t${next++}`,
  nodeId: fixture().w1.id,
  observed: 'running',
  desired: 'running',
  ...patch,
});
const withConstraints = (constraints: string[]): Service => {
  const { svc } = fixture();
  const placement = { ...svc.spec.task.placement, constraints };
  return { ...svc, spec: { ...svc.spec, task: { ...svc.spec.task, placement } } };
};
const reserving = (nanoCpus: number, memoryBytes: number): Partial<Task> => ({
  spec: { ...fixture().proto.spec, reservations: { nanoCpus, memoryBytes } },
});
const rejected = (
  tasks: Task[],
  services: Service[] = [withConstraints(['node.labels.zone==b'])],
  node: Node = fixture().w1,
) => noncompliantTasks({ tasks, services }, node).map((t) => t.id);

describe('constraint enforcer (constraint_enforcer.go (rejectNoncompliantTasks))', () => {
  test('only ACTIVE nodes are checked: drain is the orchestrator’s job, pause leaves tasks alone', () => {
    const t = task();
    expect(rejected([t])).toEqual([t.id]);
    expect(rejected([t], undefined, { ...fixture().w1, availability: 'pause' })).toEqual([]);
    expect(rejected([t], undefined, { ...fixture().w1, availability: 'drain' })).toEqual([]);
  });

  test('only tasks desired up to COMPLETED and not yet COMPLETE are considered', () => {
    // (SwarmKit also skips desired < ASSIGNED; desired states start at READY.)
    const considered = [
      task({ desired: 'ready' }),
      task({ desired: 'running' }),
      task({ desired: 'complete' }),
    ];
    const skipped = [
      task({ desired: 'shutdown' }),
      task({ desired: 'remove' }),
      task({ observed: 'complete' }),
      task({ observed: 'failed' }),
    ];
    expect(rejected([...skipped, ...considered])).toEqual(considered.map((t) => t.id));
  });

  test('the service’s current constraints count, not the task’s copy; the copy only when the service is gone', () => {
    // The task's own spec says zone==b (would fail); the service now says zone==a (matches).
    const t = task({
      spec: {
        ...fixture().proto.spec,
        placement: { ...fixture().proto.spec.placement, constraints: ['node.labels.zone==b'] },
      },
    });
    expect(rejected([t], [withConstraints(['node.labels.zone==a'])])).toEqual([]);
    expect(rejected([t], [])).toEqual([t.id]);
    // And the other way round: the service's constraints reject a task whose copy still matches.
    const u = task();
    expect(rejected([u], [withConstraints(['node.labels.zone==b'])])).toEqual([u.id]);
    // Each task is judged by its own service: another service listed first does not count.
    const other = { ...withConstraints([]), id: 'other' };
    expect(rejected([u], [other, withConstraints(['node.labels.zone==b'])])).toEqual([u.id]);
    expect(rejected([u], [withConstraints([])])).toEqual([]);
  });

  test('reservations are summed in task order; what no longer fits the node is rejected, an exact fit is kept', () => {
    const services = [withConstraints([])];
    // Node w1: 2 CPUs, 2 GiB.
    const a = task(reserving(1e9, GiB));
    const b = task(reserving(1e9, GiB)); // exactly what is left: kept
    const c = task(reserving(1, 0)); // nothing left: rejected
    expect(rejected([a, b, c], services)).toEqual([c.id]);
    // A rejected task does not consume: the next one that fits is kept.
    const big = task(reserving(3e9, 0));
    const d = task(reserving(2e9, 2 * GiB));
    expect(rejected([big, d], services)).toEqual([big.id]);
    // Memory is summed as well: 1 GiB + 1 GiB fills the node, one byte more does not fit.
    const m1 = task(reserving(0, GiB));
    const m2 = task(reserving(0, GiB));
    const m3 = task(reserving(0, 1));
    expect(rejected([m1, m2, m3], services)).toEqual([m3.id]);
    // Memory alone, CPU alone.
    expect(rejected([task(reserving(0, 2 * GiB + 1))], services)).toHaveLength(1);
    expect(rejected([task(reserving(2e9 + 1, 0))], services)).toHaveLength(1);
    // Tasks of other nodes do not count.
    expect(
      rejected([task({ ...reserving(2e9, 0), nodeId: 'elsewhere' }), task(reserving(2e9, 0))], services),
    ).toEqual([]);
  });
});
