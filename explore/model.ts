/**
 * The contract between the generic explorer and a model (a "profile").
 *
 * A model is a transition system given by its initial states and a successor function, plus a
 * canonical encoding of states as 32-bit words. The explorer never looks inside a state: it hashes
 * the encoding into a 64-bit fingerprint (as TLC does), stores only fingerprints, and keeps the
 * encodings of the frontier, which it turns back into states with `decode`.
 *
 * Counting follows TLC: every call to `emit` is one "state generated" (duplicates and self-loops
 * included), so a model must call `emit` once per satisfying binding of its action's bound
 * variables, exactly as TLC enumerates `\E x \in S : ...` and disjunctions.
 */

/** An action label is an index into `Model.actionNames`. Cheap in the hot path; named in traces. */
export type ActionId = number;

export type Emit<S> = (action: ActionId, next: S) => void;

/** `true` when the invariant holds, else a message naming the values that broke it. */
export type Verdict = true | string;

export interface Invariant<S> {
  name: string;
  check(s: S): Verdict;
}

/**
 * What the explorer knows about one step `s -> next` when it checks an action property: `labels`
 * is the action that produced it, or, when that check failed and is being confirmed, every action
 * whose successors of `s` include `next` (a step can satisfy several actions at once, and a TLA+
 * action property such as `CASE Orchestrator -> ... [] Agent -> ...` asks which actions the *pair of
 * states* satisfies, not which disjunct happened to produce it). See ActionProperty's contract.
 */
export interface StepInfo {
  readonly labels: readonly ActionId[];
}

/**
 * A property of every step, like TLA+'s `[][P]_vars` (stuttering steps pass trivially).
 *
 * Contract: the verdict for a set of labels must equal the verdict for one of its labels (true of a
 * TLA+ `CASE A1 -> ... [] A2 -> ...` over actions, and of any per-action check). The explorer checks
 * each generated step with its own single label, and only when that fails computes every label of
 * the step (all actions producing `next` from `s`) and checks again to confirm.
 */
export interface ActionProperty<S> {
  name: string;
  check(s: S, next: S, step: StepInfo): Verdict;
}

/**
 * Weak fairness `WF_vars(A)` where A is the disjunction of the named actions. As in TLA+, a behaviour
 * is unfair to A if from some point on a non-stuttering A step is always enabled but never taken.
 */
export interface WeakFairness {
  name: string;
  actions: readonly ActionId[];
}

/**
 * A liveness property of the shape
 *   `[]<><<F1>>_vars \/ ... \/ []<><<Fk>>_vars \/ <>[]P`
 * ("either some fault action keeps happening forever, or the system eventually stays in P"),
 * checked under the model's weak-fairness conditions. A counterexample is a fair lasso that takes
 * no `Fi` step in its cycle and visits a state where P is false infinitely often.
 */
export interface LivenessProperty<S> {
  name: string;
  /** Actions allowed to happen only finitely often in a counterexample's cycle. */
  finitelyOften: readonly ActionId[];
  /** The state predicate P of `<>[]P`. */
  eventuallyAlways: { name: string; holds(s: S): boolean };
}

export interface Model<S> {
  name: string;
  /** Action labels by ActionId, e.g. `['CreateService', 'UpdateService', ...]`. */
  actionNames: readonly string[];
  initialStates(): S[];
  /** Calls `emit` once per successor binding (TLC's "states generated"). */
  successors(s: S, emit: Emit<S>): void;
  /** Upper bound on the number of words `encode` ever writes. */
  maxWords: number;
  /** Writes the canonical encoding of `s` into `out` from index 0; returns the word count. */
  encode(s: S, out: Int32Array): number;
  /** Inverse of `encode` on `words[start, start+len)`. */
  decode(words: Int32Array, start: number, len: number): S;
  invariants: Invariant<S>[];
  actionProperties?: ActionProperty<S>[];
  /** Weak fairness conditions of the specification (used by `liveness`). */
  fairness?: WeakFairness[];
  liveness?: LivenessProperty<S>[];
  /** Report states with no successor at all (TLC's default). */
  checkDeadlock: boolean;
  /** One line per variable, TLC style (`/\ tasks = {...}`), for traces. */
  formatState(s: S): string[];
}
