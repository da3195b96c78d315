/**
 * The random-run harness (separate from properties/harness.ts, the main suite's) for the update, secret and port properties (properties/updates.test.ts):
 * a 3-node cluster with a replicated service using a secret, a config and an ingress port, and a
 * host-port service; runs mixing user updates, rollbacks and scales with every enabled component,
 * fault and clock action.
 */
import fc from 'fast-check';
import { defaultNode, defaultServiceSpec } from '../model/defaults.ts';
import { type Action, emptyState, enabled, type State, settle, step } from '../model/index.ts';
import type { ServiceSpec, UpdateConfig, UserCommand } from '../model/spec.ts';
import { type Prop, RunningBounds, UpdaterWithinParallelism } from './updateInvariants.ts';

export const RUNS = Number(process.env.UPDATES_RUNS ?? 40);

function must(s: State, command: UserCommand): State {
  const r = step(s, { actor: 'user', kind: 'command', command });
  if (!r.ok) throw new Error(`${command.kind}: ${r.error}`);
  return r.state;
}

const arbConfig: fc.Arbitrary<UpdateConfig> = fc.record({
  parallelism: fc.integer({ min: 0, max: 3 }),
  delayMs: fc.constantFrom(0, 5000),
  failureAction: fc.constantFrom('pause', 'continue', 'rollback'),
  monitorMs: fc.constantFrom(5000, 20000),
  maxFailureRatio: fc.constantFrom(0, 0.25, 0.5, 1),
  order: fc.constantFrom('stop-first', 'start-first'),
});

export interface Setup {
  replicas: number;
  update: UpdateConfig;
  rollback: UpdateConfig;
}
export const arbSetup: fc.Arbitrary<Setup> = fc.record({
  replicas: fc.integer({ min: 1, max: 4 }),
  update: arbConfig,
  rollback: arbConfig,
});

/** 3 nodes; a secret and a config; `web` (R replicas, secret, config, ingress 8080) and `edge` (host port 9090, 2 replicas). */
export function cluster(x: Setup): State {
  let s = emptyState();
  s = must(s, { kind: 'swarm.init', node: defaultNode('manager-1', 'manager') });
  for (const h of ['worker-1', 'worker-2'])
    s = must(s, { kind: 'swarm.join', node: defaultNode(h, 'worker') });
  s = must(s, { kind: 'secret.create', name: 'db', sizeBytes: 10, labels: {} });
  s = must(s, { kind: 'config.create', name: 'conf', sizeBytes: 10, labels: {} });
  const d = defaultServiceSpec('web', 'nginx:1');
  const web: ServiceSpec = {
    ...d,
    replicas: x.replicas,
    task: {
      ...d.task,
      secrets: [{ name: 'db', target: 'db' }],
      configs: [{ name: 'conf', target: '/conf' }],
    },
    endpoint: {
      mode: 'vip',
      ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 8080, mode: 'ingress' }],
    },
    update: x.update,
    rollback: x.rollback,
  };
  const e = defaultServiceSpec('edge', 'haproxy:1');
  const edge: ServiceSpec = {
    ...e,
    replicas: 2,
    endpoint: {
      mode: 'vip',
      ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 9090, mode: 'host' }],
    },
    update: { ...x.update, order: 'start-first' },
  };
  s = must(s, { kind: 'service.create', spec: web });
  s = must(s, { kind: 'service.create', spec: edge });
  return settle(s).state;
}

const COMMANDS: ((k: number) => UserCommand)[] = [
  (k) => ({ kind: 'service.update', service: 'web', update: { image: `nginx:${k}` } }),
  () => ({ kind: 'service.update', service: 'web', update: { force: true } }),
  () => ({ kind: 'service.rollback', service: 'web' }),
  (k) => ({ kind: 'service.scale', scales: [{ service: 'web', replicas: 1 + (k % 4) }] }),
  (k) => ({ kind: 'service.update', service: 'edge', update: { image: `haproxy:${k}` } }),
  () => ({ kind: 'secret.rm', name: 'db' }),
];

export type Visit = (prev: State, a: Action, next: State) => void;

/** A random run: each choice picks a user command (1 in 32, so updates get time to finish) or an enabled action. Refused commands are skipped. */
export function randomRun(x: Setup, choices: number[], visit: Visit, faults = true): void {
  let s = cluster(x);
  for (const c of choices) {
    let a: Action;
    if (c % 32 === 0) {
      a = { actor: 'user', kind: 'command', command: COMMANDS[(c >> 5) % COMMANDS.length](c) };
    } else {
      // Faults are offered on one choice in eight (a nemesis, not a storm); time passes on one in
      // four, or when no component has anything to do.
      const all = enabled(s);
      let acts: Action[] = all.filter((x) => x.actor !== 'fault' && x.actor !== 'clock');
      if (faults && c % 8 === 1) {
        acts = all.filter((x) => x.actor === 'fault');
        // Half of those are container failures: what update failure actions are about.
        const container = acts.filter((x) => x.kind === 'exit' || x.kind === 'reject');
        if ((c >> 3) % 4 !== 0 && container.length > 0) acts = container;
        // And most of those hit a task an updater is rolling out.
        const rolled = container.filter(
          (x) => 'task' in x && s.updaters.some((u) => u.updated.some((e) => e.task === x.task)),
        );
        if ((c >> 5) % 4 !== 0 && rolled.length > 0) acts = rolled;
      } else if (c % 4 === 2 || acts.length === 0) acts = all.filter((x) => x.actor === 'clock');
      if (acts.length === 0) acts = all.filter((x) => x.actor !== 'fault');
      // A quiet cluster with no timer: this choice passes; a later one may be a command or a fault.
      if (acts.length === 0) continue;
      a = acts[c % acts.length];
    }
    const r = step(s, a);
    if (!r.ok) {
      if (a.actor === 'user') continue;
      throw new Error(`enabled action refused: ${JSON.stringify(a)}: ${r.error}`);
    }
    visit(s, a, r.state);
    s = r.state;
  }
}

export const arbChoices = fc.noBias(fc.array(fc.nat({ max: 1 << 20 }), { minLength: 60, maxLength: 240 }));

export function checker(props: Prop[]): Visit {
  return (prev, a, next) => {
    for (const p of props) {
      const m = p.check(prev, a, next);
      if (m !== null) throw new Error(`${p.name}: ${m} (after ${a.actor} ${a.kind})`);
    }
  };
}

export function holds(props: Prop[], faults = true, runs = RUNS): void {
  fc.assert(
    fc.property(arbSetup, arbChoices, (x, ch) => randomRun(x, ch, checker(props), faults)),
    { numRuns: runs, seed: 42 },
  );
}

/** A fault-free run: one image update, every interleaving of the components (RunningBounds' premise). */
export function boundsRun(x: Setup, choices: number[]): void {
  let s = cluster(x);
  s = must(s, { kind: 'service.update', service: 'web', update: { image: 'nginx:2' } });
  const visit = checker([RunningBounds, UpdaterWithinParallelism]);
  for (const c of choices) {
    const acts = enabled(s).filter((a) => a.actor !== 'fault');
    const busy = acts.filter((a) => a.actor !== 'clock');
    const pick = busy.length > 0 ? busy : acts;
    if (pick.length === 0) break;
    const a = pick[c % pick.length];
    const r = step(s, a);
    if (!r.ok) throw new Error(r.error);
    visit(s, a, r.state);
    s = r.state;
  }
}
