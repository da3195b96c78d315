import { expect, test } from 'vitest';
import { type AnyTaskState, rank, STATE_VALUE } from '../../model/taskState.ts';

test('rank (a switch, for speed) agrees with the STATE_VALUE table for every state', () => {
  for (const s of Object.keys(STATE_VALUE) as AnyTaskState[]) expect(rank(s), s).toBe(STATE_VALUE[s]);
});
