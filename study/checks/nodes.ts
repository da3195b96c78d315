/**
 * Checks for the claims about nodes (availability, status, drain, pause, down) and scheduling
 * (study/claims.ts, topics `nodes`, `scheduling`, and the host-port claim of `networking`).
 */
import { findNode, type State } from '../../model/index.ts';
import type { Check } from '../check.ts';
import {
  creatorOf,
  isRunning,
  lineOf,
  runningCount,
  runningOn,
  type Story,
  spreadText,
  tasksOf,
  taskText,
} from '../story.ts';
import {
  all,
  cases,
  cluster,
  condition,
  created,
  INIT,
  judged,
  need,
  ran,
  setTo,
  tried,
  typical,
  worker,
} from './dsl.ts';

const isDown = (host: string) => (s: Story) =>
  need(findNode(s.final, host)?.status === 'down', `${host} is not down`);

const DRAIN = 'docker node update --availability drain worker-1';

/** Tasks of `web` that were running on worker-1 just before the last line. */
function wereOnWorker1(s: Story, service = 'web') {
  return runningOn(s.states.at(-2)!, service, 'worker-1');
}

const now = (s: Story, id: string) => s.final.tasks.find((t) => t.id === id)!;

/** "The drained node's tasks are replaced elsewhere": each drained slot has a running task on another node. */
function replacedElsewhere(s: Story) {
  const old = wereOnWorker1(s);
  const w1 = findNode(s.final, 'worker-1')!.id;
  const missing = old.filter(
    (t) => !tasksOf(s.final, 'web').some((x) => x.slot === t.slot && x.nodeId !== w1 && isRunning(x)),
  );
  return judged(
    missing.length === 0,
    missing.length === 0
      ? `every drained slot runs again elsewhere (${spreadText(s.final, 'web')})`
      : `slot(s) ${missing.map((t) => t.slot).join(', ')} got no replacement: ${missing.map((t) => taskText(s.final, now(s, t.id))).join(', ')}`,
  );
}

function statusAndAvailability(s: State, host: string) {
  const n = findNode(s, host)!;
  return `${host}: STATUS ${n.status}, AVAILABILITY ${n.availability}`;
}

/** Every running task of web is on a worker. */
function onWorkersOnly(s: Story) {
  const onManagers = s.final.nodes
    .filter((n) => n.role === 'manager')
    .flatMap((n) => runningOn(s.final, 'web', n.hostname));
  return judged(
    onManagers.length === 0,
    `${spreadText(s.final, 'web')}${onManagers.length ? ': the scheduler placed tasks on a manager' : ': all on workers'}`,
  );
}

export const nodeChecks: Record<string, Check> = {
  'drain-reschedules-tasks': cases(
    typical(
      'drain a worker running a replica',
      [...cluster(1, 1), 'docker service create --name web --replicas 2 nginx:1.25', DRAIN],
      (s) => {
        const old = wereOnWorker1(s);
        const movedSame = old.filter((t) => {
          const x = now(s, t.id);
          return x.nodeId !== t.nodeId && isRunning(x);
        });
        const fresh = tasksOf(s.final, 'web').filter(
          (t) => isRunning(t) && !tasksOf(s.states.at(-2)!, 'web').some((x) => x.id === t.id),
        );
        return judged(
          movedSame.length === old.length,
          `the task on worker-1 did not move: it is now ${old.map((t) => taskText(s.final, now(s, t.id))).join(', ')}. Its slot got a new task instead, ${fresh.map((t) => taskText(s.final, t)).join(', ')}, created by the ${creatorOf(s, fresh[0]?.id ?? '')} supervisor`,
        );
      },
      setTo('worker-1', 'drain', 'web'),
    ),
    condition(
      'drain a worker running a global task',
      [...cluster(1, 1), 'docker service create --name agent --mode global busybox', DRAIN],
      (s) => {
        const t = runningOn(s.states.at(-2)!, 'agent', 'worker-1')[0];
        return judged(
          runningCount(s.final, 'agent') === 2,
          `worker-1's global task is now ${taskText(s.final, now(s, t.id))}, and no node got a replacement (running agent tasks per node: ${spreadText(s.final, 'agent')})`,
        );
      },
      setTo('worker-1', 'drain', 'agent'),
    ),
  ),

  'drain-restart-none-not-replaced': cases(
    typical(
      'drain under --restart-condition none',
      [
        ...cluster(1, 1),
        'docker service create --name web --replicas 2 --restart-condition none nginx:1.25',
        DRAIN,
      ],
      replacedElsewhere,
      setTo('worker-1', 'drain', 'web'),
    ),
  ),

  'drain-waits-restart-delay': cases(
    typical(
      'drain with --restart-delay 1m',
      [
        ...cluster(1, 1),
        'docker service create --name web --replicas 2 --restart-delay 1m nginx:1.25',
        DRAIN,
      ],
      (s) => {
        const r = replacedElsewhere(s);
        return judged(!r.holds, `no time has passed (t=${s.final.now / 1000}s) and ${r.because}`);
      },
      setTo('worker-1', 'drain', 'web'),
    ),
  ),

  'pause-keeps-tasks': cases(
    typical(
      'pause a worker, then scale up',
      [
        ...cluster(1, 1),
        'docker service create --name web --replicas 2 nginx:1.25',
        'docker node update --availability pause worker-1',
        'docker service scale web=4',
      ],
      (s) => {
        const before = runningOn(lineOf(s, 'docker node update').state, 'web', 'worker-1');
        const after = runningOn(s.final, 'web', 'worker-1');
        const same = before.length === after.length && before.every((t) => after.some((x) => x.id === t.id));
        return judged(
          same && before.length > 0,
          `worker-1 keeps ${after.map((t) => t.id).join(', ')} running and gets nothing new (${spreadText(s.final, 'web')})`,
        );
      },
    ),
  ),

  'pause-stops-tasks': cases(
    typical(
      'pause a worker running a replica',
      [
        ...cluster(1, 1),
        'docker service create --name web --replicas 2 nginx:1.25',
        'docker node update --availability pause worker-1',
      ],
      (s) => {
        const old = wereOnWorker1(s);
        const stopped = old.filter((t) => !isRunning(now(s, t.id)));
        return judged(
          stopped.length === old.length,
          `${old.map((t) => taskText(s.final, now(s, t.id))).join(', ')}: pause stops nothing`,
        );
      },
      setTo('worker-1', 'pause', 'web'),
    ),
  ),

  'active-can-run': cases(
    typical(
      'an active worker joins, a service is created',
      [
        'docker swarm init --hostname manager-1 --availability drain',
        worker(1),
        'docker service create --name web nginx:1.25',
      ],
      (s) => judged(runningOn(s.final, 'web', 'worker-1').length === 1, `${spreadText(s.final, 'web')}`),
    ),
  ),

  'availability-two-values': cases(
    typical(
      'drain a node, then make it active again',
      [...cluster(1, 1), DRAIN, 'docker node update --availability active worker-1'],
      (s) => {
        const ok = s.records.every((r) => r.outcome === 'ok');
        return judged(ok, `both accepted; ${statusAndAvailability(s.final, 'worker-1')}`);
      },
    ),
    condition(
      'pause a node',
      [...cluster(1, 1), 'docker node update --availability pause worker-1'],
      (s) => {
        const r = s.records.at(-1)!;
        return judged(
          r.outcome === 'error',
          r.outcome === 'ok'
            ? `accepted: a third value; ${statusAndAvailability(s.final, 'worker-1')}`
            : r.message,
        );
      },
      tried('docker node update --availability pause'),
    ),
  ),

  'node-status-active-pause-drain': cases(
    typical(
      'drain a node and look at docker node ls',
      [...cluster(1, 1), DRAIN, 'docker node ls'],
      (s) => {
        const n = findNode(s.final, 'worker-1')!;
        return judged(
          n.status === ('drain' as string),
          `${statusAndAvailability(s.final, 'worker-1')}: drain is the availability; the status is still what the dispatcher observes`,
        );
      },
      (s) => need(findNode(s.final, 'worker-1')?.availability === 'drain', 'worker-1 is not drained'),
    ),
  ),

  'add-node-rebalances': cases(
    typical(
      '4 replicas on one worker, then a second worker joins',
      [
        'docker swarm init --hostname manager-1 --availability drain',
        worker(1),
        'docker service create --name web --replicas 4 nginx:1.25',
        worker(2),
      ],
      (s) => {
        const n = runningOn(s.final, 'web', 'worker-2').length;
        return judged(n > 0, `after the join: ${spreadText(s.final, 'web')}; nothing moved to worker-2`);
      },
      all(ran('web', 2), tried('docker swarm join --hostname worker-2')),
    ),
  ),

  'node-down-orphaned-at-once': cases(
    typical(
      'a worker crashes; 20 s later it is down',
      [
        ...cluster(1, 1),
        'docker service create --name web --replicas 2 nginx:1.25',
        'crash worker-1',
        'wait 20s',
      ],
      (s) => {
        const w = findNode(s.final, 'worker-1')!;
        const old = runningOn(lineOf(s, 'docker service create').state, 'web', 'worker-1');
        const states = old.map((t) => taskText(s.final, now(s, t.id)));
        return judged(
          w.status === 'down' && old.every((t) => now(s, t.id).observed === 'orphaned'),
          `worker-1 is ${w.status}; its task ${states.join(', ')} (desired ${now(s, old[0].id).desired}) is not orphaned: that happens 24 h after the node went down`,
        );
      },
      all(ran('web'), isDown('worker-1')),
    ),
  ),

  'global-down-replaced-elsewhere': cases(
    typical(
      'a node running a global task crashes',
      [
        ...cluster(1, 1),
        'docker service create --name agent --mode global busybox',
        'crash worker-1',
        'wait 20s',
      ],
      (s) => {
        const counts = s.final.nodes
          .filter((n) => n.hostname !== 'worker-1')
          .map((n) => runningOn(s.final, 'agent', n.hostname).length);
        return judged(
          counts.some((c) => c > 1),
          `worker-1 is ${findNode(s.final, 'worker-1')!.status}; the other nodes still run one agent task each (${spreadText(s.final, 'agent')})`,
        );
      },
      all(ran('agent', 2), isDown('worker-1')),
    ),
  ),

  // ---- scheduling -----------------------------------------------------------------------------
  'scheduler-worker-nodes-only': cases(
    typical(
      'the manager is drained, two workers',
      [
        'docker swarm init --hostname manager-1 --availability drain',
        worker(1),
        worker(2),
        'docker service create --name web --replicas 2 nginx:1.25',
      ],
      onWorkersOnly,
    ),
    condition(
      'the manager keeps its default availability (active)',
      [...cluster(1, 1), 'docker service create --name web --replicas 2 nginx:1.25'],
      onWorkersOnly,
      (s) =>
        need(
          s.final.nodes.some((n) => n.role === 'worker' && n.availability === 'active'),
          'no active worker',
        ),
    ),
  ),

  'managers-are-workers': cases(
    typical(
      'one manager, one worker, two replicas',
      [...cluster(1, 1), 'docker service create --name web --replicas 2 nginx:1.25'],
      (s) => {
        const m = runningOn(s.final, 'web', 'manager-1').length;
        return judged(
          m > 0,
          `${spreadText(s.final, 'web')}: manager-1 (availability ${findNode(s.final, 'manager-1')!.availability} by default) runs a replica`,
        );
      },
    ),
  ),

  'spread-by-resources': cases(
    typical(
      'a 16-CPU manager and a 1-CPU worker',
      [
        'docker swarm init --hostname manager-1 --cpus 16 --memory 64G',
        worker(1, '--cpus 1 --memory 1G'),
        'docker service create --name web --replicas 2 nginx:1.25',
      ],
      (s) => {
        const big = runningOn(s.final, 'web', 'manager-1').length;
        return judged(
          big === 2,
          `${spreadText(s.final, 'web')}: one each, although manager-1 has 16 free CPUs and worker-1 one`,
        );
      },
      all(ran('web', 2), (s) =>
        need(
          findNode(s.final, 'manager-1')!.nanoCpus > findNode(s.final, 'worker-1')!.nanoCpus,
          'the nodes have the same CPUs',
        ),
      ),
    ),
  ),

  'placement-pref-by-node-count': cases(
    typical(
      'zone a has 1 node, zone b has 2; 4 replicas spread over zones',
      [
        'docker swarm init --hostname manager-1 --label zone=a',
        worker(1, '--label zone=b'),
        worker(2, '--label zone=b'),
        'docker service create --name web --replicas 4 --placement-pref spread=node.labels.zone nginx:1.25',
      ],
      (s) => {
        const a = runningOn(s.final, 'web', 'manager-1').length;
        const b = runningOn(s.final, 'web', 'worker-1').length + runningOn(s.final, 'web', 'worker-2').length;
        return judged(
          b > a,
          `zone a (1 node) gets ${a}, zone b (2 nodes) gets ${b}: an equal share per zone`,
        );
      },
      all(ran('web', 4), (s) =>
        need(
          s.final.nodes.filter((n) => n.labels.zone === 'b').length === 2 &&
            s.final.nodes.filter((n) => n.labels.zone === 'a').length === 1,
          'zones are not 1 node (a) and 2 nodes (b)',
        ),
      ),
    ),
  ),

  'unsatisfiable-constraint-fails': cases(
    typical(
      'a constraint no node meets',
      [INIT, 'docker service create --name web --constraint node.labels.disk==ssd nginx:1.25'],
      (s) => {
        const r = lineOf(s, 'docker service create');
        const t = tasksOf(s.final, 'web')[0];
        return judged(
          r.record.outcome === 'error',
          r.record.outcome === 'ok' ? `accepted; ${taskText(s.final, t)}: "${t.err}"` : r.record.message,
        );
      },
      created('web'),
    ),
  ),

  'host-port-shared': cases(
    typical(
      '2 replicas publishing host port 8080 on a one-node swarm',
      [
        INIT,
        'docker service create --name web --replicas 2 --publish published=8080,target=80,mode=host nginx:1.25',
      ],
      (s) => {
        const shared = s.final.nodes.some((n) => runningOn(s.final, 'web', n.hostname).length > 1);
        const p = tasksOf(s.final, 'web').find((t) => t.observed === 'pending');
        return judged(
          shared,
          `${spreadText(s.final, 'web')}; ${p ? `${taskText(s.final, p)}: "${p.err}"` : ''}`,
        );
      },
      (s) => need(tasksOf(s.final, 'web').length > s.final.nodes.length, 'no more replicas than nodes'),
    ),
  ),
};
