import type { Action } from './actions.ts';
import type { State } from './state.ts';

export function dispatcherEnabled(_s: State, _out: Action[]): void {}

export function dispatcherStep(s: State, _a: Action & { actor: 'dispatcher' }): State | string {
  return s;
}
