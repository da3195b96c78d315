/**
 * `enabled(s)` and `step(s, a)` agree: a component action is accepted exactly when `enabled` lists it.
 * The forward half is what every random run relies on (an enabled action that is refused throws). This
 * checks the other half, which a replayed trace relies on: an action that is not enabled now — any
 * component action naming a task, node, service or update worker present in the state — is refused,
 * never applied. Each component's step guard must therefore say exactly what its
 * `enabled` says; a guard that lets through more than `enabled` lists is caught here.
 *
 * Not covered, by design: user commands (validated by the control API, not listed), faults and the clock
 * (the environment may partition any way and a `wait` may jump any distance; their refusals are tested
 * in test/model/componentRefusals.test.ts). The scheduler and the reaper may run a pass that `enabled`
 * omits because it would only clear their own "pending" flag; for them an accepted stale pass must change
 * nothing else.
 */
import { expect, test } from 'vitest';
import { type Action, enabled, type State, step } from '../../model/index.ts';
import { randomRun, rng, STANDARD_USER_COMMANDS, standardCluster } from '../../model/random.ts';
import type { UserCommand } from '../../model/spec.ts';
import { OBSERVED_STATES } from '../../model/taskState.ts';

const RUNS = Number(process.env.SWARM_AGREEMENT_RUNS ?? 40);
const STEPS = 150;
/** Check every EVERY-th state of a run. */
const EVERY = 3;
/** Passes that may run idle: accepted when not enabled only if they change nothing but this flag. */
const IDLE_PASS: Record<string, 'schedulerPending' | 'reaperPending'> = {
  scheduler: 'schedulerPending',
  reaper: 'reaperPending',
};

const update = (service: string, image: string, extra: Partial<Record<string, unknown>> = {}): UserCommand =>
  ({ kind: 'service.update', service, update: { image, ...extra } }) as UserCommand;
const COMMANDS: UserCommand[] = [
  ...STANDARD_USER_COMMANDS,
  update('web', 'nginx:2', {
    update: { parallelism: 1, delayMs: 5_000, monitorMs: 10_000, failureAction: 'pause' },
  }),
  update('web', 'nginx:3', {
    update: { parallelism: 2, order: 'start-first', failureAction: 'rollback', maxFailureRatio: 0.3 },
  }),
  update('api', 'api:2', { update: { parallelism: 1, failureAction: 'continue' } }),
  update('mon', 'agent:2', { update: { parallelism: 0, monitorMs: 5_000 } }),
  { kind: 'service.update', service: 'web', update: { rollbackRequest: true } } as UserCommand,
  { kind: 'service.update', service: 'api', update: { force: true } } as UserCommand,
  { kind: 'node.update', node: 'w1', availability: 'drain' },
  { kind: 'node.update', node: 'w1', availability: 'active' },
  { kind: 'node.update', node: 'w2', availability: 'pause' },
  { kind: 'node.update', node: 'w2', availability: 'active' },
];

/**
 * Free update workers are interchangeable: `enabled` lists the first free one only (a symmetry reduction),
 * while a trace may name any free worker. Such an action counts as enabled when `enabled` lists a slot
 * hand-out for the same service.
 */
const symmetric = (a: Action): string =>
  a.actor === 'updater' && a.kind === 'update-slot' ? `update-slot:${a.service}` : JSON.stringify(a);

/** Every component action that names something present in `s`: the candidates a trace could ask for. */
function candidates(s: State): Action[] {
  const out: Action[] = [
    { actor: 'allocator', kind: 'allocate' },
    { actor: 'scheduler', kind: 'schedule' },
    { actor: 'reaper', kind: 'reap' },
  ];
  for (const svc of s.services)
    out.push({ actor: 'orchestrator', kind: 'reconcile-service', service: svc.id });
  for (const n of s.nodes) {
    const node = n.id;
    out.push(
      { actor: 'orchestrator', kind: 'reconcile-node', node },
      { actor: 'orchestrator', kind: 'enforce', node },
      { actor: 'dispatcher', kind: 'register', node },
      { actor: 'dispatcher', kind: 'heartbeat-expired', node },
      { actor: 'dispatcher', kind: 'orphan', node },
      { actor: 'raft', kind: 'elect', node },
      { actor: 'raft', kind: 'join', node },
    );
  }
  for (const t of s.tasks) {
    const task = t.id;
    out.push(
      { actor: 'orchestrator', kind: 'shutdown-task', task },
      { actor: 'restart', kind: 'restart-task', task },
      { actor: 'restart', kind: 'start-task', task },
    );
    for (const to of OBSERVED_STATES) out.push({ actor: 'agent', kind: 'progress', task, to });
  }
  for (const u of s.updaters) {
    const service = u.serviceId;
    out.push(
      { actor: 'updater', kind: 'update-start', service },
      { actor: 'updater', kind: 'update-monitor', service },
      { actor: 'updater', kind: 'update-complete', service },
    );
    for (let worker = 0; worker <= u.workers.length; worker++)
      out.push(
        { actor: 'updater', kind: 'update-slot', service, worker },
        { actor: 'updater', kind: 'update-slot-done', service, worker },
      );
    for (const t of s.tasks)
      if (t.serviceId === service)
        out.push({ actor: 'updater', kind: 'update-failure', service, task: t.id });
  }
  return out;
}

test('a component action is accepted exactly when enabled() lists it, and then changes the state', () => {
  const base = standardCluster();
  let checked = 0;
  let listed = 0;
  const refusedBy = new Map<string, number>();
  for (let i = 0; i < RUNS; i++) {
    let k = 0;
    const check = (s: State) => {
      if (k++ % EVERY !== 0) return;
      const now = new Set<string>();
      for (const a of enabled(s)) {
        now.add(symmetric(a));
        // And what is listed is accepted and changes the state (so `settle` ends and runs never stutter).
        const r = step(s, a);
        if (!r.ok) expect.fail(`seed ${i}, step ${k - 1}: enabled ${JSON.stringify(a)} refused: ${r.error}`);
        if (r.state === s)
          expect.fail(`seed ${i}, step ${k - 1}: enabled ${JSON.stringify(a)} changes nothing`);
        listed++;
      }
      for (const a of candidates(s)) {
        if (now.has(symmetric(a))) continue;
        const key = JSON.stringify(a);
        const r = step(s, a);
        const flag = IDLE_PASS[a.actor];
        if (r.ok && flag !== undefined) {
          expect(JSON.stringify(r.state), `seed ${i}: idle ${key} changed more than its flag`).toBe(
            JSON.stringify({ ...s, [flag]: false }),
          );
          continue;
        }
        if (r.ok) expect.fail(`seed ${i}, step ${k - 1}: ${key} is not enabled, yet step accepted it`);
        checked++;
        refusedBy.set(a.actor, (refusedBy.get(a.actor) ?? 0) + 1);
      }
    };
    randomRun(base, STEPS, rng(5000 + i), (_prev, _a, next) => check(next), 0.15, COMMANDS);
  }
  // Not vacuous: many stale actions of every leader-side component were tried.
  expect(checked).toBeGreaterThan(10_000);
  expect(listed).toBeGreaterThan(1_000);
  for (const actor of [
    'orchestrator',
    'restart',
    'updater',
    'allocator',
    'scheduler',
    'agent',
    'dispatcher',
    'raft',
  ])
    expect(refusedBy.get(actor) ?? 0, actor).toBeGreaterThan(20);
});
