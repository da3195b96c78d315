import type { Action } from './actions.ts';
import type { State } from './state.ts';

export function clockEnabled(_s: State, _out: Action[]): void {}

export function clockStep(s: State, _a: Action & { actor: 'clock' }): State | string {
  return s;
}
