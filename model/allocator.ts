import type { Action } from './actions.ts';
import type { State } from './state.ts';

export function allocatorEnabled(_s: State, _out: Action[]): void {}

export function allocatorStep(s: State, _a: Action & { actor: 'allocator' }): State | string {
  return s;
}
