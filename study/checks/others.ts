/**
 * Checks for the claims about updates, secrets and networking (study/claims.ts). Where the model does
 * not have the mechanism yet (rolling updater, secret distribution, routing mesh, network allocation:
 * branch `updates`), the check is `pending` with the plan for writing it, counted apart, never a pass.
 */
import { findService } from '../../model/index.ts';
import type { Check } from '../check.ts';
import { lineOf, type Story } from '../story.ts';
import { cases, created, INIT, judged, need, pending, typical } from './dsl.ts';

const outcome = (s: Story, prefix: string) => {
  const r = lineOf(s, prefix).record;
  return r.outcome === 'ok' ? 'accepted' : `refused: "${r.message}"`;
};

const ingressNetworks = (s: Story) => s.final.networks.filter((n) => n.ingress);

export const otherChecks: Record<string, Check> = {
  // ---- updates --------------------------------------------------------------------------------
  'update-monitor-30s': cases(
    typical(
      'create a service without --update-monitor',
      [INIT, 'docker service create --name web nginx:1.25'],
      (s) => {
        const ms = findService(s.final, 'web')!.spec.update.monitorMs;
        return judged(ms === 30_000, `web's UpdateConfig.Monitor is ${ms / 1000} s (SwarmKit's default)`);
      },
      created('web'),
    ),
  ),
  'failure-ratio-at-threshold': pending(
    'rolling updates (branch updates)',
    '10 replicas, --update-max-failure-ratio 0.1 --update-parallelism 1 --update-failure-action pause; update the image; `exit` the first updated task with code 1 during the monitor: the update must still be updating; fail a second one: paused. Predicate: update status after each failure.',
  ),
  'force-update-noop': pending(
    'rolling updates (branch updates)',
    '3 replicas; `docker service update --force web`; `settle`. Predicate: every slot has a new task (the old ones shutdown). The model today only bumps the spec version, which would wrongly read as "no-op".',
  ),
  'update-delay-batches': pending(
    'rolling updates (branch updates)',
    '4 replicas, --update-parallelism 2 --update-delay 10s; update the image; make one slot of the first pair slow (its task fails to start once). Predicate: the third slot starts updating 10 s after the fast slot finished, before the slow one: no batch barrier.',
  ),

  // ---- secrets --------------------------------------------------------------------------------
  'configs-not-encrypted': pending(
    'raft encryption at rest (not modelled)',
    'The model does not represent the Raft WAL on disk; the claim is about storage encryption (design/raft_encryption.md), which no branch models yet.',
  ),
  'workers-request-secrets': pending(
    'secret distribution (branch updates)',
    'worker-1, worker-2; a secret used by a 1-replica service pinned to worker-1. Predicate: the dispatcher pushed the secret to worker-1 only, unasked (assignments of each node).',
  ),
  'secrets-every-node': pending(
    'secret distribution (branch updates)',
    'as above: worker-2 never receives the secret; after `docker service rm`, worker-1 loses it too.',
  ),
  'secret-on-manager-disk': pending(
    'secret distribution (branch updates)',
    "managers hold secrets in the (encrypted) store; workers only in the agent's memory while a task uses them. Predicate over the per-node assignment sets.",
  ),
  'secret-rm-scaled-zero': cases(
    typical(
      'a secret used by a service scaled to 0',
      [
        INIT,
        'docker secret create db-pass --size 64',
        'docker service create --name web --replicas 0 --secret db-pass nginx:1.25',
        'docker secret rm db-pass',
      ],
      (s) =>
        judged(
          lineOf(s, 'docker secret rm').record.outcome === 'ok',
          `no task of web runs, yet the removal is ${outcome(s, 'docker secret rm')}`,
        ),
      (s) =>
        need(
          findService(s.final, 'web')?.spec.task.secrets.some((r) => r.name === 'db-pass') === true &&
            findService(s.final, 'web')?.spec.replicas === 0,
          'no service scaled to 0 uses the secret',
        ),
    ),
  ),

  // ---- networking -----------------------------------------------------------------------------
  'every-node-listens': pending(
    'routing mesh (branch updates)',
    'three nodes, one replica publishing 8080 (ingress) and one publishing 9090 mode=host. Predicate: nodes listening on 8080 = all; on 9090 = the node with the task.',
  ),
  'route-to-node': pending(
    'routing mesh (branch updates)',
    'two replicas on worker-1, none on worker-2; traffic to worker-2:8080 is balanced over the two tasks (both on worker-1), not over nodes.',
  ),
  'mesh-balances-nodes': pending(
    'routing mesh (branch updates)',
    'as route-to-node: the backends of the ingress load balancer are the running tasks, two on one node, none on another.',
  ),
  'every-service-vip': pending(
    'network allocation (branch updates)',
    'three services: vip on an overlay, dnsrr on an overlay, no network and no ports. Predicate: only the first has a VIP (Endpoint.VirtualIPs).',
  ),
  'ingress-per-service': cases(
    typical(
      'a service publishes a port',
      [INIT, 'docker service create --name web --publish 8080:80 nginx:1.25'],
      (s) => {
        const ing = ingressNetworks(s);
        const publishing = s.final.services.filter((x) => x.spec.endpoint.ports.length > 0).length;
        return judged(
          ing.length >= 1 + publishing,
          `${publishing} publishing service(s), ${ing.length} ingress network(s): ${ing.map((n) => `${n.name} (${n.id})`).join(', ')}, the one created at swarm init`,
        );
      },
      (s) =>
        need(
          s.final.services.some((x) => x.spec.endpoint.ports.length > 0),
          'no service publishes a port',
        ),
    ),
  ),
  'ingress-at-init': cases(
    typical('docker swarm init', [INIT], (s) => {
      const ing = ingressNetworks(s);
      return judged(
        ing.length === 1,
        `after init: ${ing.map((n) => `${n.name} (${n.id}), ingress`).join(', ') || 'no ingress network'}`,
      );
    }),
  ),
  'one-ingress-network': cases(
    typical(
      'create a second ingress network',
      [INIT, 'docker network create --driver overlay --ingress ingress-2'],
      (s) =>
        judged(
          lineOf(s, 'docker network create').record.outcome === 'error',
          `the second ingress network is ${outcome(s, 'docker network create')}`,
        ),
    ),
  ),
  'overlay-subnet-on-first-use': pending(
    'network allocation (branch updates)',
    '`docker network create --driver overlay app` and no service: Predicate: the network already has a subnet (allocated at creation).',
  ),
  'host-mode-stickiness': pending(
    'routing mesh (branch updates)',
    'mode=host publishing: only nodes with a task listen; a client reaches the task on the node it dials. Needs per-node listeners.',
  ),
  'dnsrr-with-ingress': cases(
    typical(
      'a dnsrr service publishing through the mesh',
      [INIT, 'docker service create --name web --endpoint-mode dnsrr --publish 8080:80 nginx:1.25'],
      (s) =>
        judged(
          lineOf(s, 'docker service create').record.outcome === 'ok',
          `the create is ${outcome(s, 'docker service create')}`,
        ),
      (s) => need(s.final.initialized, 'no swarm'),
    ),
  ),
};
