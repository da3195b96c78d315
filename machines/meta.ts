/**
 * What every transition of every machine carries in its `meta`: the SwarmKit component that performs it
 * and where in SwarmKit's code that happens. Diagrams print the actor after the slash
 * (`EVENT [guard] / actor`); the ownership meta-checks (machines/ownership.ts) read it.
 */
export interface TransitionMeta<Actor extends string = string> {
  actor: Actor;
  /** `moby/swarmkit:path (Func)` (or `etcd-io/raft:...`), the code that performs the transition. */
  source: string;
}

/**
 * A guard reference as it appears in a serialisable machine config: a name, optionally with plain-data
 * params (xstate v5 `{ type, params }`). No inline functions, so the config loads in Stately's visualizer.
 */
export interface GuardRef {
  type: string;
  params?: Record<string, unknown>;
}

/** How a machine's guards read on a diagram edge: `guardLabel({ type, params })` -> `desired ≥ shutdown`. */
export type GuardLabeler = (guard: GuardRef) => string;
