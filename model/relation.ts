/**
 * The transition relation: `enabled(s)` lists every action possible now (user commands excluded:
 * they come from outside), `step(s, a)` applies one. Each action is handled by the file of the
 * SwarmKit component that owns it; this file only routes and applies the control-plane gate.
 *
 * An action is listed by `enabled` only if taking it changes something, so `settle` terminates and
 * random runs do not stutter.
 */
import { type Action, ActionList, type StepResult } from './actions.ts';
import { agentEnabled, agentStep } from './agent.ts';
import { allocatorEnabled, allocatorStep } from './allocator.ts';
import { clockEnabled, clockStep } from './clock.ts';
import { applyCommand } from './controlapi/index.ts';
import { NO_LEADER_ERROR, raftEnabled, raftStep } from './controlplane.ts';
import { dispatcherEnabled, dispatcherStep } from './dispatcher.ts';
import { faultStep, faultsEnabled } from './faults.ts';
import { orchestratorEnabled, orchestratorStep } from './orchestrator/index.ts';
import { restartEnabled, restartStep } from './orchestrator/restart.ts';
import { updaterEnabled, updaterStep } from './orchestrator/updater.ts';
import { schedulerEnabled, schedulerStep } from './scheduler/scheduler.ts';
import { syncAgentObjects } from './secrets.ts';
import type { State } from './state.ts';
import { reaperEnabled, reaperStep } from './taskReaper.ts';

export function enabled(s: State): Action[] {
  const out = new ActionList();
  listEnabled(s, out);
  return out.toArray();
}

/**
 * `enabled(s)` appended to `out` (for callers that reuse one list). Component actions come first,
 * then the environment's (faults, clock); returns the index in `out` where the latter begin.
 */
export function listEnabled(s: State, out: ActionList): number {
  if (!s.initialized) return out.length;
  raftEnabled(s, out);
  if (s.raft.leader !== '') {
    dispatcherEnabled(s, out);
    orchestratorEnabled(s, out);
    restartEnabled(s, out);
    updaterEnabled(s, out);
    allocatorEnabled(s, out);
    schedulerEnabled(s, out);
    agentEnabled(s, out);
    reaperEnabled(s, out);
  }
  const environment = out.length;
  faultsEnabled(s, out);
  clockEnabled(s, out);
  return environment;
}

/** Leader-only components refuse to act without a leader (moby/swarmkit:manager/manager.go (becomeLeader)). */
function leaderOnly(s: State): StepResult | null {
  return s.raft.leader === '' ? { ok: false, error: 'no leader: leader-only components are stopped' } : null;
}

export function step(s: State, a: Action): StepResult {
  const r = stepComponents(s, a);
  if (!r.ok) return r;
  // Assignment sets follow every task and session change (model/secrets.ts).
  const synced = syncAgentObjects(r.state);
  return synced === r.state ? r : { ...r, state: synced };
}

function stepComponents(s: State, a: Action): StepResult {
  switch (a.actor) {
    case 'user':
      // Before any swarm exists every manager call fails with errNoManager (moby/moby:daemon/cluster/
      // cluster.go); `swarm leave` answers for itself: errNoSwarm, "This node is not part of a swarm"
      // (daemon/cluster/swarm.go (Leave)), which swarmLeave returns for a node it does not know.
      if (a.command.kind !== 'swarm.init' && a.command.kind !== 'swarm.leave' && !s.initialized)
        return {
          ok: false,
          error:
            'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.',
        };
      // Every control API call is forwarded to the leader (moby/swarmkit:manager/manager.go (Run): the
      // Raft proxy), reads included. `swarm init` and `swarm leave` are the daemon's own local
      // operations (moby/moby:daemon/cluster/swarm.go (Init, Leave)) and need no leader.
      if (a.command.kind !== 'swarm.init' && a.command.kind !== 'swarm.leave' && s.raft.leader === '')
        return { ok: false, error: NO_LEADER_ERROR };
      return applyCommand(s, a.command);
    case 'raft':
      return wrap(raftStep(s, a));
    case 'fault':
      return wrap(faultStep(s, a));
    case 'clock':
      return wrap(clockStep(s, a));
    case 'dispatcher':
      return leaderOnly(s) ?? wrap(dispatcherStep(s, a));
    case 'orchestrator':
      return leaderOnly(s) ?? wrap(orchestratorStep(s, a));
    case 'restart':
      return leaderOnly(s) ?? wrap(restartStep(s, a));
    case 'updater':
      return leaderOnly(s) ?? wrap(updaterStep(s, a));
    case 'allocator':
      return leaderOnly(s) ?? wrap(allocatorStep(s, a));
    case 'scheduler':
      return leaderOnly(s) ?? wrap(schedulerStep(s, a));
    case 'agent':
      return wrap(agentStep(s, a));
    case 'reaper':
      return leaderOnly(s) ?? wrap(reaperStep(s, a));
  }
  // Only reachable from untyped callers (a hand-edited trace): refuse rather than return nothing.
  return { ok: false, error: `unknown actor ${JSON.stringify((a as { actor?: unknown }).actor)}` };
}

function wrap(r: State | string): StepResult {
  return typeof r === 'string' ? { ok: false, error: r } : { ok: true, state: r };
}
