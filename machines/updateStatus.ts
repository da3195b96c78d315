/**
 * A service's UpdateStatus (api/types.proto (UpdateStatus)): absent (nil) or one of updating, paused,
 * completed, rollback_started, rollback_paused, rollback_completed. UNKNOWN (0) is never written.
 *
 * Writers:
 * - the control API on a user update: any non-rollback UpdateService resets it to nil (this is how a
 *   paused update is resumed, even by `docker service scale`); a rollback request (`docker service
 *   rollback` / `update --rollback`) sets ROLLBACK_STARTED from any state, if a previous spec exists.
 *   moby/swarmkit:manager/controlapi/service.go (UpdateService)
 * - the updater (leader only): startUpdate, completeUpdate, pauseUpdate, rollbackUpdate.
 *   moby/swarmkit:manager/orchestrator/update/updater.go
 *
 * [code-read] The updater's writes look only at whether the status is nil or ROLLBACK_STARTED, not at the
 * rest: an updater that runs while the status is COMPLETED or ROLLBACK_COMPLETED (it finds dirty slots,
 * but startUpdate only writes UPDATING over nil) ends in completeUpdate → COMPLETED, or in a failure
 * action → PAUSED / ROLLBACK_STARTED. Those edges are rare (dirty slots without a user update, e.g. a
 * start-first slot left with two runnable tasks) but they are in the code, so they are here.
 * Run does nothing at all while PAUSED or ROLLBACK_PAUSED: only a user update or rollback leaves them.
 * One exception, also [code-read]: "never roll back a rollback" (Run's failureTriggersAction while the
 * status it started with is ROLLBACK_STARTED) pauses WITHOUT setting `stopped`, so that same updater
 * keeps monitoring: a further counted failure calls pauseUpdate again, which writes PAUSED over
 * ROLLBACK_PAUSED, and at the end completeUpdate writes COMPLETED over either. Those edges carry the
 * guard `rollbackRunGoesOn` (the event says the updater's run began in ROLLBACK_STARTED).
 */
import { setup } from 'xstate';
import type { GuardRef, TransitionMeta } from './meta.ts';

export type UpdateActor = 'user' | 'updater';
export const UPDATE_ACTORS: readonly UpdateActor[] = ['user', 'updater'];

export const UPDATE_STATUSES = [
  'absent',
  'updating',
  'paused',
  'completed',
  'rollback_started',
  'rollback_paused',
  'rollback_completed',
] as const;
export type UpdateStatusName = (typeof UPDATE_STATUSES)[number];

export type FailureAction = 'pause' | 'rollback' | 'continue';

export type UpdateStatusEvent =
  /** `docker service update|scale` (UpdateService without rollback): status = nil. */
  | { type: 'USER_UPDATE' }
  /** `docker service rollback`: needs a previous spec ("does not have a previous spec"), else refused. */
  | { type: 'USER_ROLLBACK'; hasPreviousSpec: boolean }
  /** Updater.Run found dirty slots while the status is nil: startUpdate. */
  | { type: 'DIRTY_SLOTS_FOUND' }
  /** Updater.Run found no dirty slot: completeUpdate if UPDATING or ROLLBACK_STARTED. */
  | { type: 'NO_DIRTY_SLOTS' }
  /**
   * Every dirty slot was handed out and done, and one monitor period passed with no failure action (or
   * a failure paused a rollback without stopping it): completeUpdate. `rollbackRun`: the updater's run
   * began with status ROLLBACK_STARTED.
   */
  | { type: 'MONITOR_ELAPSED'; rollbackRun?: boolean }
  /**
   * Failures of tasks this updater created exceeded MaxFailureRatio; `action` is the update (or, while
   * rolling back, the rollback) config's FailureAction. `hasPreviousSpec`: rollbackUpdate's transaction
   * fails without one and leaves the status alone.
   */
  | { type: 'FAILURE_THRESHOLD'; action: FailureAction; hasPreviousSpec: boolean; rollbackRun?: boolean };

export type UpdateStatusEventType = UpdateStatusEvent['type'];

type Meta = TransitionMeta<UpdateActor>;
type T = { target?: string; guard?: any; meta: Meta };

const UPDATER = 'moby/swarmkit:manager/orchestrator/update/updater.go';

const to = (target: string, actor: UpdateActor, source: string, guard?: GuardRef | string): T =>
  guard === undefined ? { target, meta: { actor, source } } : { target, guard, meta: { actor, source } };

/** The failure actions of an updater whose status is not ROLLBACK_STARTED (pauseUpdate's else branch, rollbackUpdate). */
const failureActionsOutsideRollback = [
  to('paused', 'updater', `${UPDATER} (pauseUpdate)`, { type: 'failureAction', params: { action: 'pause' } }),
  to('rollback_started', 'updater', `${UPDATER} (rollbackUpdate)`, 'rollbackWithPreviousSpec'),
];

export const updateStatusMachine = setup({
  types: {
    context: {} as Record<string, never>,
    events: {} as UpdateStatusEvent,
    transitionMeta: {} as Meta,
  },
  guards: {
    hasPreviousSpec: ({ event }) => event.type === 'USER_ROLLBACK' && event.hasPreviousSpec,
    failureAction: ({ event }, params: { action: FailureAction }) =>
      event.type === 'FAILURE_THRESHOLD' && event.action === params.action,
    rollbackWithPreviousSpec: ({ event }) =>
      event.type === 'FAILURE_THRESHOLD' && event.action === 'rollback' && event.hasPreviousSpec,
    // "Never roll back a rollback": while ROLLBACK_STARTED, both pause and rollback pause it.
    pauseOrRollback: ({ event }) => event.type === 'FAILURE_THRESHOLD' && event.action !== 'continue',
    // An updater whose run began in ROLLBACK_STARTED and paused without stopping goes on writing.
    rollbackRunGoesOn: ({ event }) =>
      (event.type === 'MONITOR_ELAPSED' && event.rollbackRun === true) ||
      (event.type === 'FAILURE_THRESHOLD' && event.rollbackRun === true && event.action !== 'continue'),
  },
}).createMachine({
  id: 'updateStatus',
  initial: 'absent',
  context: {},
  on: {
    USER_UPDATE: to(
      '.absent',
      'user',
      'moby/swarmkit:manager/controlapi/service.go (UpdateService: UpdateStatus = nil)',
    ),
    USER_ROLLBACK: to(
      '.rollback_started',
      'user',
      'moby/swarmkit:manager/controlapi/service.go (UpdateService: Rollback == PREVIOUS)',
      'hasPreviousSpec',
    ),
  },
  states: {
    absent: {
      on: { DIRTY_SLOTS_FOUND: to('updating', 'updater', `${UPDATER} (Run, startUpdate)`) },
    },
    updating: {
      on: {
        NO_DIRTY_SLOTS: to('completed', 'updater', `${UPDATER} (Run, completeUpdate)`),
        MONITOR_ELAPSED: to('completed', 'updater', `${UPDATER} (Run, completeUpdate)`),
        FAILURE_THRESHOLD: failureActionsOutsideRollback,
      },
    },
    paused: {
      on: {
        MONITOR_ELAPSED: to(
          'completed',
          'updater',
          `${UPDATER} (Run: not stopped, completeUpdate)`,
          'rollbackRunGoesOn',
        ),
      },
    },
    completed: {
      on: { FAILURE_THRESHOLD: failureActionsOutsideRollback },
    },
    rollback_started: {
      on: {
        NO_DIRTY_SLOTS: to('rollback_completed', 'updater', `${UPDATER} (Run, completeUpdate)`),
        MONITOR_ELAPSED: to('rollback_completed', 'updater', `${UPDATER} (Run, completeUpdate)`),
        FAILURE_THRESHOLD: to(
          'rollback_paused',
          'updater',
          `${UPDATER} (Run: failureTriggersAction, pauseUpdate)`,
          'pauseOrRollback',
        ),
      },
    },
    rollback_paused: {
      on: {
        MONITOR_ELAPSED: to(
          'completed',
          'updater',
          `${UPDATER} (Run: not stopped, completeUpdate)`,
          'rollbackRunGoesOn',
        ),
        FAILURE_THRESHOLD: to(
          'paused',
          'updater',
          `${UPDATER} (failureTriggersAction, pauseUpdate)`,
          'rollbackRunGoesOn',
        ),
      },
    },
    rollback_completed: {
      on: {
        MONITOR_ELAPSED: to('completed', 'updater', `${UPDATER} (Run, completeUpdate)`),
        FAILURE_THRESHOLD: failureActionsOutsideRollback,
      },
    },
  },
});

export function updateStatusGuardLabel(g: GuardRef): string {
  switch (g.type) {
    case 'hasPreviousSpec':
      return 'previous spec exists';
    case 'failureAction':
      return `action = ${(g.params as { action: string }).action}`;
    case 'rollbackWithPreviousSpec':
      return 'action = rollback, previous spec exists';
    case 'pauseOrRollback':
      return 'action = pause or rollback';
    case 'rollbackRunGoesOn':
      return 'run began rolling back';
    default:
      throw new Error(`update status machine: no label for guard '${g.type}'`);
  }
}

/** Every event, with the payload variants that matter to the guards. */
export const UPDATE_STATUS_EVENTS: readonly UpdateStatusEvent[] = [
  { type: 'USER_UPDATE' },
  { type: 'USER_ROLLBACK', hasPreviousSpec: true },
  { type: 'USER_ROLLBACK', hasPreviousSpec: false },
  { type: 'DIRTY_SLOTS_FOUND' },
  { type: 'NO_DIRTY_SLOTS' },
  { type: 'MONITOR_ELAPSED' },
  { type: 'MONITOR_ELAPSED', rollbackRun: true },
  ...(['pause', 'rollback', 'continue'] as const).flatMap((action) =>
    [true, false].flatMap((hasPreviousSpec) => [
      { type: 'FAILURE_THRESHOLD', action, hasPreviousSpec } as const,
      { type: 'FAILURE_THRESHOLD', action, hasPreviousSpec, rollbackRun: true } as const,
    ]),
  ),
];
