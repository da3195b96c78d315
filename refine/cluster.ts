/**
 * Small cluster configurations for the refinement check and the `cluster` explorer profile: a few
 * nodes (the first ones managers), a few services from a fixed catalogue (replicated `web`, global
 * `mon`, replicated `api`), and the bounded set of user commands an exploration may issue.
 */
import { defaultNode, defaultServiceSpec } from '../model/defaults.ts';
import { emptyState, type State, step } from '../model/index.ts';
import type { ServiceSpec, UserCommand } from '../model/spec.ts';

export interface ClusterConfig {
  /** Nodes n1..nN (hostnames `node1`..), the first `managers` of them managers. */
  nodes: number;
  managers: number;
  /** Services from the catalogue: web (replicated), mon (global), api (replicated). */
  services: number;
  /** Initial replicas of replicated services. */
  replicas: number;
  /** Largest replica count a user command may set. */
  maxReplicas: number;
  /** TaskHistoryRetentionLimit (`docker swarm update --task-history-limit`). */
  historyLimit: number;
  /** Restart delay of the services' restart policy, ms (SwarmKit's default 5 s). */
  restartDelayMs: number;
}

export const DEFAULT_CLUSTER: ClusterConfig = {
  nodes: 2,
  managers: 1,
  services: 1,
  replicas: 1,
  maxReplicas: 2,
  historyLimit: 2,
  restartDelayMs: 5000,
};

export const hostname = (i: number): string => `node${i + 1}`;

export function catalogue(cfg: ClusterConfig): ServiceSpec[] {
  const spec = (name: string, image: string, global: boolean): ServiceSpec => {
    const s = defaultServiceSpec(name, image);
    return {
      ...s,
      mode: global ? 'global' : 'replicated',
      replicas: global ? undefined : cfg.replicas,
      task: { ...s.task, restart: { ...s.task.restart, delayMs: cfg.restartDelayMs } },
    };
  };
  return [spec('web', 'nginx', false), spec('mon', 'agent', true), spec('api', 'api', false)].slice(
    0,
    cfg.services,
  );
}

function must(s: State, command: UserCommand): State {
  const r = step(s, { actor: 'user', kind: 'command', command });
  if (!r.ok) throw new Error(`${command.kind}: ${r.error}`);
  return r.state;
}

/** The cluster right after `swarm init`, the joins and the service creates (nothing settled yet). */
export function initialCluster(cfg: ClusterConfig): State {
  let s = emptyState();
  s = must(s, { kind: 'swarm.init', node: defaultNode(hostname(0), 'manager') });
  for (let i = 1; i < cfg.nodes; i++)
    s = must(s, {
      kind: 'swarm.join',
      node: defaultNode(hostname(i), i < cfg.managers ? 'manager' : 'worker'),
    });
  s = { ...s, taskHistoryLimit: cfg.historyLimit };
  for (const spec of catalogue(cfg)) s = must(s, { kind: 'service.create', spec });
  return s;
}

/**
 * The user commands an exploration may issue: scale every replicated service to 0..maxReplicas,
 * set every worker's availability (active, pause, drain), remove every service, create it again.
 * Refused commands (e.g. creating a service that exists) are simply not steps.
 */
export function userCommands(cfg: ClusterConfig): UserCommand[] {
  const out: UserCommand[] = [];
  for (const spec of catalogue(cfg)) {
    if (spec.mode === 'replicated')
      for (let r = 0; r <= cfg.maxReplicas; r++)
        out.push({ kind: 'service.scale', scales: [{ service: spec.name, replicas: r }] });
    out.push({ kind: 'service.rm', service: spec.name });
    out.push({ kind: 'service.create', spec });
  }
  for (let i = 0; i < cfg.nodes; i++)
    for (const availability of ['active', 'pause', 'drain'] as const)
      out.push({ kind: 'node.update', node: hostname(i), availability });
  return out;
}

/** Node ids in configuration order (the TLA Node set's order). */
export function nodeIdsOf(s: State): string[] {
  return s.nodes.map((n) => n.id);
}
