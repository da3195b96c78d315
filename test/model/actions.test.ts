/**
 * The hot path's two containers (model/actions.ts): the reusable list `enabled` fills, and the interning
 * of actions by id. Neither is a Swarm rule; both are contracts the model's speed rests on.
 */
import { expect, test } from 'vitest';
import { type Action, ActionList, Interned } from '../../model/actions.ts';

const reap: Action = { actor: 'reaper', kind: 'reap' };
const schedule: Action = { actor: 'scheduler', kind: 'schedule' };

test('an ActionList cleared and refilled shows only what was pushed since', () => {
  const list = new ActionList();
  list.push(reap);
  list.push(schedule);
  expect(list.toArray()).toEqual([reap, schedule]);
  list.clear();
  list.push(schedule);
  expect([list.length, list.toArray()]).toEqual([1, [schedule]]);
});

test('Interned makes one action per id and hands back that same value each time', () => {
  let made = 0;
  const orphan = new Interned((node) => {
    made++;
    return { actor: 'dispatcher', kind: 'orphan', node };
  });
  const a = orphan.of('n1');
  expect(orphan.of('n1')).toBe(a);
  expect(orphan.of('n2')).toEqual({ actor: 'dispatcher', kind: 'orphan', node: 'n2' });
  expect(made).toBe(2);
});
