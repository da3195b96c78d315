import type { Action } from '../actions.ts';
import type { State } from '../state.ts';

export function schedulerEnabled(_s: State, _out: Action[]): void {}

export function schedulerStep(s: State, _a: Action & { actor: 'scheduler' }): State | string {
  return s;
}
