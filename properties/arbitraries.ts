/**
 * fast-check arbitraries for one random run: a cluster, its services, and a sequence of events.
 *
 * A run is a pure function of these values (properties/run.ts), so fast-check's seed and path pin it
 * and its shrinker can cut it down. Everything that refers to the cluster (a node, a service, a task,
 * the next component step) is an index resolved against the state when the event runs
 * (`pick % candidates.length`): an index stays meaningful when shrinking removes earlier events,
 * and shrinking an index towards 0 picks "the first candidate", which keeps traces readable.
 *
 * Faults follow Jepsen's nemesis vocabulary (jepsen/src/jepsen/nemesis/combined.clj): one, a minority,
 * a majority or all managers; partitions that isolate the leader or split the managers; plus Swarm's
 * own failures (a worker crashes, a container exits, an agent rejects a task). Their number per run
 * is bounded (as EventCounter.tla bounds SwarmKit's TLA+ model), the rest of the run being component
 * steps drawn from `enabled(state)` and docker commands.
 */
import fc from 'fast-check';
import type { Availability, RestartCondition } from '../model/spec.ts';

export const GIB = 1024 * 1024 * 1024;
export const CPU = 1_000_000_000;

// ---------------------------------------------------------------- cluster

export interface NodeDraft {
  /** Node labels (`docker node update --label-add`), from a small vocabulary so constraints match. */
  labels: Record<string, string>;
  nanoCpus: number;
  memoryBytes: number;
}

export interface ClusterDraft {
  /** 1–9 managers (manager-1 runs `docker swarm init`). */
  managers: NodeDraft[];
  /** 0–6 workers. */
  workers: NodeDraft[];
}

export const ZONES = ['a', 'b', 'c'] as const;
export const DISKS = ['ssd', 'hdd'] as const;

const nodeDraft: fc.Arbitrary<NodeDraft> = fc
  .record({
    zone: fc.option(fc.constantFrom(...ZONES), { nil: undefined, freq: 4 }),
    disk: fc.option(fc.constantFrom(...DISKS), { nil: undefined, freq: 3 }),
    cpus: fc.constantFrom(1, 2, 4),
    gib: fc.constantFrom(1, 2, 4),
  })
  .map(({ zone, disk, cpus, gib }) => {
    const labels: Record<string, string> = {};
    if (zone !== undefined) labels.zone = zone;
    if (disk !== undefined) labels.disk = disk;
    return { labels, nanoCpus: cpus * CPU, memoryBytes: gib * GIB };
  });

export function clusterArb(
  o: { maxManagers?: number; maxWorkers?: number } = {},
): fc.Arbitrary<ClusterDraft> {
  return fc.record({
    managers: fc.array(nodeDraft, { minLength: 1, maxLength: o.maxManagers ?? 9 }),
    workers: fc.array(nodeDraft, { minLength: 0, maxLength: o.maxWorkers ?? 6 }),
  });
}

// ---------------------------------------------------------------- services

export interface ServiceDraft {
  /** Index into SERVICE_NAMES; the run makes names unique by skipping taken ones. */
  name: number;
  mode: 'replicated' | 'global';
  replicas: number;
  constraints: string[];
  preferences: string[];
  maxReplicas: number;
  nanoCpus: number;
  memoryBytes: number;
  restart: { condition: RestartCondition; delayMs: number; maxAttempts: number; windowMs: number };
  update: { parallelism: number; delayMs: number; order: 'stop-first' | 'start-first' };
  /** A host-mode published port (exercises the scheduler's HostPort filter), or 0. */
  hostPort: number;
  /**
   * A routing-mesh port: 0 none, -1 "let the allocator pick" (`--publish target=80`, published from
   * 30000–32767), else that published port. 8080 also collides with the host-port choice, so the
   * control API's refusal of a port held in the other mode is exercised too.
   */
  ingressPort: number;
}

export const SERVICE_NAMES = ['web', 'api', 'db', 'cache', 'mon', 'log'] as const;

export const CONSTRAINTS = [
  'node.role==manager',
  'node.role==worker',
  'node.role!=manager',
  'node.labels.zone==a',
  'node.labels.zone!=c',
  'node.labels.disk==ssd',
  'node.labels.disk!=hdd',
  'node.hostname==worker-1',
  'node.hostname!=manager-1',
] as const;

export interface ServiceArbOptions {
  /**
   * Liveness runs restrict services to what must converge: restart condition any with unlimited
   * attempts, no reservations, no host ports; constraints and max-replicas stay (the liveness check
   * computes capacity from them).
   */
  convergent?: boolean;
  /**
   * Generate spec updates (image, --force, constraints, rollback). Liveness runs turn them off for
   * now: a spec change leaves dirty tasks for the rolling updater, which the model does not have yet
   * (model/orchestrator/replicated.ts), so a pending task of the old spec would never be replaced.
   */
  specUpdates?: boolean;
}

export function serviceArb(o: ServiceArbOptions = {}): fc.Arbitrary<ServiceDraft> {
  const c = o.convergent === true;
  return fc.record({
    name: fc.nat({ max: SERVICE_NAMES.length - 1 }),
    mode: fc.constantFrom('replicated', 'global'),
    replicas: fc.integer({ min: 0, max: 6 }),
    constraints: fc.array(fc.constantFrom(...CONSTRAINTS), { maxLength: 2 }),
    preferences: fc.array(fc.constantFrom('spread=node.labels.zone', 'spread=node.labels.disk'), {
      maxLength: 1,
    }),
    maxReplicas: fc.constantFrom(0, 0, 1, 2),
    nanoCpus: c ? fc.constant(0) : fc.constantFrom(0, 0, CPU / 2, CPU, 2 * CPU),
    memoryBytes: c ? fc.constant(0) : fc.constantFrom(0, 0, GIB / 2, GIB),
    restart: fc.record({
      condition: c
        ? fc.constant<RestartCondition>('any')
        : fc.constantFrom<RestartCondition>('any', 'on-failure', 'none'),
      delayMs: fc.constantFrom(0, 5000),
      maxAttempts: c ? fc.constant(0) : fc.constantFrom(0, 0, 1, 3),
      windowMs: fc.constantFrom(0, 60_000),
    }),
    update: fc.record({
      parallelism: fc.constantFrom(0, 1, 2),
      delayMs: fc.constantFrom(0, 5000),
      order: fc.constantFrom('stop-first', 'start-first'),
    }),
    hostPort: c ? fc.constant(0) : fc.constantFrom(0, 0, 0, 8080),
    // Ingress ports do not constrain placement (the mesh answers on every node), so liveness runs keep them.
    ingressPort: fc.constantFrom(0, 0, -1, 8080, 8081),
  });
}

// ---------------------------------------------------------------- events

/** A docker command, its targets as indexes (resolved by properties/run.ts). */
export type UserOp =
  | { op: 'availability'; node: number; availability: Availability }
  | { op: 'label-add'; node: number; key: 'zone' | 'disk'; value: string }
  | { op: 'label-rm'; node: number; key: 'zone' | 'disk' }
  | { op: 'scale'; service: number; replicas: number }
  | { op: 'update-image'; service: number; image: string }
  | { op: 'update-force'; service: number }
  | { op: 'constraint-add'; service: number; constraint: string }
  | { op: 'constraint-rm'; service: number }
  | { op: 'rollback'; service: number }
  | { op: 'rm'; service: number }
  | { op: 'create'; draft: ServiceDraft }
  | { op: 'promote'; node: number }
  | { op: 'demote'; node: number };

/** A nemesis operation (Jepsen style), resolved against the state into fault actions. */
export type FaultOp =
  | { op: 'crash-managers'; size: 'one' | 'minority' | 'majority' | 'all'; offset: number }
  | { op: 'crash-worker'; offset: number }
  | { op: 'restart'; offset: number; all: boolean }
  | { op: 'partition'; kind: 'isolate-leader' | 'split-managers' | 'random'; bits: number }
  | { op: 'heal' }
  | { op: 'exit'; task: number; code: 0 | 1 | 137 }
  | { op: 'reject'; task: number };

export type Event =
  /** One component step: `enabled(s)` without the fault actions, indexed by pick. */
  | { t: 'step'; pick: number }
  /** Run the components fairly until only the clock or faults could move (properties/fair.ts). */
  | { t: 'settle' }
  | { t: 'user'; cmd: UserOp }
  | { t: 'fault'; fault: FaultOp };

export function userOpArb(o: ServiceArbOptions = {}): fc.Arbitrary<UserOp> {
  const node = fc.nat({ max: 15 });
  const service = fc.nat({ max: 7 });
  const u = o.specUpdates === false ? 0 : 1;
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant('availability' as const),
        node,
        availability: fc.constantFrom<Availability>('drain', 'pause', 'active'),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('label-add' as const),
        node,
        key: fc.constantFrom('zone' as const, 'disk' as const),
        value: fc.constantFrom('a', 'b', 'ssd', 'hdd'),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('label-rm' as const),
        node,
        key: fc.constantFrom('zone' as const, 'disk' as const),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('scale' as const),
        service,
        replicas: fc.integer({ min: 0, max: 6 }),
      }),
    },
    {
      weight: u,
      arbitrary: fc.record({
        op: fc.constant('update-image' as const),
        service,
        image: fc.constantFrom('nginx:1.25', 'nginx:1.27'),
      }),
    },
    { weight: u, arbitrary: fc.record({ op: fc.constant('update-force' as const), service }) },
    {
      weight: u,
      arbitrary: fc.record({
        op: fc.constant('constraint-add' as const),
        service,
        constraint: fc.constantFrom(...CONSTRAINTS),
      }),
    },
    { weight: u, arbitrary: fc.record({ op: fc.constant('constraint-rm' as const), service }) },
    { weight: u, arbitrary: fc.record({ op: fc.constant('rollback' as const), service }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('rm' as const), service }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('create' as const), draft: serviceArb(o) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('promote' as const), node }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('demote' as const), node }) },
  );
}

export const faultOpArb: fc.Arbitrary<FaultOp> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('crash-managers' as const),
      size: fc.constantFrom('one' as const, 'minority' as const, 'majority' as const, 'all' as const),
      offset: fc.nat({ max: 8 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('crash-worker' as const), offset: fc.nat({ max: 5 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('restart' as const),
      offset: fc.nat({ max: 14 }),
      all: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('partition' as const),
      kind: fc.constantFrom('isolate-leader' as const, 'split-managers' as const, 'random' as const),
      bits: fc.nat({ max: 0x7fff }),
    }),
  },
  { weight: 2, arbitrary: fc.constant({ op: 'heal' as const }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('exit' as const),
      task: fc.nat({ max: 30 }),
      code: fc.constantFrom(0 as const, 1 as const, 137 as const),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('reject' as const), task: fc.nat({ max: 30 }) }) },
);

export interface EventArbOptions extends ServiceArbOptions {
  /** Longest prefix; lengths are spread over [0, maxEvents] so the mean is about half of it. */
  maxEvents: number;
}

export function eventsArb(o: EventArbOptions): fc.Arbitrary<Event[]> {
  const event: fc.Arbitrary<Event> = fc.oneof(
    { weight: 30, arbitrary: fc.record({ t: fc.constant('step' as const), pick: fc.nat({ max: 63 }) }) },
    { weight: 2, arbitrary: fc.constant({ t: 'settle' as const }) },
    { weight: 4, arbitrary: fc.record({ t: fc.constant('user' as const), cmd: userOpArb(o) }) },
    { weight: 3, arbitrary: fc.record({ t: fc.constant('fault' as const), fault: faultOpArb }) },
  );
  return fc.array(event, { maxLength: o.maxEvents, size: 'max' });
}

// ---------------------------------------------------------------- a whole run

export interface Plan {
  cluster: ClusterDraft;
  services: ServiceDraft[];
  events: Event[];
}

export interface PlanArbOptions extends EventArbOptions {
  maxManagers?: number;
  maxWorkers?: number;
}

export function planArb(o: PlanArbOptions): fc.Arbitrary<Plan> {
  return fc.record({
    cluster: clusterArb(o),
    services: fc.array(serviceArb(o), { minLength: 1, maxLength: 3 }),
    events: eventsArb(o),
  });
}
