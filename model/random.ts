/**
 * A seeded random walk over the transition relation (no Math.random: a small xorshift generator), and
 * the standard small cluster used by the benchmark and the property suite: 5 nodes of which 3
 * managers, 3 services (replicated, replicated with constraints/limits, global).
 */

import type { Action } from './actions.ts';
import { defaultNode, defaultServiceSpec } from './defaults.ts';
import { emptyState } from './empty.ts';
import { enabled, step } from './relation.ts';
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

/** Run `steps` uniformly random enabled actions; calls `onStep` after each. Returns the final state. */
export function randomRun(
  s: State,
  steps: number,
  rand: () => number,
  onStep?: (prev: State, a: Action, next: State) => void,
): State {
  for (let i = 0; i < steps; i++) {
    const acts = enabled(s);
    if (acts.length === 0) break;
    const a = acts[Math.floor(rand() * acts.length)];
    const r = step(s, a);
    if (!r.ok) throw new Error(`enabled action refused: ${JSON.stringify(a)}: ${r.error}`);
    onStep?.(s, a, r.state);
    s = r.state;
  }
  return s;
}
