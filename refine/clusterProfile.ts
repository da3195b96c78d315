/**
 * The `cluster` profile: the full cluster model (model/) explored exhaustively on a small
 * configuration (refine/cluster.ts), with every named invariant of model/invariants.ts on every
 * state and step, and the refinement check against SwarmKit's TLA+ spec on every step.
 *
 * Bounded environment: faults (crash, restart, partition, heal, container exit, rejection) and user
 * commands (scale, availability, service rm/create) together are at most --max-events per behaviour,
 * as the spec's EventCounter bounds its "events". Components and the clock are unbounded: the clock
 * only jumps to the next armed deadline (model/clock.ts).
 *
 * Not offered: symmetry reduction over nodes (nodes differ by role and by the order the scheduler
 * breaks ties in), and liveness (the full model's EventuallyAsDesired under component fairness is
 * not checked yet).
 */
import type { ActionProperty, Invariant, Model } from '../explore/model.ts';
import type { Profile } from '../explore/profile.ts';
import type { Action } from '../model/actions.ts';
import { enabled, type State, step } from '../model/index.ts';
import { stateInvariants, stepInvariants } from '../model/invariants.ts';
import type { UserCommand } from '../model/spec.ts';
import { Refinement, refinementConstants, type Verdict } from './check.ts';
import { type ClusterConfig, DEFAULT_CLUSTER, initialCluster, nodeIdsOf, userCommands } from './cluster.ts';
import { type ProductState, StateCodec } from './encode.ts';
import { advance, type History, ProjectionError, varsOf } from './projection.ts';

/** Action labels: one per (actor, kind) of model/actions.ts. */
export const ACTION_NAMES = [
  'user:command',
  'orchestrator:reconcile-service',
  'orchestrator:reconcile-node',
  'orchestrator:shutdown-task',
  'orchestrator:enforce',
  'restart:restart-task',
  'restart:start-task',
  'allocator:allocate',
  'scheduler:schedule',
  'agent:progress',
  'dispatcher:register',
  'dispatcher:heartbeat-expired',
  'dispatcher:orphan',
  'reaper:reap',
  'raft:elect',
  'fault:crash',
  'fault:restart',
  'fault:partition',
  'fault:heal',
  'fault:exit',
  'fault:reject',
  'clock:advance',
] as const;
const LABEL = new Map<string, number>(ACTION_NAMES.map((n, i) => [n, i]));

export interface ClusterModelOptions extends ClusterConfig {
  maxEvents: number;
  /** Check refinement against the TLA+ spec (default true). */
  refine?: boolean;
  /** Replace the transition relation (tests plant bugs with it). */
  step?: typeof step;
}

export interface ClusterModel extends Model<ProductState> {
  /** How often each verdict kind / divergence occurred so far (refinement). */
  verdicts: Map<string, number>;
  refinement: Refinement | null;
}

function isEvent(a: Action): boolean {
  return a.actor === 'fault' || a.actor === 'user';
}

export function clusterModel(opts: ClusterModelOptions): ClusterModel {
  const s0 = initialCluster(opts);
  const doRefine = opts.refine ?? true;
  const R = doRefine
    ? new Refinement(
        refinementConstants(opts.nodes, Math.min(14, 2 * opts.services), opts.maxReplicas),
        nodeIdsOf(s0),
      )
    : null;
  const commands: UserCommand[] = userCommands(opts);
  const stepFn = opts.step ?? step;
  const codec = new StateCodec();
  const verdicts = new Map<string, number>();
  const projectionErrors = new WeakMap<ProductState, string>();

  const product = (prev: ProductState, a: Action, s: State): ProductState => {
    const events = prev.events + (isEvent(a) ? 1 : 0);
    if (R === null || prev.h === null) return { s, events, h: null };
    try {
      return { s, events, h: advance(R.cfg, prev.h, s).history };
    } catch (e) {
      if (!(e instanceof ProjectionError)) throw e;
      const p = { s, events, h: prev.h };
      projectionErrors.set(p, e.message);
      return p;
    }
  };

  const invariants: Invariant<ProductState>[] = stateInvariants.map((inv) => ({
    name: inv.name,
    check: (ps) => inv.check(ps.s) ?? true,
  }));
  const asAction = (label: number): Action => {
    const [actor, kind] = ACTION_NAMES[label].split(':');
    return { actor, kind } as unknown as Action;
  };
  const actionProperties: ActionProperty<ProductState>[] = stepInvariants.map((inv) => ({
    name: inv.name,
    check: (ps, next, info) => {
      let verdict: string | null = null;
      for (const l of info.labels) {
        verdict = inv.check(ps.s, asAction(l), next.s);
        if (verdict === null) return true;
      }
      return verdict ?? true;
    },
  }));
  if (R !== null)
    actionProperties.push({
      name: 'RefinesSwarmKitTLA',
      check: (ps, next, info) => {
        const err = projectionErrors.get(next);
        if (err !== undefined) return `projection: ${err}`;
        const [actor, kind] = ACTION_NAMES[info.labels[0]].split(':');
        const pPrev = { vars: varsOf(R.cfg, ps.s, ps.h as History), history: ps.h as History };
        const v: Verdict = R.check(ps.s, pPrev, actor, kind, next.s).verdict;
        const key = v.kind === 'divergence' ? v.divergence.name : v.kind;
        verdicts.set(key, (verdicts.get(key) ?? 0) + 1);
        return v.kind === 'unexplained' ? v.detail : true;
      },
    });

  return {
    name: 'cluster',
    actionNames: ACTION_NAMES,
    verdicts,
    refinement: R,
    initialStates: () => [{ s: s0, events: 0, h: R ? R.initial(s0).history : null }],
    successors(ps, emit) {
      const s = ps.s;
      const budget = ps.events < opts.maxEvents;
      for (const a of enabled(s)) {
        if (a.actor === 'fault' && !budget) continue;
        const r = stepFn(s, a);
        if (!r.ok) throw new Error(`enabled action refused: ${JSON.stringify(a)}: ${r.error}`);
        emit(LABEL.get(`${a.actor}:${a.kind}`)!, product(ps, a, r.state));
      }
      if (!budget) return;
      for (const command of commands) {
        const a: Action = { actor: 'user', kind: 'command', command };
        const r = stepFn(s, a);
        if (r.ok && r.state !== s) emit(0, product(ps, a, r.state));
      }
    },
    maxWords: 4096,
    encode: (ps, out) => codec.encode(ps, out),
    decode: (w, start, len) => codec.decode(w, start, len),
    invariants,
    actionProperties,
    checkDeadlock: false,
    formatState: (ps) => formatCluster(ps),
  };
}

function formatCluster(ps: ProductState): string[] {
  const s = ps.s;
  const out = [`/\\ events = ${ps.events}   leader = ${s.raft.leader || '(none)'}`];
  out.push(
    `/\\ nodes = ${s.nodes.map((n) => `${n.hostname}(${n.status}/${n.availability}${n.up ? '' : ',crashed'}${n.group ? `,group ${n.group}` : ''})`).join(' ')}`,
  );
  out.push(
    `/\\ services = ${s.services.map((x) => `${x.spec.name}:${x.spec.mode === 'global' ? 'global' : x.spec.replicas}`).join(' ')}`,
  );
  for (const t of s.tasks) {
    const svc = s.services.find((x) => x.id === t.serviceId);
    const name = `${svc?.spec.name ?? t.serviceId}.${t.slot === 0 ? t.nodeId : t.slot}`;
    const node = s.nodes.find((n) => n.id === t.nodeId)?.hostname ?? t.nodeId;
    out.push(
      `/\\ task ${name} ${t.observed}/${t.desired}${node ? ` on ${node}` : ''}${t.delayed ? ' (delayed start)' : ''}`,
    );
  }
  return out;
}

export const clusterProfile: Profile = {
  name: 'cluster',
  short: 'the full cluster model on a small configuration, with refinement against swarmkit-tla',
  summary:
    'The full cluster model (model/) on a small configuration: every model invariant on every state and step, and ' +
    "refinement: every step, projected onto SwarmKit's TLA+ variables, is a spec step, a short sequence of them, a stutter, " +
    'or a named divergence (refine/divergences.ts)',
  flags: [
    {
      name: 'nodes',
      help: 'nodes node1..nodeN',
      default: DEFAULT_CLUSTER.nodes,
      defaultSource: 'refine/cluster.ts',
      min: 1,
      max: 6,
    },
    {
      name: 'managers',
      help: 'the first N nodes are managers',
      default: DEFAULT_CLUSTER.managers,
      defaultSource: 'refine/cluster.ts',
      min: 1,
      max: 6,
    },
    {
      name: 'services',
      help: 'services from the catalogue web (replicated), mon (global), api (replicated)',
      default: DEFAULT_CLUSTER.services,
      defaultSource: 'refine/cluster.ts',
      min: 0,
      max: 3,
    },
    {
      name: 'replicas',
      help: 'initial replicas of replicated services',
      default: DEFAULT_CLUSTER.replicas,
      defaultSource: 'refine/cluster.ts',
      min: 0,
      max: 14,
    },
    {
      name: 'max-replicas',
      help: 'largest replica count a scale command sets',
      default: DEFAULT_CLUSTER.maxReplicas,
      defaultSource: 'refine/cluster.ts',
      min: 0,
      max: 14,
    },
    {
      name: 'history-limit',
      help: 'TaskHistoryRetentionLimit',
      default: DEFAULT_CLUSTER.historyLimit,
      defaultSource: 'refine/cluster.ts',
      min: 0,
      max: 5,
    },
    {
      name: 'max-events',
      help: 'faults + user commands per behaviour',
      default: 1,
      defaultSource: 'refine/clusterProfile.ts',
      min: 0,
      max: 20,
    },
    {
      name: 'refine',
      help: 'check refinement against swarmkit-tla (1) or not (0)',
      default: 1,
      defaultSource: 'refine/clusterProfile.ts',
      min: 0,
      max: 1,
    },
  ],
  build(v) {
    const opts: ClusterModelOptions = {
      ...DEFAULT_CLUSTER,
      nodes: v.nodes,
      managers: Math.min(v.managers, v.nodes),
      services: v.services,
      replicas: v.replicas,
      maxReplicas: Math.max(v['max-replicas'], v.replicas),
      historyLimit: v['history-limit'],
      maxEvents: v['max-events'],
      refine: v.refine === 1,
    };
    return {
      model: clusterModel(opts),
      constants:
        `nodes=${opts.nodes} managers=${opts.managers} services=${opts.services} replicas=${opts.replicas} ` +
        `max-replicas=${opts.maxReplicas} history-limit=${opts.historyLimit} max-events=${opts.maxEvents} refine=${opts.refine ? 1 : 0}`,
    };
  },
};
