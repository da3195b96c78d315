/**
 * Task states and their order, the one place this order is written down.
 *
 * SwarmKit compares task states numerically and only ever moves a task to a larger value
 * ("the state is a Lamport clock"): moby/swarmkit:api/types.proto (enum TaskState).
 * Names are SwarmKit's, lowercased, as `docker service ps` and the TLA+ spec (design/tla/Types.tla) spell them.
 */

/** The observed states (Task.Status.State), in SwarmKit's order. `remove` is never observed. */
export const OBSERVED_STATES = [
  'new',
  'pending',
  'assigned',
  'accepted',
  'preparing',
  'ready',
  'starting',
  'running',
  'complete',
  'shutdown',
  'failed',
  'rejected',
  'orphaned',
] as const;
export type ObservedState = (typeof OBSERVED_STATES)[number];

/** The desired states SwarmKit actually writes (semantics §1.2); `complete` is used by jobs only. */
export const DESIRED_STATES = ['ready', 'running', 'complete', 'shutdown', 'remove'] as const;
export type DesiredState = (typeof DESIRED_STATES)[number];

export type AnyTaskState = ObservedState | DesiredState;

/** SwarmKit's numeric values (api/types.proto), so that observed and desired states compare directly. */
export const STATE_VALUE: Record<AnyTaskState, number> = {
  new: 0,
  pending: 64,
  assigned: 192,
  accepted: 256,
  preparing: 320,
  ready: 384,
  starting: 448,
  running: 512,
  complete: 576,
  shutdown: 640,
  failed: 704,
  rejected: 768,
  remove: 800,
  orphaned: 832,
};

/**
 * STATE_VALUE as a switch: `rank` runs dozens of times per model step, and a keyed load on the table
 * with ever-changing string keys is V8's slow megamorphic path; a switch over internalized string
 * constants compiles to pointer compares. test/model/taskState.test.ts checks it against STATE_VALUE.
 */
export function rank(s: AnyTaskState): number {
  switch (s) {
    case 'new':
      return 0;
    case 'pending':
      return 64;
    case 'assigned':
      return 192;
    case 'accepted':
      return 256;
    case 'preparing':
      return 320;
    case 'ready':
      return 384;
    case 'starting':
      return 448;
    case 'running':
      return 512;
    case 'complete':
      return 576;
    case 'shutdown':
      return 640;
    case 'failed':
      return 704;
    case 'rejected':
      return 768;
    case 'remove':
      return 800;
    case 'orphaned':
      return 832;
  }
}
export const before = (a: AnyTaskState, b: AnyTaskState): boolean => STATE_VALUE[a] < STATE_VALUE[b];
export const atMost = (a: AnyTaskState, b: AnyTaskState): boolean => STATE_VALUE[a] <= STATE_VALUE[b];

/** Observed past RUNNING: the task's container will not run again (moby/swarmkit:manager/orchestrator/taskreaper (taskInTerminalState)). */
export const isTerminal = (s: ObservedState): boolean => STATE_VALUE[s] > STATE_VALUE.running;
