/**
 * The refinement check on seeded random runs of the full model (model/random.ts), for the property
 * test and for finding witnesses of each divergence.
 */
import { randomRun, rng } from '../model/random.ts';
import { Refinement, refinementConstants, type Verdict } from './check.ts';
import { type ClusterConfig, initialCluster, nodeIdsOf, userCommands } from './cluster.ts';

export interface TraceReport {
  /** Count per verdict kind ('stutter', 'step', 'path', 'unexplained') and per divergence name. */
  counts: Map<string, number>;
  /** The first unexplained step, if any. */
  unexplained?: string;
}

/** One random run of `steps` steps from the configuration's initial cluster, every step checked. */
export function checkRandomRun(
  cfg: ClusterConfig,
  seed: number,
  steps: number,
  onVerdict?: (v: Verdict) => void,
): TraceReport {
  const s0 = initialCluster(cfg);
  const R = new Refinement(
    refinementConstants(cfg.nodes, Math.min(14, 2 * cfg.services), cfg.maxReplicas),
    nodeIdsOf(s0),
  );
  let p = R.initial(s0);
  const counts = new Map<string, number>();
  let unexplained: string | undefined;
  randomRun(
    s0,
    steps,
    rng(seed),
    (prev, a, next) => {
      const r = R.check(prev, p, a.actor, a.kind, next);
      p = r.next;
      const v = r.verdict;
      const key = v.kind === 'divergence' ? v.divergence.name : v.kind;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (v.kind === 'unexplained' && unexplained === undefined)
        unexplained = `seed ${seed}: ${JSON.stringify(a)}\n${v.detail}`;
      onVerdict?.(v);
    },
    0.15,
    userCommands(cfg),
  );
  return { counts, unexplained };
}
