/**
 * The store transaction's own rules (model/tx.ts), where no docker command reaches them one at a time:
 * desired state is only ever raised (every SwarmKit writer checks it, orchestration.md §1.2).
 */
import { describe, expect, test } from 'vitest';
import { Tx } from '../../model/tx.ts';
import { cluster, create, service, serviceTasks } from './helpers.ts';

describe('raiseDesired', () => {
  const withDesired = (desired: 'running' | 'shutdown' | 'remove') => {
    const s = create(cluster([{ hostname: 'm1' }]), service('web', { replicas: 1 }));
    const [t] = serviceTasks(s, 'web');
    return { s: { ...s, tasks: s.tasks.map((x) => (x.id === t.id ? { ...x, desired } : x)) }, id: t.id };
  };
  const raised = (from: 'running' | 'shutdown' | 'remove', to: 'shutdown' | 'remove') => {
    const { s, id } = withDesired(from);
    const tx = new Tx(s);
    tx.raiseDesired(id, to);
    return tx.commit().tasks.find((x) => x.id === id)!.desired;
  };

  test('raises RUNNING to SHUTDOWN or REMOVE, and SHUTDOWN to REMOVE', () => {
    expect(raised('running', 'shutdown')).toBe('shutdown');
    expect(raised('running', 'remove')).toBe('remove');
    expect(raised('shutdown', 'remove')).toBe('remove');
  });

  test('never lowers: a task desired REMOVE stays REMOVE when something asks for SHUTDOWN', () => {
    expect(raised('remove', 'shutdown')).toBe('remove');
  });

  test('asking for the desired state a task already has writes nothing', () => {
    const { s, id } = withDesired('shutdown');
    const tx = new Tx(s);
    tx.raiseDesired(id, 'shutdown');
    expect(tx.commit().tasks).toBe(s.tasks);
  });
});

test('deleting a task that is already gone writes nothing (a second delete in one transaction is harmless)', () => {
  const s = create(cluster([{ hostname: 'm1' }]), service('web', { replicas: 1 }));
  const [t] = serviceTasks(s, 'web');
  const tx = new Tx(s);
  tx.deleteTask(t.id);
  tx.deleteTask(t.id);
  const after = tx.commit();
  expect(after.tasks.map((x) => x.id)).toEqual(s.tasks.filter((x) => x.id !== t.id).map((x) => x.id));
  const none = new Tx(s);
  none.deleteTask('no-such-task');
  expect(none.commit().tasks).toBe(s.tasks);
});
