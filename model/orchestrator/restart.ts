import type { Action } from '../actions.ts';
import type { State } from '../state.ts';

export function restartEnabled(_s: State, _out: Action[]): void {}

export function restartStep(s: State, _a: Action & { actor: 'restart' }): State | string {
  return s;
}
