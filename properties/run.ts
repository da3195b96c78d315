/**
 * One random run: a pure function of a Plan (properties/arbitraries.ts) and a model (properties/modelApi.ts).
 *
 *   setup    docker swarm init / join for every node, docker service create for each service, settle
 *   prefix   the plan's events: component steps picked from enabled(state), docker commands, faults
 *   liveness (optional) heal every fault, then schedule the components fairly for at most K steps and
 *            check that the desired state is reached (properties/liveness.ts)
 *
 * Every invariant of properties/invariants.ts is checked after every step; the run stops at the first
 * violation. Every action taken is recorded, so a failing run is replayed exactly by stepping the
 * recorded actions (properties/replay.ts), independently of fast-check.
 */

import { DYNAMIC_PORT_START, defaultNode, defaultServiceSpec } from '../model/defaults.ts';
import { type Action, emptyState, type State } from '../model/index.ts';
import type { NodeDescription, PortConfig, ServiceSpec, UserCommand } from '../model/spec.ts';
import { rank } from '../model/taskState.ts';
import {
  type Event,
  type FaultOp,
  type NodeDraft,
  type Plan,
  SERVICE_NAMES,
  type ServiceDraft,
  type UserOp,
} from './arbitraries.ts';
import type { Coverage } from './coverage.ts';
import { ACTIVE_INVARIANTS, type ActiveInvariant, type CheckContext } from './invariants.ts';
import { checkDesiredState, type LivenessVerdict } from './liveness.ts';
import type { ModelApi } from './modelApi.ts';

export type Phase = 'setup' | 'prefix' | 'heal' | 'converge';

export interface TraceStep {
  phase: Phase;
  /** Index of the plan event that produced this step (-1 outside the prefix). */
  event: number;
  /** Set when the step is part of a fair-scheduling burst (`settle`). */
  settle: boolean;
  action: Action;
  ok: boolean;
  error?: string;
}

export interface Violation {
  property: string;
  message: string;
  /** Index in `steps` of the step after which it was detected (-1: before any step). */
  step: number;
}

export interface RunOptions {
  model: ModelApi;
  invariants?: ActiveInvariant[];
  /** Run the heal + fair-scheduling phase and check the desired state. */
  liveness?: { maxSteps: number };
  /** Nemesis operations beyond this many are ignored (bounded faults, as in EventCounter.tla). */
  maxFaults?: number;
  /** Keep every intermediate state (for rendering a counterexample). */
  keepStates?: boolean;
  coverage?: Coverage;
  /** Bound of one `settle` event. */
  settleSteps?: number;
}

export interface RunResult {
  steps: TraceStep[];
  /** states[i] is the state after steps[i]; only with keepStates. */
  states: State[];
  initial: State;
  final: State;
  violation: Violation | null;
  liveness: LivenessVerdict | null;
  /** Names of the interesting situations this run reached (witnesses, properties/witnesses.ts). */
  witnesses: Set<string>;
  /** Index of the first prefix step (everything before is setup). */
  setupEnd: number;
  /** Index of the first step after the prefix. */
  prefixEnd: number;
}

/** Component actors, in the fixed order the fair scheduler visits them. */
export const COMPONENT_ORDER = [
  'raft',
  'dispatcher',
  'orchestrator',
  'restart',
  'updater',
  'allocator',
  'scheduler',
  'agent',
  'reaper',
] as const;

const isComponent = (a: Action): boolean => a.actor !== 'fault' && a.actor !== 'clock' && a.actor !== 'user';

export const hostnameOf = (role: 'manager' | 'worker', i: number): string => `${role}-${i + 1}`;

function nodeDescription(role: 'manager' | 'worker', i: number, d: NodeDraft): NodeDescription {
  return {
    ...defaultNode(hostnameOf(role, i), role),
    labels: { ...d.labels },
    nanoCpus: d.nanoCpus,
    memoryBytes: d.memoryBytes,
  };
}

export function serviceSpec(name: string, d: ServiceDraft): ServiceSpec {
  const spec = defaultServiceSpec(name, 'nginx:1.25');
  spec.mode = d.mode;
  if (d.mode === 'global') delete spec.replicas;
  else spec.replicas = d.replicas;
  spec.task.placement = {
    constraints: [...d.constraints],
    preferences: d.mode === 'global' ? [] : [...d.preferences],
    maxReplicas: d.mode === 'global' ? 0 : d.maxReplicas,
  };
  spec.task.reservations = { nanoCpus: d.nanoCpus, memoryBytes: d.memoryBytes };
  spec.task.restart = { ...d.restart };
  spec.update = { ...spec.update, ...d.update };
  const ports: PortConfig[] = [];
  if (d.hostPort !== 0)
    ports.push({ protocol: 'tcp', targetPort: 80, publishedPort: d.hostPort, mode: 'host' });
  if (d.ingressPort !== 0)
    ports.push({
      protocol: 'tcp',
      targetPort: 81,
      publishedPort: Math.max(0, d.ingressPort),
      mode: 'ingress',
    });
  if (ports.length > 0) spec.endpoint.ports = ports;
  return spec;
}

/** The first free name at or after the draft's index, or undefined when all are taken. */
function freeName(s: State, d: ServiceDraft): string | undefined {
  for (let k = 0; k < SERVICE_NAMES.length; k++) {
    const name = SERVICE_NAMES[(d.name + k) % SERVICE_NAMES.length];
    if (!s.services.some((x) => x.spec.name === name)) return name;
  }
  return undefined;
}

export class Runner {
  readonly opts: RunOptions;
  readonly steps: TraceStep[] = [];
  readonly states: State[] = [];
  readonly witnesses = new Set<string>();
  readonly initial: State;
  s: State;
  violation: Violation | null = null;
  private enabledCache: { state: State; actions: Action[] } | null = null;
  private phase: Phase = 'setup';
  private event = -1;
  private inSettle = false;
  private readonly invariants: ActiveInvariant[];
  /** Round-robin pointers of the fair scheduler: next actor, and per actor the next action. */
  private turn = 0;
  private readonly perActor = new Map<string, number>();
  /** Replicated services that had a running task on a node when the user drained it. */
  private readonly drainedServices = new Set<string>();

  constructor(opts: RunOptions) {
    this.opts = opts;
    this.invariants = opts.invariants ?? ACTIVE_INVARIANTS;
    this.initial = emptyState();
    this.s = this.initial;
  }

  enabled(s: State = this.s): Action[] {
    if (this.enabledCache?.state === s) return this.enabledCache.actions;
    const actions = this.opts.model.enabled(s);
    this.enabledCache = { state: s, actions };
    return actions;
  }

  /** Takes one action through the model, records it, checks every invariant. Returns whether it applied. */
  apply(a: Action, mustApply: boolean): boolean {
    const prev = this.s;
    const r = this.opts.model.step(prev, a);
    const rec: TraceStep = {
      phase: this.phase,
      event: this.event,
      settle: this.inSettle,
      action: a,
      ok: r.ok,
    };
    if (!r.ok) rec.error = r.error;
    this.steps.push(rec);
    const next = r.ok ? r.state : prev;
    if (this.opts.keepStates) this.states.push(next);
    this.s = next;
    const at = this.steps.length - 1;
    if (a.actor === 'user') this.notePortWitness(a.command, r.ok ? '' : r.error);
    if (!r.ok) {
      this.opts.coverage?.refuse(a);
      if (mustApply)
        this.violation = {
          property: 'enabled-actions-apply',
          message: `enabled(state) listed "${a.actor} ${a.kind}" but step refused it: ${r.error}`,
          step: at,
        };
      return false;
    }
    this.opts.coverage?.observe(prev, a, next);
    const ctx: CheckContext = { enabledAfter: () => this.enabled(next) };
    for (const inv of this.invariants) {
      const msg = inv.check(prev, a, next, ctx);
      if (msg !== null) {
        this.violation = { property: inv.name, message: msg, step: at };
        break;
      }
    }
    return true;
  }

  get failed(): boolean {
    return this.violation !== null;
  }

  user(cmd: UserCommand): boolean {
    return this.apply({ actor: 'user', kind: 'command', command: cmd }, false);
  }

  /**
   * Fair scheduling: visit the component actors round-robin (COMPONENT_ORDER), and within one actor
   * its enabled actions round-robin, until no component action is enabled or `max` steps ran. This is
   * the model's weak fairness (SwarmKit.tla WF_vars): every continuously enabled component step is
   * eventually taken. Returns true when the components went quiet (only clock/faults remain).
   */
  settle(max: number): boolean {
    const was = this.inSettle;
    this.inSettle = true;
    try {
      for (let i = 0; i < max; i++) {
        const comp = this.enabled().filter(isComponent);
        if (comp.length === 0) return true;
        let pick: Action | undefined;
        for (let k = 0; k < COMPONENT_ORDER.length && pick === undefined; k++) {
          const actor = COMPONENT_ORDER[(this.turn + k) % COMPONENT_ORDER.length];
          const mine = comp.filter((a) => a.actor === actor);
          if (mine.length === 0) continue;
          const j = this.perActor.get(actor) ?? 0;
          pick = mine[j % mine.length];
          this.perActor.set(actor, j + 1);
          this.turn = (this.turn + k + 1) % COMPONENT_ORDER.length;
        }
        // An actor outside COMPONENT_ORDER (a newer component): take it rather than stall.
        if (pick === undefined) pick = comp[0];
        this.apply(pick, true);
        if (this.failed) return false;
      }
      return this.enabled().filter(isComponent).length === 0;
    } finally {
      this.inSettle = was;
    }
  }

  // ------------------------------------------------------------ setup

  setup(plan: Plan): void {
    this.phase = 'setup';
    const { managers, workers } = plan.cluster;
    this.user({ kind: 'swarm.init', node: nodeDescription('manager', 0, managers[0]) });
    for (let i = 1; i < managers.length && !this.failed; i++)
      this.user({ kind: 'swarm.join', node: nodeDescription('manager', i, managers[i]) });
    for (let i = 0; i < workers.length && !this.failed; i++)
      this.user({ kind: 'swarm.join', node: nodeDescription('worker', i, workers[i]) });
    for (const d of plan.services) {
      if (this.failed) return;
      const name = freeName(this.s, d);
      if (name !== undefined) this.user({ kind: 'service.create', spec: serviceSpec(name, d) });
    }
    if (!this.failed) this.settle(this.opts.settleSteps ?? 3000);
  }

  // ------------------------------------------------------------ prefix

  runEvents(events: Event[]): void {
    this.phase = 'prefix';
    let faults = 0;
    const maxFaults = this.opts.maxFaults ?? 6;
    for (let i = 0; i < events.length && !this.failed; i++) {
      this.event = i;
      const e = events[i];
      switch (e.t) {
        case 'step': {
          const acts = this.enabled().filter((a) => a.actor !== 'fault');
          if (acts.length > 0) this.apply(acts[e.pick % acts.length], true);
          break;
        }
        case 'settle':
          this.settle(this.opts.settleSteps ?? 500);
          break;
        case 'user': {
          const cmd = resolveUser(this.s, e.cmd);
          if (cmd) this.userWithWitness(cmd);
          break;
        }
        case 'fault':
          if (faults >= maxFaults) break;
          faults++;
          for (const a of resolveFault(this.s, e.fault)) {
            if (this.failed) break;
            this.apply(a, false);
          }
          this.noteFaultWitness(e.fault);
          break;
      }
    }
    this.event = -1;
  }

  private userWithWitness(cmd: UserCommand): void {
    const before = this.s;
    const ok = this.user(cmd);
    if (!ok && before.raft.leader === '' && before.initialized)
      this.witnesses.add('write-refused-without-leader');
    if (ok && cmd.kind === 'node.update' && cmd.availability === 'drain') {
      const n = before.nodes.find((x) => x.hostname === cmd.node);
      if (
        n &&
        n.availability !== 'drain' &&
        before.tasks.some((t) => t.nodeId === n.id && t.observed === 'running')
      )
        this.witnesses.add('drained-node-with-running-task');
      for (const t of before.tasks) {
        const svc = before.services.find((x) => x.id === t.serviceId);
        if (n && t.nodeId === n.id && t.observed === 'running' && svc?.spec.mode === 'replicated')
          this.drainedServices.add(svc.id);
      }
    }
  }

  /** The routing-mesh situations ingress-ports-unique is about: two services on the mesh, one port auto-assigned, a conflict refused. */
  private notePortWitness(cmd: UserCommand, error: string): void {
    if (cmd.kind !== 'service.create' && cmd.kind !== 'service.update') return;
    if (error.includes('is already in use by service')) this.witnesses.add('port-conflict-refused');
    if (error !== '') return;
    const mesh = this.s.services.filter((svc) =>
      svc.ports.some((p) => p.mode === 'ingress' && p.publishedPort !== 0),
    );
    const auto = mesh.some((svc) =>
      svc.ports.some((p) => p.mode === 'ingress' && p.publishedPort >= DYNAMIC_PORT_START),
    );
    if (mesh.length >= 2 && auto) this.witnesses.add('two-services-on-mesh-one-auto-port');
  }

  private noteFaultWitness(f: FaultOp): void {
    const s = this.s;
    const down = s.raft.voters.filter((id) => !s.nodes.find((n) => n.id === id)?.up).length;
    if (f.op === 'crash-managers' && down >= Math.floor(s.raft.voters.length / 2) + 1 && s.raft.leader === '')
      this.witnesses.add('majority-down-no-leader');
    if (f.op === 'partition' && s.raft.voters.length > 1) this.witnesses.add('managers-partitioned');
  }

  // ------------------------------------------------------------ liveness

  /**
   * Heal every fault (restart crashed machines, heal partitions: Jepsen's final generator), then let
   * the components and the clock run fairly: settle; if the desired state holds, done; else advance
   * the clock to the next deadline (restart delay, heartbeat expiry, ...) and settle again.
   */
  converge(maxSteps: number): LivenessVerdict {
    // Leader election first, before any heal: with at most ⌊(N−1)/2⌋ managers down and no partition,
    // the managers that are up must elect a leader (DESIGN.md §5).
    this.phase = 'heal';
    const s0 = this.s;
    const n = s0.raft.voters.length;
    const downVoters = s0.raft.voters.filter((id) => {
      const m = s0.nodes.find((x) => x.id === id);
      return m?.up !== true || m.left;
    }).length;
    const partitioned = new Set(s0.nodes.filter((x) => x.up && !x.left).map((x) => x.group)).size > 1;
    if (n > 0 && !partitioned && downVoters <= Math.floor((n - 1) / 2)) {
      this.settle(200);
      if (this.failed) return { verdict: 'violated', property: 'leader-elected', message: '' };
      if (this.s.raft.leader === '') {
        this.violation = {
          property: 'leader-elected',
          message: `${downVoters} of ${n} managers down (tolerance ⌊(N−1)/2⌋ = ${Math.floor((n - 1) / 2)}), no partition, yet no leader after fair scheduling`,
          step: this.steps.length - 1,
        };
        return { verdict: 'violated', property: 'leader-elected', message: this.violation.message };
      }
      if (downVoters > 0) this.witnesses.add('leader-with-minority-down');
    }
    for (const m of this.s.nodes)
      if (!m.up && !m.left) this.apply({ actor: 'fault', kind: 'restart', node: m.id }, false);
    if (new Set(this.s.nodes.map((x) => x.group)).size > 1)
      this.apply({ actor: 'fault', kind: 'heal' }, false);
    this.phase = 'converge';
    const start = this.steps.length;
    while (!this.failed) {
      const left = maxSteps - (this.steps.length - start);
      if (left <= 0)
        return {
          verdict: 'inconclusive',
          property: 'converges',
          message: `no quiescent desired state within ${maxSteps} steps`,
        };
      const quiet = this.settle(left);
      if (this.failed) break;
      if (quiet) {
        const d = checkDesiredState(this.s);
        if (d.ok) {
          for (const w of d.witnesses) this.witnesses.add(w);
          if (this.refilled()) this.witnesses.add('drain-refilled-elsewhere');
          return { verdict: 'converged', property: 'converges', message: '' };
        }
        const clock = this.enabled().filter((a) => a.actor === 'clock');
        if (clock.length === 0) {
          this.violation = { property: d.property, message: d.message, step: this.steps.length - 1 };
          return { verdict: 'violated', property: d.property, message: d.message };
        }
        let soonest = clock[0];
        for (const c of clock)
          if (c.kind === 'advance' && soonest.kind === 'advance' && c.to < soonest.to) soonest = c;
        this.apply(soonest, true);
      }
    }
    return {
      verdict: 'violated',
      property: this.violation?.property ?? '?',
      message: this.violation?.message ?? '',
    };
  }

  /** A service that lost a running task to a drain is back at its full replica count. */
  private refilled(): boolean {
    for (const id of this.drainedServices) {
      const svc = this.s.services.find((x) => x.id === id);
      if (svc?.spec.mode !== 'replicated' || (svc.spec.replicas ?? 1) === 0) continue;
      const running = new Set(
        this.s.tasks
          .filter((t) => t.serviceId === id && t.observed === 'running' && t.desired === 'running')
          .map((t) => t.slot),
      );
      if (running.size === svc.spec.replicas) return true;
    }
    return false;
  }

  result(livenessVerdict: LivenessVerdict | null, setupEnd: number, prefixEnd: number): RunResult {
    return {
      steps: this.steps,
      states: this.states,
      initial: this.initial,
      final: this.s,
      violation: this.violation,
      liveness: livenessVerdict,
      witnesses: this.witnesses,
      setupEnd,
      prefixEnd,
    };
  }
}

export function runPlan(plan: Plan, opts: RunOptions): RunResult {
  const r = new Runner(opts);
  r.setup(plan);
  const setupEnd = r.steps.length;
  if (!r.failed) r.runEvents(plan.events);
  const prefixEnd = r.steps.length;
  let live: LivenessVerdict | null = null;
  if (!r.failed && opts.liveness) live = r.converge(opts.liveness.maxSteps);
  return r.result(live, setupEnd, prefixEnd);
}

// ------------------------------------------------------------ resolving indexes against the state

function nodeRef(s: State, i: number): string | undefined {
  return s.nodes.length === 0 ? undefined : s.nodes[i % s.nodes.length].hostname;
}
function serviceRef(s: State, i: number): string | undefined {
  return s.services.length === 0 ? undefined : s.services[i % s.services.length].spec.name;
}

export function resolveUser(s: State, c: UserOp): UserCommand | undefined {
  switch (c.op) {
    case 'availability': {
      const node = nodeRef(s, c.node);
      return node === undefined ? undefined : { kind: 'node.update', node, availability: c.availability };
    }
    case 'label-add': {
      const node = nodeRef(s, c.node);
      return node === undefined ? undefined : { kind: 'node.update', node, labelAdd: { [c.key]: c.value } };
    }
    case 'label-rm': {
      const node = nodeRef(s, c.node);
      return node === undefined ? undefined : { kind: 'node.update', node, labelRm: [c.key] };
    }
    case 'promote':
    case 'demote': {
      const node = nodeRef(s, c.node);
      return node === undefined
        ? undefined
        : { kind: c.op === 'promote' ? 'node.promote' : 'node.demote', node };
    }
    case 'scale': {
      const service = serviceRef(s, c.service);
      return service === undefined
        ? undefined
        : { kind: 'service.scale', scales: [{ service, replicas: c.replicas }] };
    }
    case 'update-image': {
      const service = serviceRef(s, c.service);
      return service === undefined
        ? undefined
        : { kind: 'service.update', service, update: { image: c.image } };
    }
    case 'update-force': {
      const service = serviceRef(s, c.service);
      return service === undefined ? undefined : { kind: 'service.update', service, update: { force: true } };
    }
    case 'constraint-add': {
      const service = serviceRef(s, c.service);
      return service === undefined
        ? undefined
        : { kind: 'service.update', service, update: { constraintAdd: [c.constraint] } };
    }
    case 'constraint-rm': {
      const svc = s.services.length === 0 ? undefined : s.services[c.service % s.services.length];
      const first = svc?.spec.task.placement.constraints[0];
      return svc === undefined || first === undefined
        ? undefined
        : { kind: 'service.update', service: svc.spec.name, update: { constraintRm: [first] } };
    }
    case 'rollback': {
      const service = serviceRef(s, c.service);
      return service === undefined ? undefined : { kind: 'service.rollback', service };
    }
    case 'rm': {
      const service = serviceRef(s, c.service);
      return service === undefined ? undefined : { kind: 'service.rm', service };
    }
    case 'create': {
      const name = freeName(s, c.draft);
      return name === undefined ? undefined : { kind: 'service.create', spec: serviceSpec(name, c.draft) };
    }
  }
}

const alive = (s: State, id: string): boolean => {
  const n = s.nodes.find((x) => x.id === id);
  return n?.up === true && !n.left;
};

/** Rotate `xs` to start at `offset`. */
const rotate = <T>(xs: readonly T[], offset: number): T[] =>
  xs.length === 0 ? [] : [...xs.slice(offset % xs.length), ...xs.slice(0, offset % xs.length)];

export function resolveFault(s: State, f: FaultOp): Action[] {
  switch (f.op) {
    case 'crash-managers': {
      const voters = s.raft.voters;
      const n = voters.length;
      const k = { one: 1, minority: Math.floor((n - 1) / 2), majority: Math.floor(n / 2) + 1, all: n }[
        f.size
      ];
      return rotate(voters, f.offset)
        .slice(0, k)
        .filter((id) => alive(s, id))
        .map((node) => ({ actor: 'fault', kind: 'crash', node }));
    }
    case 'crash-worker': {
      const ws = s.nodes.filter((n) => n.role === 'worker' && n.up && !n.left);
      return ws.length === 0 ? [] : [{ actor: 'fault', kind: 'crash', node: ws[f.offset % ws.length].id }];
    }
    case 'restart': {
      const down = s.nodes.filter((n) => !n.up && !n.left);
      if (down.length === 0) return [];
      const chosen = f.all ? down : [down[f.offset % down.length]];
      return chosen.map((n) => ({ actor: 'fault', kind: 'restart', node: n.id }));
    }
    case 'heal':
      return [{ actor: 'fault', kind: 'heal' }];
    case 'partition': {
      const ids = s.nodes.map((n) => n.id);
      let a: string[];
      if (f.kind === 'isolate-leader') {
        const l = s.raft.leader !== '' ? s.raft.leader : s.raft.voters[0];
        a = l === undefined ? [] : [l];
      } else if (f.kind === 'split-managers') {
        const vs = rotate(s.raft.voters, f.bits);
        a = vs.slice(0, Math.floor((vs.length - 1) / 2) + (f.bits & 1));
        // Workers go with either side, by the next bits.
        ids.forEach((id, i) => {
          if (!s.raft.voters.includes(id) && (f.bits >> ((i % 14) + 1)) & 1) a.push(id);
        });
      } else a = ids.filter((_, i) => (f.bits >> (i % 15)) & 1);
      const b = ids.filter((id) => !a.includes(id));
      if (a.length === 0 || b.length === 0) return [];
      return [{ actor: 'fault', kind: 'partition', groups: [a, b] }];
    }
    case 'exit': {
      const ts = s.tasks.filter((t) => t.observed === 'running');
      return ts.length === 0
        ? []
        : [{ actor: 'fault', kind: 'exit', task: ts[f.task % ts.length].id, code: f.code }];
    }
    case 'reject': {
      const ts = s.tasks.filter(
        (t) => rank(t.observed) >= rank('assigned') && rank(t.observed) < rank('starting'),
      );
      return ts.length === 0 ? [] : [{ actor: 'fault', kind: 'reject', task: ts[f.task % ts.length].id }];
    }
  }
}
