/**
 * The `swarmkit-tla` profile: moby/swarmkit:design/tla/SwarmKit.tla (with WorkerSpec.tla as the
 * agent), as an explorer Model.
 *
 * Constants default to the spec's own model (design/tla/models/SwarmKit.cfg): Node = {n1},
 * ServiceId = {s1}, TaskId = {t1, t2}, maxReplicas = 1, maxTerminated = 1. That .cfg sets no
 * SYMMETRY, CONSTRAINT, ACTION_CONSTRAINT or VIEW and does not override maxEvents (so it is -1,
 * unlimited, and nEvents stays 0); it checks INVARIANT TypeOK, Inv and PROPERTY TransitionsOK,
 * EventuallyAsDesired, with TLC's default deadlock check. This profile does the same.
 */

import type { LivenessProperty, Model } from '../explore/model.ts';
import type { Profile } from '../explore/profile.ts';
import {
  actionIds,
  COMPONENT_BIT,
  EventuallyAsDesiredFinitelyOften,
  Fairness,
  InDesiredState,
  Init,
  Inv,
  Next,
  StepTransitionsOK,
  type TlaAction,
  TypeOK,
} from './SwarmKit.ts';
import { type Ctx, decodeVars, encodeVars, formatVars, makeCtx, maxWords, type Vars } from './state.ts';
import type { Constants } from './Types.ts';

/** The constants of design/tla/models/SwarmKit.cfg (maxEvents is EventCounter.tla's own -1). */
export const REFERENCE_CONSTANTS: Constants = {
  Node: 1,
  ServiceId: 1,
  TaskId: 2,
  maxReplicas: 1,
  maxTerminated: 1,
  maxEvents: -1,
};

export interface SwarmKitModelOptions {
  /** Replace Next (e.g. a copy with a planted bug, for tests). */
  next?: readonly TlaAction[];
  checkDeadlock?: boolean;
}

export function swarmkitTlaModel(K: Constants, opts: SwarmKitModelOptions = {}): Model<Vars> {
  const ctx: Ctx = makeCtx(K);
  const next = opts.next ?? Next;
  const fns = next.map((a) => a.fn);
  const componentBits = next.map((a) => COMPONENT_BIT[a.component]);

  // One reusable inner emitter: avoids a closure per action per state in the hot path.
  let outer: (action: number, v: Vars) => void = () => {};
  let current = 0;
  const inner = (v: Vars) => outer(current, v);

  const eventuallyAsDesired: LivenessProperty<Vars> = {
    name: 'EventuallyAsDesired',
    finitelyOften: actionIds(next, ...EventuallyAsDesiredFinitelyOften),
    eventuallyAlways: { name: 'InDesiredState', holds: (v) => InDesiredState(ctx, v) },
  };

  return {
    name: 'swarmkit-tla',
    actionNames: next.map((a) => a.name),
    initialStates: () => Init(ctx),
    successors(v, emit) {
      outer = emit;
      for (let a = 0; a < fns.length; a++) {
        current = a;
        fns[a](v, ctx, inner);
      }
    },
    maxWords: maxWords(ctx),
    encode: (v, out) => encodeVars(ctx, v, out),
    decode: (w, start, len) => decodeVars(ctx, w, start, len),
    invariants: [
      { name: 'TypeOK', check: (v) => TypeOK(ctx, v) },
      { name: 'Inv', check: (v) => Inv(ctx, v) },
    ],
    actionProperties: [
      {
        name: 'TransitionsOK',
        check: (v, n, step) => {
          let bits = 0;
          for (const l of step.labels) bits |= componentBits[l];
          return StepTransitionsOK(v, n, bits);
        },
      },
    ],
    fairness: Fairness.map((f) => ({ name: f.name, actions: actionIds(next, ...f.actions) })),
    liveness: [eventuallyAsDesired],
    checkDeadlock: opts.checkDeadlock ?? true,
    formatState: (v) => formatVars(ctx, v),
  };
}

const setOf = (prefix: string, n: number) =>
  `{${Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`).join(', ')}}`;

export function describeConstants(K: Constants): string {
  return (
    `Node=${setOf('n', K.Node)} ServiceId=${setOf('s', K.ServiceId)} TaskId=${setOf('t', K.TaskId)} ` +
    `maxReplicas=${K.maxReplicas} maxTerminated=${K.maxTerminated} maxEvents=${K.maxEvents}`
  );
}

const CFG = 'design/tla/models/SwarmKit.cfg';

export const swarmkitTlaProfile: Profile = {
  name: 'swarmkit-tla',
  short: "SwarmKit's own TLA+ spec (design/tla), transcribed literally",
  summary:
    "SwarmKit's own TLA+ spec (moby/swarmkit design/tla/SwarmKit.tla + WorkerSpec.tla), transcribed literally; " +
    'checks TypeOK, Inv, TransitionsOK, EventuallyAsDesired and deadlock, like TLC on models/SwarmKit.cfg',
  flags: [
    {
      name: 'nodes',
      help: 'Node = {n1..nN}',
      default: REFERENCE_CONSTANTS.Node,
      defaultSource: CFG,
      min: 1,
      max: 14,
    },
    {
      name: 'services',
      help: 'ServiceId = {s1..sN}',
      default: REFERENCE_CONSTANTS.ServiceId,
      defaultSource: CFG,
      min: 1,
      max: 14,
    },
    {
      name: 'task-ids',
      help: 'TaskId = {t1..tN}',
      default: REFERENCE_CONSTANTS.TaskId,
      defaultSource: CFG,
      min: 1,
      max: 14,
    },
    {
      name: 'max-replicas',
      help: 'maxReplicas',
      default: REFERENCE_CONSTANTS.maxReplicas,
      defaultSource: CFG,
      min: 0,
      max: 14,
    },
    {
      name: 'max-terminated',
      help: 'maxTerminated',
      default: REFERENCE_CONSTANTS.maxTerminated,
      defaultSource: CFG,
      min: 0,
      max: 14,
    },
    {
      name: 'max-events',
      help: 'maxEvents override (-1 = unlimited, as in EventCounter.tla)',
      default: REFERENCE_CONSTANTS.maxEvents,
      defaultSource: "EventCounter.tla's maxEvents == -1, which the .cfg does not override",
      min: -1,
      max: 1000,
    },
  ],
  build(values) {
    const K: Constants = {
      Node: values.nodes,
      ServiceId: values.services,
      TaskId: values['task-ids'],
      maxReplicas: values['max-replicas'],
      maxTerminated: values['max-terminated'],
      maxEvents: values['max-events'],
    };
    return { model: swarmkitTlaModel(K), constants: describeConstants(K) };
  },
};
