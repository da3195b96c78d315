/**
 * machines/: per-entity lifecycles of Docker Swarm as xstate v5 machines (the specification and the
 * source of the diagrams), and the plain lookup tables the cluster model uses in its hot path.
 *
 * For the cluster model (model/), the API is:
 *
 * Hot-path tables (no xstate; ~500× faster than `transition()`), each checked against its machine by
 * test/machines/conformance.test.ts:
 * - `stepTask({ state, desired }, event)` → next `{ state, desired }` or undefined (the event does nothing).
 *   `taskTable[state][event.type]` is the raw row. States are the 13 observed states plus `deleted`.
 * - `stepNode({ availability, status, role }, event)`; rows `nodeAvailabilityTable`, `nodeStatusTable`,
 *   `nodeRoleTable` (one per region).
 * - `stepRaft({ role, term, inLease }, event)`; rows `raftTable`.
 * - `stepUpdateStatus(status, event)`; rows `updateStatusTable`.
 *
 * Task ownership (for the model's TransitionsOK check, design/tla/SwarmKit.tla `StepTransitionsOK`):
 * - `TASK_EVENT_ACTOR[event.type]`: the one component that performs each task event.
 * - `taskStepActors(from, to)`: the components that may move a task from `from` to `to` in one step.
 * - `mayPerform(actor, from, to)`: true for no change, or for a step the machine gives to `actor`.
 * - `TASK_STATE_OWNER`, `TASK_OWNERSHIP_EXCEPTIONS`: who owns each state, and who else may leave it, with
 *   the SwarmKit code that says so; `checkMonotonic`, `checkOwnership` run the meta-checks on a step list.
 * - `TLA_TASK_TRANSITIONS`, `CODE_NOT_IN_TLA`, `TLA_NOT_IN_CODE`: Tasks.tla's table and the pinned
 *   differences from SwarmKit's code.
 *
 * Rules (machines/taskRules.ts): `agentMayAdvance`, `agentMayProgress`, `agentShutsDown`,
 * `enforcerMayReject`, `willNeverRun`, `schedulerShutsDownObsolete`, `raisesDesired`: the agent gating
 * rules and manager-side conditions, one function each, with their SwarmKit source.
 *
 * Machines and their vocabularies: `taskMachine` (+ `TaskEvent`, `TaskActor`, `TASK_EVENTS`,
 * `taskCreated(desired)`, `taskStateOf(value)`), `nodeMachine`, `raftMemberMachine`, `updateStatusMachine`.
 * Each transition's `meta` is `{ actor, source }` (machines/meta.ts).
 *
 * Tooling: `describeMachine` / `atomicSteps` (machines/describe.ts) read a machine's definition;
 * `generateDiagrams` renders DOT, Mermaid and SVG (import machines/diagrams.ts directly: it loads the
 * 2 MB Graphviz wasm module, which the model should not pay for); `ADAPTERS` / `agree`
 * (machines/conformance.ts) compare a table with its machine on one event.
 */
export { ADAPTERS, type Adapter, agree, type Disagreement } from './conformance.ts';
export { atomicSteps, describeMachine, type MachineDescription, type TransitionInfo } from './describe.ts';
export type { GuardRef, TransitionMeta } from './meta.ts';
export {
  AVAILABILITIES,
  type Availability,
  NODE_EVENTS,
  NODE_ROLE_STATES,
  NODE_STATUSES,
  type NodeActor,
  type NodeEvent,
  type NodeRoleState,
  type NodeStatus,
  nodeMachine,
} from './node.ts';
export {
  CODE_NOT_IN_TLA,
  checkMonotonic,
  checkOwnership,
  machineTaskSteps,
  mayPerform,
  type OwnershipException,
  TASK_OWNERSHIP_EXCEPTIONS,
  TASK_STATE_OWNER,
  type TaskStep,
  TLA_NOT_IN_CODE,
  TLA_TASK_TRANSITIONS,
  tableTaskSteps,
  taskStepActors,
} from './ownership.ts';
export {
  RAFT_ROLES,
  type RaftActor,
  type RaftContext,
  type RaftEvent,
  type RaftRole,
  raftEventsAt,
  raftMemberMachine,
} from './raftMember.ts';
export {
  type NodeSnap,
  nodeAvailabilityTable,
  nodeRoleTable,
  nodeStatusTable,
  type RaftSnap,
  raftTable,
  stepNode,
  stepRaft,
  stepTask,
  stepUpdateStatus,
  TASK_EVENT_ACTOR,
  type TaskSnap,
  taskTable,
  updateStatusTable,
} from './tables.ts';
export {
  TASK_ACTORS,
  TASK_EVENTS,
  TASK_INITIAL_DESIRED,
  TASK_STATE_NAMES,
  type TaskActor,
  type TaskContext,
  type TaskEvent,
  type TaskEventType,
  type TaskStateName,
  taskCreated,
  taskMachine,
  taskStateOf,
} from './task.ts';
export {
  agentMayAdvance,
  agentMayProgress,
  agentShutsDown,
  enforcerMayReject,
  raisesDesired,
  schedulerShutsDownObsolete,
  willNeverRun,
} from './taskRules.ts';
export {
  type FailureAction,
  UPDATE_STATUS_EVENTS,
  UPDATE_STATUSES,
  type UpdateActor,
  type UpdateStatusEvent,
  type UpdateStatusName,
  updateStatusMachine,
} from './updateStatus.ts';
