/**
 * The task-level rules that gate observed-state transitions, one rule per function, each next to the
 * SwarmKit code it transcribes. Both the xstate task machine (machines/task.ts) and its hot-path table
 * (machines/tables.ts) call these, so a rule is written once; the tables and the machine still encode
 * the transition *structure* independently and are checked against each other by a property.
 *
 * Observed and desired states compare by SwarmKit's numeric values (model/taskState.ts).
 */
import { atMost, before, type DesiredState, type ObservedState } from '../model/taskState.ts';

/**
 * Agent rule 1: desired ≥ SHUTDOWN shuts down anything below COMPLETE, before any other rule is looked at.
 * moby/swarmkit:agent/exec/controller.go (Do)
 */
export const agentShutsDown = (desired: DesiredState): boolean => atMost('shutdown', desired);

/**
 * Agent rules 1, 2 and 4, for the "pause" states ASSIGNED/ACCEPTED/READY: Do only moves on while
 * observed < desired (and desired < SHUTDOWN, else rule 1 applies). So ACCEPTED→PREPARING needs
 * desired > ACCEPTED and READY→STARTING needs desired > READY: a replacement task with desired READY
 * is pulled and prepared, then parked at READY. moby/swarmkit:agent/exec/controller.go (Do)
 */
export const agentMayAdvance = (observed: ObservedState, desired: DesiredState): boolean =>
  !agentShutsDown(desired) && before(observed, desired);

/**
 * Agent rules 1, 2 and 3, for PREPARING/STARTING/RUNNING: these progress "past desired", but only when
 * observed ≤ desired (rule 2: observed > desired is a no-op) and desired < SHUTDOWN (rule 1).
 * moby/swarmkit:agent/exec/controller.go (Do)
 */
export const agentMayProgress = (observed: ObservedState, desired: DesiredState): boolean =>
  !agentShutsDown(desired) && atMost(observed, desired);

/**
 * The constraint enforcer only looks at tasks whose desired state lies in [ASSIGNED, COMPLETED], i.e.
 * READY, RUNNING or COMPLETED (it never touches tasks already told to stop), and observed < COMPLETE.
 * moby/swarmkit:manager/orchestrator/constraintenforcer/constraint_enforcer.go (rejectNoncompliantTasks)
 */
export const enforcerMayReject = (desired: DesiredState): boolean => atMost(desired, 'complete');

/**
 * "Will never run": observed < ASSIGNED with desired > RUNNING. The reaper deletes such tasks (desired
 * REMOVE immediately, others through history pruning); they never reached an agent, so no one else will
 * move them. moby/swarmkit:manager/orchestrator/taskreaper/task_reaper.go (taskWillNeverRun)
 */
export const willNeverRun = (desired: DesiredState): boolean => before('running', desired);

/**
 * The only manager-side SHUTDOWN: a task the scheduler cannot place, of an older spec version than the
 * service's, whose desired state is ≥ SHUTDOWN (an update or scale-down has already replaced it).
 * moby/swarmkit:manager/scheduler/scheduler.go (noSuitableNode)
 */
export const schedulerShutsDownObsolete = (obsoleteSpec: boolean, desired: DesiredState): boolean =>
  obsoleteSpec && atMost('shutdown', desired);

/**
 * Every writer of DesiredState checks it never lowers it (orchestrators, restart supervisor, updater).
 * moby/swarmkit:manager/orchestrator/service.go (SetServiceTasksRemove),
 * manager/orchestrator/restart/restart.go (StartNow), manager/orchestrator/global/global.go (shutdownTask)
 */
export const raisesDesired = (current: DesiredState, next: DesiredState): boolean => before(current, next);
