import type { StepResult } from '../actions.ts';
import type { UserCommand } from '../spec.ts';
import type { State } from '../state.ts';

export function applyCommand(_s: State, _c: UserCommand): StepResult {
  return { ok: false, error: 'not implemented yet' };
}
