/**
 * The property suite drives the model only through `enabled` and `step` (DESIGN.md §2), behind this
 * small interface so that a test can swap in a deliberately broken model ("planted bug") and prove
 * that the suite catches it. The real model is `realModel`; the planted ones live in
 * properties/planted.ts and are selected by name (SWARM_PLANT), never by editing model/.
 */
import { type Action, enabled, type State, type StepResult, step } from '../model/index.ts';

export interface ModelApi {
  /** '' for the real model, else the planted bug's name (saved with counterexamples for replay). */
  name: string;
  enabled(s: State): Action[];
  step(s: State, a: Action): StepResult;
}

export const realModel: ModelApi = { name: '', enabled, step };
