/**
 * The hot path's two containers (model/actions.ts): the reusable list `enabled` fills, and the interning
 * of actions by id. Neither is a Swarm rule; both are contracts the model's speed rests on.
 */
import { expect, test } from 'vitest';
import { type Action, ActionList, ByTaskPosition, Interned } from '../../model/actions.ts';
import type { Task } from '../../model/state.ts';

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

test('ByTaskPosition answers for a position only while it holds the same task object under the same key', () => {
  const memo = new ByTaskPosition<object, string>();
  const [a, b, c] = [{ id: 'a' }, { id: 'b' }, { id: 'c' }] as unknown as Task[];
  const k1 = {};
  memo.begin(k1);
  expect(memo.at(0, a)).toBeUndefined(); // nothing remembered yet
  memo.put(0, 'A');
  memo.put(1, 'B');
  memo.end([a, b]);
  memo.begin(k1);
  expect([memo.at(0, a), memo.at(1, b)]).toEqual(['A', 'B']);
  expect(memo.at(1, c)).toBeUndefined(); // another object at that position
  expect(memo.at(2, c)).toBeUndefined(); // past the end of the last list
  memo.end([a]); // the list shrank: position 1 is forgotten
  memo.begin(k1);
  expect(memo.at(1, b)).toBeUndefined();
  memo.begin({}); // a new key forgets everything
  expect(memo.at(0, a)).toBeUndefined();
});
