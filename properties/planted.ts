/**
 * Planted bugs: deliberately wrong variants of the model, built by wrapping the real `enabled`/`step`
 * (never by editing model/). The suite must catch each one with a short, readable counterexample
 * (properties/planted.test.ts): that is the evidence the properties are not vacuous. Select one for
 * a whole suite run with SWARM_PLANT=NAME.
 */
import { type Action, enabled, type State, step } from '../model/index.ts';
import type { ModelApi } from './modelApi.ts';
import { realModel } from './modelApi.ts';

/** Drain forgets global tasks: the orchestrator leaves global tasks on a drained node desired RUNNING. */
const drainForgetsGlobal: ModelApi = {
  name: 'drain-forgets-global',
  enabled,
  step(s, a) {
    const r = step(s, a);
    if (!r.ok || a.actor !== 'orchestrator') return r;
    const globals = new Set(s.services.filter((x) => x.spec.mode === 'global').map((x) => x.id));
    const drained = new Set(r.state.nodes.filter((n) => n.availability === 'drain').map((n) => n.id));
    const before = new Map(s.tasks.map((t) => [t.id, t]));
    let changed = false;
    const tasks = r.state.tasks.map((t) => {
      const p = before.get(t.id);
      if (p && p.desired !== t.desired && globals.has(t.serviceId) && drained.has(t.nodeId)) {
        changed = true;
        return { ...t, desired: p.desired };
      }
      return t;
    });
    return changed ? { ok: true, state: { ...r.state, tasks } } : r;
  },
};

/** Quorum counted as ⌈N/2⌉ instead of ⌊N/2⌋+1: with an even number of managers, half of them elect a leader. */
function ceilCandidates(s: State): string[] {
  if (s.raft.leader !== '' || s.raft.voters.length === 0) return [];
  const need = Math.ceil(s.raft.voters.length / 2);
  const alive = s.raft.voters
    .map((id) => s.nodes.find((n) => n.id === id))
    .filter((n) => n?.up === true && !n.left);
  return alive.filter((n) => alive.filter((m) => m!.group === n!.group).length >= need).map((n) => n!.id);
}
const quorumCeil: ModelApi = {
  name: 'quorum-ceil',
  enabled(s) {
    const out = enabled(s);
    const listed = new Set(
      out.filter((a) => a.actor === 'raft').map((a) => (a.kind === 'elect' ? a.node : '')),
    );
    for (const id of ceilCandidates(s))
      if (!listed.has(id)) out.push({ actor: 'raft', kind: 'elect', node: id });
    return out;
  },
  step(s, a) {
    const r = step(s, a);
    if (r.ok || a.actor !== 'raft' || !ceilCandidates(s).includes(a.node)) return r;
    return { ok: true, state: { ...s, raft: { ...s.raft, leader: a.node, term: s.raft.term + 1 } } };
  },
};

/** The restart supervisor never acts: a failed task is shut down but never replaced. */
const noRestart: ModelApi = {
  name: 'no-restart',
  enabled: (s) => enabled(s).filter((a: Action) => a.actor !== 'restart'),
  step,
};

/**
 * The port allocator forgets which dynamic ports are taken: every auto-assigned ingress port becomes
 * 30000, the start of the range, whoever already holds it (portallocator.go keeps a bitmap of them).
 */
const ingressPortReused: ModelApi = {
  name: 'ingress-port-reused',
  enabled,
  step(s, a) {
    const r = step(s, a);
    if (!r.ok || a.actor !== 'user') return r;
    const services = r.state.services.map((svc) => {
      const before = s.services.find((x) => x.id === svc.id);
      if (before !== undefined && before.ports === svc.ports) return svc;
      const ports = svc.ports.map((p, i) =>
        p.mode === 'ingress' && svc.spec.endpoint.ports[i]?.publishedPort === 0
          ? { ...p, publishedPort: 30000 }
          : p,
      );
      return { ...svc, ports };
    });
    return { ok: true, state: { ...r.state, services } };
  },
};

export const PLANTED: Record<string, ModelApi> = {
  [ingressPortReused.name]: ingressPortReused,
  [drainForgetsGlobal.name]: drainForgetsGlobal,
  [quorumCeil.name]: quorumCeil,
  [noRestart.name]: noRestart,
};

/** '' or undefined → the real model; an unknown name is an error that lists the known ones. */
export function modelNamed(name: string | undefined): ModelApi {
  if (name === undefined || name === '') return realModel;
  const m = PLANTED[name];
  if (!m) throw new Error(`unknown planted bug '${name}' (known: ${Object.keys(PLANTED).join(', ')})`);
  return m;
}
