/**
 * A seeded random walk over the transition relation (no Math.random: a small xorshift generator), and
 * the standard small cluster used by the benchmark and the property suite: 5 nodes of which 3
 * managers, 3 services (replicated, replicated with constraints/limits, global).
 */

import { type Action, ActionList } from './actions.ts';
import { defaultNode, defaultServiceSpec } from './defaults.ts';
import { emptyState } from './empty.ts';
import { listEnabled, step } from './relation.ts';
import { settle } from './settle.ts';
import type { UserCommand } from './spec.ts';
import type { State } from './state.ts';

export function rng(seed: number): () => number {
  let x = seed | 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

function must(s: State, command: UserCommand): State {
  const r = step(s, { actor: 'user', kind: 'command', command });
  if (!r.ok) throw new Error(r.error);
  return r.state;
}

/** Scale commands for the standard cluster, for random runs that include the user. */
export const STANDARD_USER_COMMANDS: UserCommand[] = [1, 3, 5].flatMap((n) => [
  { kind: 'service.scale', scales: [{ service: 'web', replicas: n }] } as UserCommand,
  { kind: 'service.scale', scales: [{ service: 'api', replicas: n }] } as UserCommand,
]);

/** 5 nodes (m1..m3 managers, w1, w2 workers), services web (3 replicas), api (2, on workers, max 1 per node), mon (global). */
export function standardCluster(): State {
  let s = emptyState();
  s = must(s, { kind: 'swarm.init', node: defaultNode('m1', 'manager') });
  for (const h of ['m2', 'm3']) s = must(s, { kind: 'swarm.join', node: defaultNode(h, 'manager') });
  for (const h of ['w1', 'w2'])
    s = must(s, {
      kind: 'swarm.join',
      node: { ...defaultNode(h, 'worker'), labels: { zone: h === 'w1' ? 'a' : 'b' } },
    });
  const web = { ...defaultServiceSpec('web', 'nginx'), replicas: 3 };
  const api0 = defaultServiceSpec('api', 'api');
  const api = {
    ...api0,
    replicas: 2,
    task: {
      ...api0.task,
      placement: { constraints: ['node.role==worker'], preferences: [], maxReplicas: 1 },
      restart: { ...api0.task.restart, maxAttempts: 3 },
    },
  };
  const mon = { ...defaultServiceSpec('mon', 'agent'), mode: 'global' as const, replicas: undefined };
  for (const spec of [web, api, mon]) s = must(s, { kind: 'service.create', spec });
  return settle(s).state;
}

/**
 * Run `steps` random enabled actions; calls `onStep` after each. Returns the final state.
 * Environment actions (faults, clock) are drawn with probability `envWeight` (default 0.15) and
 * component actions otherwise, each uniformly within its class: a uniform draw over all actions
 * would be ~70 % faults (every node can crash or be isolated, every task can exit), and the cluster
 * would never get to react.
 */
export function randomRun(
  s: State,
  steps: number,
  rand: () => number,
  onStep?: (prev: State, a: Action, next: State) => void,
  envWeight = 0.15,
  /** User commands occasionally issued (probability 0.02 per step); a refused one is skipped. */
  userCommands: readonly UserCommand[] = [],
): State {
  const acts = new ActionList();
  for (let i = 0; i < steps; i++) {
    if (userCommands.length > 0 && rand() < 0.02) {
      const a: Action = {
        actor: 'user',
        kind: 'command',
        command: userCommands[Math.floor(rand() * userCommands.length)],
      };
      const r = step(s, a);
      if (r.ok) {
        onStep?.(s, a, r.state);
        s = r.state;
        continue;
      }
    }
    // `enabled(s)`, component actions first and the environment's (faults, clock) after them: two
    // classes, a prefix and a suffix of `acts`, each in its order.
    acts.clear();
    const nComp = listEnabled(s, acts);
    if (acts.length === 0) break;
    const nEnv = acts.length - nComp;
    const a =
      nComp === 0 || (nEnv > 0 && rand() < envWeight)
        ? acts.items[nComp + Math.floor(rand() * nEnv)]
        : acts.items[Math.floor(rand() * nComp)];
    const r = step(s, a);
    if (!r.ok) throw new Error(`enabled action refused: ${JSON.stringify(a)}: ${r.error}`);
    onStep?.(s, a, r.state);
    s = r.state;
  }
  return s;
}
