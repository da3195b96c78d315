/**
 * Counterexample traces, rebuilt from fingerprints.
 *
 * The explorer keeps no states, only per-index fingerprints, BFS parents and the action that first
 * reached each state. A trace is rebuilt by replaying: start from the initial state with the right
 * fingerprint, and at each step run the model's successor function and keep the successor whose
 * fingerprint is the next index's (preferring the recorded action). Parent chains are BFS-shortest.
 */
import { Hasher, NO_PARENT, type SeenStates } from './fingerprints.ts';
import type { Model } from './model.ts';

export interface TraceStep<S> {
  /** The action that produced this state; null for the initial state. */
  action: string | null;
  state: S;
}

export interface Trace<S> {
  steps: TraceStep<S>[];
  /** For liveness: the behaviour loops back to step `step` (1-based), or stutters forever at the end. */
  loop?: { kind: 'back-to'; step: number; action: string } | { kind: 'stuttering' };
}

export class TraceBuilder<S> {
  private readonly hasher = new Hasher();
  private readonly buf: Int32Array;

  constructor(
    private readonly model: Model<S>,
    private readonly seen: SeenStates,
  ) {
    this.buf = new Int32Array(model.maxWords);
  }

  private matches(s: S, idx: number): boolean {
    const len = this.model.encode(s, this.buf);
    this.hasher.hash(this.buf, len);
    return this.hasher.a === this.seen.fpA[idx] && this.hasher.b === this.seen.fpB[idx];
  }

  private initial(idx: number): S {
    for (const s of this.model.initialStates()) if (this.matches(s, idx)) return s;
    throw new Error(`trace: no initial state has the fingerprint of state #${idx}`);
  }

  /** The successor of `s` that is state `idx`, preferring action `prefer`. */
  private step(s: S, idx: number, prefer: number): TraceStep<S> {
    let found: { action: number; state: S } | undefined;
    this.model.successors(s, (action, next) => {
      if ((found === undefined || (found.action !== prefer && action === prefer)) && this.matches(next, idx))
        found = { action, state: next };
    });
    if (!found) throw new Error(`trace: state #${idx} is not a successor (internal error)`);
    return { action: this.model.actionNames[found.action], state: found.state };
  }

  private replay(indices: number[], actions: number[]): TraceStep<S>[] {
    const steps: TraceStep<S>[] = [{ action: null, state: this.initial(indices[0]) }];
    for (let k = 1; k < indices.length; k++)
      steps.push(this.step(steps[k - 1].state, indices[k], actions[k]));
    return steps;
  }

  private chain(idx: number): { indices: number[]; actions: number[] } {
    const indices: number[] = [];
    const actions: number[] = [];
    for (let i = idx; i !== NO_PARENT; i = this.seen.parent[i]) {
      indices.push(i);
      actions.push(this.seen.action[i]);
    }
    return { indices: indices.reverse(), actions: actions.reverse() };
  }

  /** The BFS-shortest behaviour from an initial state to state `idx`. */
  pathTo(idx: number): Trace<S> {
    const { indices, actions } = this.chain(idx);
    return { steps: this.replay(indices, actions) };
  }

  /** The shortest behaviour to `from`, then the step `from -> to` by `action`. */
  pathThenStep(from: number, to: number, action: number): Trace<S> {
    const { indices, actions } = this.chain(from);
    indices.push(to);
    actions.push(action);
    return { steps: this.replay(indices, actions) };
  }

  /** Prefix to `entry`, then the cycle (ending back at `entry`; empty = stuttering). */
  lasso(entry: number, cycle: number[]): Trace<S> {
    const { indices, actions } = this.chain(entry);
    const loopStep = indices.length;
    for (const v of cycle.slice(0, -1)) {
      indices.push(v);
      actions.push(-1);
    }
    const steps = this.replay(indices, actions);
    if (cycle.length === 0) return { steps, loop: { kind: 'stuttering' } };
    // Check the last cycle edge really returns to the entry (and name its action).
    const back = this.step(steps[steps.length - 1].state, entry, -1);
    return { steps, loop: { kind: 'back-to', step: loopStep, action: back.action ?? '' } };
  }
}

/** TLC-style rendering: numbered states, the action that led to each, one line per variable. */
export function formatTrace<S>(model: Model<S>, trace: Trace<S>): string {
  const out: string[] = [];
  trace.steps.forEach((st, i) => {
    out.push(`State ${i + 1}: <${st.action ?? 'Initial predicate'}>`);
    out.push(...model.formatState(st.state));
    out.push('');
  });
  const n = trace.steps.length + 1;
  if (trace.loop?.kind === 'back-to') {
    out.push(`State ${n}: Back to state ${trace.loop.step} <${trace.loop.action}>`);
  } else if (trace.loop?.kind === 'stuttering') {
    out.push(`State ${n}: Stuttering`);
  }
  return out.join('\n').trimEnd();
}
