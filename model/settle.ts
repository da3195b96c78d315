/**
 * Deterministic drivers over the transition relation, for scenarios and tests.
 *
 * settle: run the components until only clock and fault actions remain. Fair and fixed: actors take
 * turns in the order below (each turn runs the first enabled action of that actor), so no component
 * starves another and the same input always gives the same run.
 * wait: advance the clock by `ms`, stopping at every deadline in between to settle.
 */
import type { Action, Actor } from './actions.ts';
import { nextDeadline } from './clock.ts';
import { enabled, step } from './relation.ts';
import { NO_DEADLINE, type State } from './state.ts';

export interface SettleOptions {
  /** Bound on component steps (default 10 000). */
  maxSteps?: number;
}
export interface SettleResult {
  state: State;
  steps: { action: Action; state: State }[];
  /** True if the bound was hit before the cluster settled. */
  hitBound: boolean;
}

const TURNS: Actor[] = [
  'raft',
  'dispatcher',
  'orchestrator',
  'restart',
  'updater',
  'allocator',
  'scheduler',
  'agent',
  'reaper',
];

export function settle(s: State, opts: SettleOptions = {}): SettleResult {
  const max = opts.maxSteps ?? 10_000;
  const steps: { action: Action; state: State }[] = [];
  let turn = 0;
  while (steps.length < max) {
    const acts = enabled(s).filter((a) => a.actor !== 'clock' && a.actor !== 'fault');
    if (acts.length === 0) return { state: s, steps, hitBound: false };
    let chosen: Action | undefined;
    for (let k = 0; k < TURNS.length && !chosen; k++) {
      const actor = TURNS[(turn + k) % TURNS.length];
      chosen = acts.find((a) => a.actor === actor);
      if (chosen) turn = (turn + k + 1) % TURNS.length;
    }
    chosen ??= acts[0];
    const r = step(s, chosen);
    if (!r.ok) throw new Error(`settle: enabled action refused: ${r.error}`);
    s = r.state;
    steps.push({ action: chosen, state: s });
  }
  return { state: s, steps, hitBound: true };
}

export function wait(s: State, ms: number, opts: SettleOptions = {}): SettleResult {
  const target = s.now + ms;
  const all: { action: Action; state: State }[] = [];
  let r = settle(s, opts);
  all.push(...r.steps);
  s = r.state;
  if (r.hitBound) return { state: s, steps: all, hitBound: true };
  while (true) {
    const d = nextDeadline(s);
    const to = d !== NO_DEADLINE && d <= target ? d : target;
    if (to > s.now) {
      const action: Action = { actor: 'clock', kind: 'advance', to };
      const res = step(s, action);
      if (!res.ok) throw new Error(res.error);
      s = res.state;
      all.push({ action, state: s });
    }
    r = settle(s, opts);
    all.push(...r.steps);
    s = r.state;
    if (r.hitBound) return { state: s, steps: all, hitBound: true };
    if (s.now >= target) return { state: s, steps: all, hitBound: false };
  }
}
