/**
 * Copies of SwarmKit.tla actions with a planted bug, to show the checks catch them.
 */
import { CountEvent } from '../../tla/EventCounter.ts';
import { Next, type TlaAction } from '../../tla/SwarmKit.ts';
import { type Ctx, mkVars, type Vars } from '../../tla/state.ts';
import { UpdateTask1 } from '../../tla/Tasks.ts';
import {
  ACCEPTED,
  ASSIGNED,
  desired,
  NO_SERVICE,
  node,
  PREPARING,
  preceq,
  READY,
  RUNNING,
  removeOf,
  STARTING,
  State,
  withState,
} from '../../tla/Types.ts';
import { type Emit, IsUp } from '../../tla/WorkerSpec.ts';

/** UpdateService without `(services[sid].replicas = global) <=> (newSpec.replicas = global)`. */
function UpdateServiceNoModeGuard(v: Vars, K: Ctx, emit: Emit): void {
  const nEvents = CountEvent(v.nEvents, K.maxEvents);
  if (nEvents === undefined) return;
  for (const sid of K.ServiceIdSet) {
    const old = v.services[sid];
    if (old === NO_SERVICE) continue;
    for (const newSpec of K.ServiceSpecSet) {
      if (removeOf(old) !== false) continue;
      if (removeOf(newSpec) !== false) continue;
      // BUG: the mode-change guard is gone.
      const services = v.services.slice();
      services[sid] = newSpec;
      emit(mkVars(v.tasks, services, v.nodes, nEvents));
    }
  }
}

/** ProgressTask whose agent jumps from `assigned` straight to `preparing`, skipping `accepted`. */
function ProgressTaskSkipsAccepted(v: Vars, _K: Ctx, emit: Emit): void {
  const progress = new Map([
    [ASSIGNED, PREPARING], // BUG: should be accepted
    [ACCEPTED, PREPARING],
    [PREPARING, READY],
    [READY, STARTING],
    [STARTING, RUNNING],
  ]);
  for (const t of v.tasks) {
    const s2 = progress.get(State(t));
    if (s2 === undefined || !preceq(s2, desired(t)) || !IsUp(v, node(t))) continue;
    emit(mkVars(UpdateTask1(v.tasks, t, withState(t, s2)), v.services, v.nodes, v.nEvents));
  }
}

function replace(name: string, fn: TlaAction['fn']): TlaAction[] {
  if (!Next.some((a) => a.name === name)) throw new Error(`no action ${name}`);
  return Next.map((a) => (a.name === name ? { ...a, fn } : a));
}

export const nextWithoutModeGuard = (): TlaAction[] => replace('UpdateService', UpdateServiceNoModeGuard);
export const nextAgentSkipsAccepted = (): TlaAction[] => replace('ProgressTask', ProgressTaskSkipsAccepted);
