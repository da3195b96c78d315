import type { Action } from './actions.ts';
import type { State } from './state.ts';

export interface SettleOptions {
  maxSteps?: number;
}
export interface SettleResult {
  state: State;
  steps: { action: Action; state: State }[];
  hitBound: boolean;
}
export function settle(s: State, _opts?: SettleOptions): SettleResult {
  return { state: s, steps: [], hitBound: false };
}
export function wait(s: State, _ms: number, _opts?: SettleOptions): SettleResult {
  return { state: s, steps: [], hitBound: false };
}
