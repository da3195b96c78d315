/**
 * Table ↔ machine conformance: one adapter per machine says how to start both, how to read an xstate
 * snapshot in the table's terms, and which events (with payload variants) exist at a snapshot. `agree`
 * plays one event on both and reports any difference. Used by test/machines/conformance.test.ts and the
 * reachability tests; kept out of the test files so that other suites (bench/, properties/) can reuse it.
 */
import {
  type AnyMachineSnapshot,
  type AnyStateMachine,
  initialTransition,
  type StateValue,
  transition,
} from 'xstate';
import { DESIRED_STATES, type DesiredState } from '../model/taskState.ts';
import {
  AVAILABILITIES,
  type Availability,
  NODE_EVENTS,
  NODE_ROLE_STATES,
  NODE_STATUSES,
  type NodeEvent,
  type NodeRoleState,
  type NodeStatus,
  nodeMachine,
} from './node.ts';
import { RAFT_ROLES, type RaftEvent, raftEventsAt, raftMemberMachine, raftRoleOf } from './raftMember.ts';
import {
  type NodeSnap,
  type RaftSnap,
  stepNode,
  stepRaft,
  stepTask,
  stepUpdateStatus,
  type TaskSnap,
} from './tables.ts';
import {
  TASK_EVENTS,
  TASK_INITIAL_DESIRED,
  TASK_STATE_NAMES,
  type TaskEvent,
  type TaskStateName,
  taskCreated,
  taskMachine,
  taskStateOf,
} from './task.ts';
import {
  UPDATE_STATUS_EVENTS,
  UPDATE_STATUSES,
  type UpdateStatusEvent,
  type UpdateStatusName,
  updateStatusMachine,
} from './updateStatus.ts';

export interface Adapter<Snap, E extends { type: string }> {
  name: string;
  machine: AnyStateMachine;
  /** The machine's own initial snapshot, one per creation variant (e.g. the task's initial desired state). */
  initials: Array<() => AnyMachineSnapshot>;
  /** Any snapshot from table data (for random starting points), via `machine.resolveState`. */
  resolve(s: Snap): AnyMachineSnapshot;
  /** Every table-form snapshot worth starting from (small machines: all of them). */
  starts: Snap[];
  /** The table's view of an xstate snapshot. */
  project(x: AnyMachineSnapshot): Snap;
  /** Every event at this snapshot, with the payload variants its guards distinguish. */
  events(s: Snap): readonly E[];
  step(s: Snap, e: E): Snap | undefined;
  /** The atomic state(s) a snapshot is in (one per parallel region), for coverage witnesses. */
  atoms(s: Snap): string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export const taskAdapter: Adapter<TaskSnap, TaskEvent> = {
  name: 'task',
  machine: taskMachine,
  initials: [
    () => initialTransition(taskMachine)[0],
    ...TASK_INITIAL_DESIRED.map((d) => () => taskCreated(d)),
  ],
  resolve: (s) =>
    taskMachine.resolveState({ value: taskValue(s.state) as StateValue, context: { desired: s.desired } }),
  starts: TASK_STATE_NAMES.filter((s) => s !== 'deleted').flatMap((state) =>
    DESIRED_STATES.map((desired) => ({ state, desired })),
  ),
  project: (x) => ({
    state: taskStateOf(x.value),
    desired: (x.context as { desired: DesiredState }).desired,
  }),
  events: () => TASK_EVENTS,
  step: stepTask,
  atoms: (s) => [s.state],
};

/** The nested state value of an atomic task state (the inverse of taskStateOf). */
function taskValue(s: TaskStateName): unknown {
  const node = taskMachine.root.states;
  const search = (states: typeof node, key: string): unknown => {
    for (const [k, child] of Object.entries(states)) {
      if (k === key) return k;
      const inner = search(child.states, key);
      if (inner !== undefined) return { [k]: inner };
    }
    return undefined;
  };
  return search(node, s);
}

export const nodeAdapter: Adapter<NodeSnap, NodeEvent> = {
  name: 'node',
  machine: nodeMachine,
  initials: [() => initialTransition(nodeMachine)[0]],
  resolve: (s) => nodeMachine.resolveState({ value: { ...s }, context: {} }),
  starts: AVAILABILITIES.flatMap((availability: Availability) =>
    NODE_STATUSES.flatMap((status: NodeStatus) =>
      NODE_ROLE_STATES.map((role: NodeRoleState) => ({ availability, status, role })),
    ),
  ),
  project: (x) => {
    const v = x.value as NodeSnap;
    return { availability: v.availability, status: v.status, role: v.role };
  },
  events: () => NODE_EVENTS,
  step: stepNode,
  atoms: (s) => [s.availability, s.status, s.role],
};

export const raftAdapter: Adapter<RaftSnap, RaftEvent> = {
  name: 'raftMember',
  machine: raftMemberMachine,
  initials: [() => initialTransition(raftMemberMachine)[0]],
  resolve: (s) =>
    raftMemberMachine.resolveState({
      value: s.role === 'crashed' ? 'crashed' : { up: s.role },
      context: { term: s.term, inLease: s.inLease },
    }),
  // A leader is always in lease; every other role can be either.
  starts: RAFT_ROLES.flatMap((role) =>
    (role === 'leader' ? [true] : [false, true]).map((inLease) => ({ role, term: 2, inLease })),
  ),
  project: (x) => {
    const c = x.context as { term: number; inLease: boolean };
    return { role: raftRoleOf(x.value), term: c.term, inLease: c.inLease };
  },
  events: (s) => raftEventsAt(s.term),
  step: stepRaft,
  atoms: (s) => [s.role],
};

export const updateStatusAdapter: Adapter<UpdateStatusName, UpdateStatusEvent> = {
  name: 'updateStatus',
  machine: updateStatusMachine,
  initials: [() => initialTransition(updateStatusMachine)[0]],
  resolve: (s) => updateStatusMachine.resolveState({ value: s, context: {} }),
  starts: [...UPDATE_STATUSES],
  project: (x) => x.value as UpdateStatusName,
  events: () => UPDATE_STATUS_EVENTS,
  step: stepUpdateStatus,
  atoms: (s) => [s],
};

export const ADAPTERS = [taskAdapter, nodeAdapter, raftAdapter, updateStatusAdapter] as const;

/** A disagreement between a table and its machine on one event. */
export interface Disagreement {
  machine: string;
  from: unknown;
  event: unknown;
  table: unknown;
  xstate: unknown;
  /** What differs: whether the event is enabled, or where it leads. */
  what: 'enabled' | 'next';
}

/**
 * Plays `e` on both sides. Returns the next xstate snapshot (the table's next is its projection) or the
 * disagreement. Enabledness is compared too: the table answers undefined exactly when xstate's
 * `snapshot.can(e)` is false.
 */
export function agree<S, E extends { type: string }>(
  a: Adapter<S, E>,
  x: AnyMachineSnapshot,
  e: E,
): { next: AnyMachineSnapshot } | { disagreement: Disagreement } {
  const from = a.project(x);
  const tableNext = a.step(from, e);
  const can = x.can(e);
  const [x2] = transition(a.machine, x, e);
  const xs = a.project(x2);
  if ((tableNext !== undefined) !== can) {
    return {
      disagreement: {
        machine: a.name,
        from,
        event: e,
        table: tableNext ?? 'no transition',
        xstate: can ? xs : 'no transition',
        what: 'enabled',
      },
    };
  }
  const expected = tableNext ?? from;
  if (!same(expected, xs)) {
    return { disagreement: { machine: a.name, from, event: e, table: expected, xstate: xs, what: 'next' } };
  }
  return { next: x2 };
}
