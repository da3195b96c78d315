/** One-line, docker-like descriptions of actions, prefixed by their actor. */
import type { Action } from './actions.ts';
import type { UserCommand } from './spec.ts';

export function describeCommand(c: UserCommand): string {
  switch (c.kind) {
    case 'swarm.init':
      return `docker swarm init (on ${c.node.hostname})${c.forceNewCluster ? ' --force-new-cluster' : ''}`;
    case 'swarm.join':
      return `docker swarm join (${c.node.hostname} as ${c.node.role})`;
    case 'swarm.leave':
      return `docker swarm leave${c.force ? ' --force' : ''} (on ${c.node})`;
    case 'node.update': {
      const parts: string[] = [];
      if (c.availability) parts.push(`--availability ${c.availability}`);
      for (const [k, v] of Object.entries(c.labelAdd ?? {})) parts.push(`--label-add ${k}=${v}`);
      for (const k of c.labelRm ?? []) parts.push(`--label-rm ${k}`);
      return `docker node update ${parts.join(' ')} ${c.node}`.replace(/ +/g, ' ');
    }
    case 'node.promote':
      return `docker node promote ${c.node}`;
    case 'node.demote':
      return `docker node demote ${c.node}`;
    case 'node.rm':
      return `docker node rm${c.force ? ' --force' : ''} ${c.node}`;
    case 'node.ls':
      return 'docker node ls';
    case 'service.create':
      return `docker service create --name ${c.spec.name}${c.spec.mode === 'global' ? ' --mode global' : ` --replicas ${c.spec.replicas ?? 1}`} ${c.spec.task.image}`;
    case 'service.update':
      return `docker service update ${c.service}`;
    case 'service.scale':
      return `docker service scale ${c.scales.map((x) => `${x.service}=${x.replicas}`).join(' ')}`;
    case 'service.rollback':
      return `docker service rollback ${c.service}`;
    case 'service.rm':
      return `docker service rm ${c.service}`;
    case 'service.ls':
      return 'docker service ls';
    case 'service.ps':
      return `docker service ps ${c.service}`;
    case 'secret.create':
      return `docker secret create ${c.name}`;
    case 'secret.rm':
      return `docker secret rm ${c.name}`;
    case 'config.create':
      return `docker config create ${c.name}`;
    case 'config.rm':
      return `docker config rm ${c.name}`;
    case 'network.create':
      return `docker network create --driver ${c.driver} ${c.name}`;
  }
}

/** Uses ids (tasks t5, nodes n2); the scenario layer may substitute names via lookups. */
export function describeAction(a: Action): string {
  switch (a.kind) {
    case 'command':
      return `user: ${describeCommand(a.command)}`;
    case 'reconcile-service':
      return `orchestrator: reconcile service ${a.service}`;
    case 'reconcile-node':
      return `orchestrator: reconcile global services on node ${a.node}`;
    case 'shutdown-task':
      return `orchestrator: shut down task ${a.task} (no restart)`;
    case 'enforce':
      return `orchestrator: constraint enforcer checks node ${a.node}`;
    case 'restart-task':
      return `restart: restart task ${a.task}`;
    case 'start-task':
      return `restart: start replacement task ${a.task} (desired running)`;
    case 'update-start':
      return `updater: start updating service ${a.service}`;
    case 'update-slot':
      return `updater: worker ${a.worker} of service ${a.service} takes the next slot`;
    case 'update-slot-done':
      return `updater: worker ${a.worker} of service ${a.service} finished its slot`;
    case 'update-failure':
      return `updater: service ${a.service} sees task ${a.task} fail`;
    case 'update-monitor':
      return `updater: every slot of service ${a.service} updated, monitoring`;
    case 'update-complete':
      return `updater: monitor period of service ${a.service} over`;
    case 'allocate':
      return 'allocator: allocate new tasks (new → pending)';
    case 'schedule':
      return 'scheduler: scheduling pass';
    case 'progress':
      return `agent: task ${a.task} → ${a.to}`;
    case 'register':
      return `dispatcher: node ${a.node} registers (ready)`;
    case 'heartbeat-expired':
      return `dispatcher: node ${a.node} missed its heartbeats (down)`;
    case 'orphan':
      return `dispatcher: node ${a.node} down for 24 h, its tasks orphaned`;
    case 'reap':
      return 'reaper: task reaper pass';
    case 'elect':
      return `raft: ${a.node} becomes leader`;
    case 'join':
      return `raft: manager ${a.node} joins the Raft group`;
    case 'crash':
      return `fault: node ${a.node} crashes`;
    case 'restart':
      return `fault: node ${a.node} restarts`;
    case 'partition':
      return `fault: partition ${a.groups.map((g) => `{${g.join(',')}}`).join(' | ')}`;
    case 'heal':
      return 'fault: heal all partitions';
    case 'exit':
      return `fault: container of task ${a.task} exits with code ${a.code}`;
    case 'reject':
      return `fault: agent rejects task ${a.task}`;
    case 'advance':
      return `clock: advance to ${a.to} ms`;
  }
}
