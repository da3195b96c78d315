/**
 * Step oracle: which actions of a model take `s` to `next`. This is what a refinement check needs
 * ("every step of the full model, projected onto the TLA+ variables, is a step of the spec or a
 * stutter"): project both states, then ask the spec model with `stepLabels`.
 */
import type { ActionId, Model } from './model.ts';

function sameWords(a: Int32Array, la: number, b: Int32Array, lb: number): boolean {
  if (la !== lb) return false;
  for (let i = 0; i < la; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class StepOracle<S> {
  private readonly a: Int32Array;
  private readonly b: Int32Array;

  constructor(private readonly model: Model<S>) {
    this.a = new Int32Array(model.maxWords);
    this.b = new Int32Array(model.maxWords);
  }

  /** Whether two states have the same canonical encoding (a stuttering step if s -> next). */
  same(s: S, next: S): boolean {
    return sameWords(this.a, this.model.encode(s, this.a), this.b, this.model.encode(next, this.b));
  }

  /** Every action (without repeats) with a successor of `s` equal to `next`; [] if none. */
  stepLabels(s: S, next: S): ActionId[] {
    const ln = this.model.encode(next, this.b);
    const out: ActionId[] = [];
    this.model.successors(s, (action, n) => {
      if (!out.includes(action) && sameWords(this.a, this.model.encode(n, this.a), this.b, ln))
        out.push(action);
    });
    return out;
  }
}
