import type { Action } from './actions.ts';
import type { State } from './state.ts';

export function agentEnabled(_s: State, _out: Action[]): void {}

export function agentStep(s: State, _a: Action & { actor: 'agent' }): State | string {
  return s;
}
