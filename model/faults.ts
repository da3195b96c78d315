import type { Action } from './actions.ts';
import type { State } from './state.ts';

export function faultsEnabled(_s: State, _out: Action[]): void {}

export function faultStep(s: State, _a: Action & { actor: 'fault' }): State | string {
  return s;
}
