import type { Action } from '../actions.ts';
import type { State } from '../state.ts';

export function orchestratorEnabled(_s: State, _out: Action[]): void {}

export function orchestratorStep(s: State, _a: Action & { actor: 'orchestrator' }): State | string {
  return s;
}
