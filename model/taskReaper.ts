import type { Action } from './actions.ts';
import type { State } from './state.ts';

export function reaperEnabled(_s: State, _out: Action[]): void {}

export function reaperStep(s: State, _a: Action & { actor: 'reaper' }): State | string {
  return s;
}
