/**
 * Checks for the claims about updates, secrets and networking (study/claims.ts): the rolling updater,
 * per-node secret delivery, the routing mesh, host ports and VIPs come from model/ (branch updates).
 * Two claims stay `pending`, counted apart and never a pass: who initiates a secret transfer and
 * subnet allocation are below what the model represents.
 */
import {
  findNode,
  findService,
  hostPortAnswers,
  ingressAnswers,
  mountPaths,
  objectsOnNode,
  raftAtRest,
  serviceVips,
} from '../../model/index.ts';
import type { Check } from '../check.ts';
import { hostOf, lineOf, type Story, tasksOf, taskText } from '../story.ts';
import {
  all,
  cases,
  condition,
  created,
  INIT,
  judged,
  need,
  pending,
  ran,
  tried,
  typical,
  worker,
} from './dsl.ts';

const outcome = (s: Story, prefix: string) => {
  const r = lineOf(s, prefix).record;
  return r.outcome === 'ok' ? 'accepted' : `refused: "${r.message}"`;
};

const ingressNetworks = (s: Story) => s.final.networks.filter((n) => n.ingress);

/** 10 replicas, --update-max-failure-ratio 0.1; an image update; `failures` updated tasks fail within the monitor. */
function ratioScenario(failures: number): string[] {
  return [
    INIT,
    'docker service create --name web --replicas 10 --update-max-failure-ratio 0.1 --update-monitor 20s nginx:1.24',
    'docker service update --image nginx:1.25 web',
    ...Array.from({ length: failures }, (_, i) => `exit web.${i + 1} 1`),
  ];
}

const ratioPremise = (s: Story) =>
  need(
    s.states.some((st) => findService(st, 'web')?.updateStatus?.state === 'updating') &&
      s.records.some((r) => r.command.startsWith('exit')),
    'no updated task failed during an update',
  );

/** The claim: the update pauses once the failed fraction reaches 10 %. */
function paused(s: Story, failures: number) {
  const st = findService(s.final, 'web')!.updateStatus;
  const isPaused = st?.state === 'paused';
  return judged(
    isPaused === failures / 10 >= 0.1,
    `${failures} of 10 updated tasks failed (${failures * 10} %): update status ${st?.state ?? 'none'}${st?.message ? ` ("${st.message}")` : ''}; the failure action needs the fraction to exceed 0.1`,
  );
}

/**
 * "Batches": no new task of a later group is created while a new task of an earlier group has not
 * reached RUNNING.
 */
function batchesHold(s: Story) {
  const fresh = tasksOf(s.final, 'web').filter((t) => t.specVersion > 0);
  const late = fresh.filter((t) =>
    fresh.some((u) => u.createdAt < t.createdAt && !(u.observed === 'running' && u.statusAt <= t.createdAt)),
  );
  const blocking = (t: (typeof fresh)[number]) =>
    fresh.filter(
      (u) => u.createdAt < t.createdAt && !(u.observed === 'running' && u.statusAt <= t.createdAt),
    );
  return judged(
    late.length === 0,
    `new tasks created at ${fresh.map((t) => `${t.createdAt / 1000}s (${t.id})`).join(', ')}${
      late.length
        ? `; ${late
            .map(
              (t) =>
                `${t.id} was created at ${t.createdAt / 1000}s while ${blocking(t)
                  .map((u) => taskText(s.final, u))
                  .join(', ')} had not started`,
            )
            .join('; ')}: each worker sleeps the delay after its own slot, there is no batch`
        : ': the second pair started once the first pair ran, 10 s later'
    }`,
  );
}

/** The claim "every node listens": every node answers on the port. */
function listensEverywhere(s: Story, port: number, mode: 'ingress' | 'host') {
  const answers = (h: string) =>
    mode === 'ingress' ? ingressAnswers(s.final, h, port) : hostPortAnswers(s.final, h, port);
  const silent = s.final.nodes.filter((n) => answers(n.hostname).size === 0).map((n) => n.hostname);
  return judged(
    silent.length === 0,
    silent.length === 0
      ? `every node answers on ${port} (${mode} mode), also ${s.final.nodes
          .filter((n) => runningOn(n.hostname, s).length === 0)
          .map((n) => n.hostname)
          .join(', ')} which runs no task`
      : `${silent.join(', ')} (no task there) does not answer on ${port}: in ${mode} mode only a node running a task listens`,
  );
}

const runningOn = (host: string, s: Story) =>
  tasksOf(s.final, 'web').filter((t) => t.observed === 'running' && hostOf(s.final, t.nodeId) === host);

/** The claim "a node routes traffic to a node running a task". */
function routedFrom(s: Story, host: string, port: number, mode: 'ingress' | 'host') {
  const a = [
    ...(mode === 'ingress' ? ingressAnswers(s.final, host, port) : hostPortAnswers(s.final, host, port)),
  ];
  return judged(
    a.length > 0,
    a.length > 0
      ? `${host}:${port} forwards to ${a.map((id) => taskText(s.final, s.final.tasks.find((t) => t.id === id)!)).join(', ')}`
      : `${host}:${port} reaches nothing: with mode=host there is no routing mesh`,
  );
}

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
  'failure-ratio-at-threshold': cases(
    typical(
      'ratio 0.1, 10 replicas, 2 updated tasks fail (20 %)',
      ratioScenario(2),
      (s) => paused(s, 2),
      ratioPremise,
    ),
    condition(
      'ratio 0.1, 10 replicas, 1 updated task fails (exactly 10 %)',
      ratioScenario(1),
      (s) => paused(s, 1),
      ratioPremise,
    ),
  ),
  'force-update-noop': cases(
    typical(
      'docker service update --force with no other change',
      [INIT, 'docker service create --name web nginx:1.25', 'docker service update --force web'],
      (s) => {
        const ts = tasksOf(s.final, 'web');
        const fresh = ts.filter((t) => t.specVersion > 0);
        return judged(
          fresh.length === 0,
          `the spec version went 0 → ${findService(s.final, 'web')!.version} (ForceUpdate), so every task is dirty: the updater replaced ${ts
            .filter((t) => t.specVersion === 0)
            .map((t) => taskText(s.final, t))
            .join(', ')} with ${fresh.map((t) => taskText(s.final, t)).join(', ')}`,
        );
      },
      all(ran('web'), tried('docker service update --force')),
    ),
  ),
  'update-delay-batches': cases(
    typical(
      'parallelism 2, delay 10s, every new task starts at once',
      [
        INIT,
        worker(1),
        'docker service create --name web --replicas 4 --update-parallelism 2 --update-delay 10s nginx:1.24',
        'docker service update --image nginx:1.25 web',
        'wait 15s',
      ],
      batchesHold,
      all(ran('web', 4), tried('docker service update')),
    ),
    condition(
      'parallelism 2, delay 10s, on one node: the update adds host port 8080, so only one new task can start (web.1 holds the port)',
      [
        INIT,
        'docker service create --name web --replicas 3 --update-parallelism 2 --update-delay 10s nginx:1.24',
        'docker service update --publish-add published=8080,target=80,mode=host web',
        'wait 10s',
      ],
      batchesHold,
      all(ran('web', 3), tried('docker service update')),
    ),
  ),

  // ---- secrets --------------------------------------------------------------------------------
  'configs-not-encrypted': cases(
    typical(
      'a secret and a config are created',
      [INIT, 'docker secret create db-pass --size 64', 'docker config create app.conf --size 64'],
      (s) => {
        const r = raftAtRest(s.final);
        const plain = r.covers.includes('configs') ? [] : ['configs'];
        return judged(
          plain.length > 0,
          `the Raft log and snapshots on ${r.managers.join(', ')} are encrypted as a whole (${r.cipher}), covering ${r.covers.join(', ')}: configs too`,
        );
      },
      (s) => need(s.final.configs.length > 0 && s.final.secrets.length > 0, 'no secret and config created'),
    ),
  ),
  'workers-request-secrets': pending(
    'dispatcher protocol direction (not modelled)',
    'who initiates the transfer is below the model: it keeps per-node assignment sets synced by the leader (model/secrets.ts syncAgentObjects), with no request message to observe. The need-to-know half of the claim is checked by secrets-every-node.',
  ),
  'secrets-every-node': cases(
    typical(
      'a secret used by one replica on a two-node swarm',
      [
        'docker swarm init --hostname manager-1 --availability drain',
        worker(1),

        'docker secret create db-pass --size 64',
        'docker service create --name web --secret db-pass nginx:1.25',
      ],
      (s) => {
        const holders = s.final.nodes.filter((n) => objectsOnNode(s.final, n.id).secrets.includes('db-pass'));
        const without = s.final.nodes.filter((n) => !holders.includes(n));
        return judged(
          without.length === 0,
          `only ${holders.map((n) => n.hostname).join(', ')} (running ${tasksOf(s.final, 'web')
            .map((t) => taskText(s.final, t))
            .join(
              ', ',
            )}) holds db-pass; ${without.map((n) => n.hostname).join(', ')} never received it (the managers keep it in the store)`,
        );
      },
      ran('web'),
    ),
  ),
  'secret-on-manager-disk': cases(
    typical(
      'a secret used by a task on a worker',
      [
        'docker swarm init --hostname manager-1 --availability drain',
        worker(1),
        'docker secret create db-pass --size 64',
        'docker service create --name web --secret db-pass nginx:1.25',
      ],
      (s) => {
        const r = raftAtRest(s.final);
        const onWorker = tasksOf(s.final, 'web').filter(
          (t) => findNode(s.final, 'worker-1')?.id === t.nodeId,
        );
        const mounts = onWorker.flatMap((t) => mountPaths(t));
        return judged(
          r.managers.every((m) => findNode(s.final, m)?.role === 'manager') &&
            mounts.length > 0 &&
            mounts.every((m) => m.tmpfs),
          `on disk: the encrypted Raft log of ${r.managers.join(', ')}; on worker-1 the secret is mounted at ${mounts.map((m) => m.path).join(', ')} on a tmpfs (memory), never on its disk`,
        );
      },
      ran('web'),
    ),
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
  'every-node-listens': cases(
    typical(
      'one replica publishing 8080 (ingress mode, the default) on a two-node swarm',
      [
        INIT,
        worker(1),
        'docker service create --name web --constraint node.role==worker --publish 8080:80 nginx:1.25',
      ],
      (s) => listensEverywhere(s, 8080, 'ingress'),
    ),
    condition(
      'the same with mode=host',
      [
        INIT,
        worker(1),
        'docker service create --name web --constraint node.role==worker --publish published=8080,target=80,mode=host nginx:1.25',
      ],
      (s) => listensEverywhere(s, 8080, 'host'),
      ran('web'),
    ),
  ),
  'route-to-node': cases(
    typical(
      'ingress mode: traffic to the node without a task',
      [
        INIT,
        worker(1),
        'docker service create --name web --constraint node.role==worker --publish 8080:80 nginx:1.25',
      ],
      (s) => routedFrom(s, 'manager-1', 8080, 'ingress'),
    ),
    condition(
      'host mode: traffic to the node without a task',
      [
        INIT,
        worker(1),
        'docker service create --name web --constraint node.role==worker --publish published=8080,target=80,mode=host nginx:1.25',
      ],
      (s) => routedFrom(s, 'manager-1', 8080, 'host'),
      ran('web'),
    ),
  ),
  'mesh-balances-nodes': cases(
    typical(
      'two replicas, both on worker-1; traffic arrives at manager-1',
      [
        'docker swarm init --hostname manager-1 --availability drain',
        worker(1),

        'docker service create --name web --replicas 2 --constraint node.hostname==worker-1 --publish 8080:80 nginx:1.25',
      ],
      (s) => {
        const backends = [...ingressAnswers(s.final, 'manager-1', 8080)];
        const nodes = new Set(backends.map((id) => s.final.tasks.find((t) => t.id === id)!.nodeId));
        return judged(
          nodes.size === s.final.nodes.length,
          `a connection to manager-1:8080 is balanced over the tasks ${backends.join(', ')}, all on ${[...nodes].map((n) => hostOf(s.final, n)).join(', ')}: the mesh balances across tasks, not nodes`,
        );
      },
      ran('web', 2),
    ),
  ),
  'every-service-vip': cases(
    typical(
      'a service with no network and no published port',
      [INIT, 'docker service create --name web nginx:1.25'],
      (s) => {
        const vips = serviceVips(s.final, findService(s.final, 'web')!);
        return judged(
          vips.length > 0,
          `web has ${vips.length} VIP(s): a VIP is per attached network (and ingress when publishing), and dnsrr services get none`,
        );
      },
      created('web'),
    ),
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
    'subnet allocation (not modelled)',
    "`docker network create --driver overlay app` and no service. Predicate: the network already has a subnet (allocated at creation). The model's networks carry no subnet; nodeNetworks (model/network.ts) already shows the lazy part: a node joins the overlay only while a task there uses it.",
  ),
  'host-mode-stickiness': cases(
    typical(
      'mode=host: a client dials the node running the task',
      [INIT, 'docker service create --name web --publish published=8080,target=80,mode=host nginx:1.25'],
      (s) => {
        const a = [...hostPortAnswers(s.final, 'manager-1', 8080)];
        return judged(
          a.length === 1,
          `manager-1:8080 reaches exactly its own task ${a.join(', ')}: no mesh, no balancing over other nodes`,
        );
      },
      ran('web'),
    ),
    condition(
      'the same service attached to an overlay network',
      [
        INIT,
        'docker network create --driver overlay back',
        'docker service create --name web --network back --publish published=8080,target=80,mode=host nginx:1.25',
      ],
      (s) => {
        const svc = findService(s.final, 'web')!;
        const vips = serviceVips(s.final, svc);
        return judged(
          vips.length === 0,
          `host mode bypasses only the ingress mesh: on network back web still has a VIP (${vips.join(', ')}) that load-balances other services' connections over its tasks`,
        );
      },
      created('web'),
    ),
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
