/**
 * The desired state a healed cluster must reach under fair scheduling (DESIGN.md §5, SwarmKit.tla
 * EventuallyAsDesired), as checks over one quiescent state:
 *
 * - replicated-converges: a replicated service with R replicas has R running slots when capacity
 *   allows (eligible nodes × max-replicas ≥ R), otherwise between that capacity and R;
 * - global-converges: exactly one running task on every eligible node (ready, active, matching its
 *   constraints), none desired running on drained or non-matching nodes, at most one on paused ones;
 * - drain-empties-node: no running task at all on a drained node.
 *
 * Liveness runs draw services whose restart policy always restarts (condition any, unlimited
 * attempts) and that reserve nothing (properties/arbitraries.ts `convergent`), so "when capacity and
 * restart policy allow" reduces to the constraint and max-replicas arithmetic below.
 */
import type { Service, State } from '../model/index.ts';
import { constraintsMatch, runningAsDesired } from './oracle.ts';

export interface LivenessVerdict {
  verdict: 'converged' | 'inconclusive' | 'violated';
  property: string;
  message: string;
}

export type DesiredCheck =
  | { ok: true; witnesses: string[] }
  | { ok: false; property: string; message: string };

export function eligibleNodes(s: State, svc: Service) {
  return s.nodes.filter(
    (n) =>
      n.up &&
      !n.left &&
      n.status === 'ready' &&
      n.availability === 'active' &&
      constraintsMatch(svc.spec.task.placement.constraints, n),
  );
}

export function checkDesiredState(s: State): DesiredCheck {
  const witnesses: string[] = [];
  for (const n of s.nodes) {
    if (n.availability !== 'drain') continue;
    const t = s.tasks.find((x) => x.nodeId === n.id && x.observed === 'running');
    if (t)
      return {
        ok: false,
        property: 'drain-empties-node',
        message: `node ${n.hostname} is drained but task ${t.id} still runs there`,
      };
  }
  for (const svc of s.services) {
    const mine = s.tasks.filter((t) => t.serviceId === svc.id);
    const eligible = eligibleNodes(s, svc);
    if (svc.spec.mode === 'replicated') {
      const r = svc.spec.replicas ?? 1;
      const max = svc.spec.task.placement.maxReplicas;
      const capacity = max > 0 ? eligible.length * max : eligible.length > 0 ? r : 0;
      const slots = new Set(mine.filter(runningAsDesired).map((t) => t.slot));
      const want = Math.min(r, capacity);
      if (slots.size < want || slots.size > r)
        return {
          ok: false,
          property: 'replicated-converges',
          message: `service ${svc.spec.name}: ${slots.size} running slots, want ${want === r ? r : `${want}..${r}`} (replicas ${r}, ${eligible.length} eligible nodes${max > 0 ? `, max ${max} per node` : ''})`,
        };
      if (r > 0 && slots.size === r) witnesses.push('replicated-at-desired-count');
      if (capacity < r && r > 0) witnesses.push('replicated-capacity-short');
    } else {
      for (const n of s.nodes) {
        const here = mine.filter((t) => t.nodeId === n.id && runningAsDesired(t)).length;
        const isEligible = eligible.includes(n);
        const matches = constraintsMatch(svc.spec.task.placement.constraints, n);
        // Paused: the global orchestrator neither adds nor removes (global.go (reconcileOneNode)), and
        // the constraint enforcer skips non-active nodes, so a task there may stay even when the node no
        // longer matches (orchestration.md §3.6). Drained: none. Active and ready: one iff it matches.
        const paused = n.availability === 'pause';
        const want = isEligible
          ? '1'
          : paused
            ? '≤1'
            : n.availability === 'drain' || (n.status === 'ready' && !matches)
              ? '0'
              : 'any';
        const bad = (want === '1' && here !== 1) || (want === '≤1' && here > 1) || (want === '0' && here > 0);
        if (bad)
          return {
            ok: false,
            property: 'global-converges',
            message: `global service ${svc.spec.name}: ${here} running tasks on ${n.hostname} (${n.status}/${n.availability}, constraints ${matches ? 'match' : 'fail'}), want ${want}`,
          };
      }
      if (eligible.length >= 2) witnesses.push('global-on-several-nodes');
    }
  }
  return { ok: true, witnesses };
}
