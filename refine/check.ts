/**
 * The refinement check: every step of the full model, projected onto the TLA+ variables
 * (refine/projection.ts), must be a stutter, a step of SwarmKit's spec (tla/) or a short sequence
 * of its steps (refine/path.ts), or else one of the named divergences (refine/divergences.ts).
 * Anything else is *unexplained*: a bug in the model, the projection or the spec transcription.
 */
import type { Model } from '../explore/model.ts';
import { StepOracle } from '../explore/steps.ts';
import type { State } from '../model/index.ts';
import { swarmkitTlaModel } from '../tla/profile.ts';
import { Inv, TypeOK } from '../tla/SwarmKit.ts';
import { type Ctx, formatVars, makeCtx, type Vars } from '../tla/state.ts';
import type { Constants } from '../tla/Types.ts';
import { classify, type Divergence } from './divergences.ts';
import { findPath } from './path.ts';
import {
  advance,
  EMPTY_HISTORY,
  type History,
  type Projected,
  type ProjectionConfig,
  ProjectionError,
} from './projection.ts';

export type Verdict =
  | { kind: 'stutter' }
  /** One spec step; every action of Next that takes the projected pair (StepOracle). */
  | { kind: 'step'; labels: string[] }
  /** A sequence of spec steps (a batch of the model = several spec actions). */
  | { kind: 'path'; labels: string[] }
  | { kind: 'divergence'; divergence: Divergence; detail: string }
  | { kind: 'unexplained'; detail: string };

export interface StepCheck {
  verdict: Verdict;
  /** The projection of the new state (and the history after it). */
  next: Projected;
}

/** The spec constants a model configuration projects onto. */
export function refinementConstants(
  nodes: number,
  services: number,
  maxReplicas: number,
  taskIds = 8,
): Constants {
  // maxTerminated = 0: the most permissive CleanupTerminated. The model's reaper keeps a history
  // of L tasks per slot (TaskHistoryRetentionLimit, moby/swarmkit:manager/orchestrator/taskreaper),
  // deleting the oldest stopped ones; the spec's maxTerminated bounds the stopped tasks it keeps.
  // With 0, the check verifies *which* tasks the reaper may delete (stopped ones, through
  // CleanupTerminated + Reaper), not how many SwarmKit keeps.
  return { Node: nodes, ServiceId: services, TaskId: taskIds, maxReplicas, maxTerminated: 0, maxEvents: -1 };
}

export class Refinement {
  readonly ctx: Ctx;
  readonly tla: Model<Vars>;
  private readonly oracle: StepOracle<Vars>;
  readonly cfg: ProjectionConfig;

  constructor(K: Constants, nodeIds: readonly string[]) {
    this.ctx = makeCtx(K);
    this.tla = swarmkitTlaModel(K);
    this.oracle = new StepOracle(this.tla);
    this.cfg = { ctx: this.ctx, nodeIds };
  }

  /** The projection of an initial state. */
  initial(s: State): Projected {
    return advance(this.cfg, EMPTY_HISTORY, s);
  }

  project(prev: History, s: State): Projected {
    return advance(this.cfg, prev, s);
  }

  /** Check one model step `prev --(actor, kind)--> next`, given the projection of `prev`. */
  check(prev: State, pPrev: Projected, actor: string, kind: string, next: State): StepCheck {
    let pNext: Projected;
    try {
      pNext = advance(this.cfg, pPrev.history, next);
    } catch (e) {
      if (!(e instanceof ProjectionError)) throw e;
      return { verdict: { kind: 'unexplained', detail: `projection: ${e.message}` }, next: pPrev };
    }
    return { verdict: this.verdict(prev, pPrev, actor, kind, next, pNext), next: pNext };
  }

  private verdict(
    prev: State,
    pPrev: Projected,
    actor: string,
    kind: string,
    next: State,
    pNext: Projected,
  ): Verdict {
    const a = pPrev.vars;
    const b = pNext.vars;
    const fail = (why: string): Verdict => {
      const d = classify({ prev, next, actor, kind, hPrev: pPrev.history, hNext: pNext.history });
      const detail = `${actor}:${kind}: ${why}\n  from:\n    ${formatVars(this.ctx, a).join('\n    ')}\n  to:\n    ${formatVars(this.ctx, b).join('\n    ')}`;
      return d ? { kind: 'divergence', divergence: d, detail } : { kind: 'unexplained', detail };
    };
    for (const [name, check] of [
      ['TypeOK', TypeOK],
      ['Inv', Inv],
    ] as const) {
      const r = check(this.ctx, b);
      if (r !== true) return fail(`projected state violates the spec's ${name}: ${r}`);
    }
    if (this.oracle.same(a, b)) return { kind: 'stutter' };
    const labels = this.oracle.stepLabels(a, b);
    if (labels.length > 0) return { kind: 'step', labels: labels.map((l) => this.tla.actionNames[l]) };
    const { path } = findPath(this.tla, a, b);
    if (path !== null) return { kind: 'path', labels: path.map((l) => this.tla.actionNames[l]) };
    return fail('no spec step or short sequence of spec steps takes the projection');
  }
}
