/**
 * Checks for the claims about services and tasks (study/claims.ts, topics `services` and `tasks`).
 * Each predicate reads the claim literally and answers from the model's state, with the reason.
 */
import { findService, type State } from '../../model/index.ts';
import type { Check } from '../check.ts';
import {
  creatorOf,
  everyTask,
  hostOf,
  isRunning,
  lineOf,
  pathOf,
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

/** The current task of a replicated slot: the newest one. */
function slotTasks(s: State, service: string, slot: number) {
  return tasksOf(s, service).filter((t) => t.slot === slot);
}

const refused = (story: Story) =>
  story.inputError ?? story.records.find((r) => r.outcome === 'error')?.message ?? null;

/** "R containers run": the running tasks equal the replica count. */
function keepsR(story: Story, r: number) {
  const n = runningCount(story.final, 'web');
  return judged(
    n === r,
    `web asks for ${r} replicas; ${n} task(s) are running (${spreadText(story.final, 'web')})`,
  );
}

export const serviceChecks: Record<string, Check> = {
  'service-keeps-n-containers': cases(
    typical(
      'a container fails; the default restart policy replaces it',
      [
        ...cluster(1, 1),
        'docker service create --name web --replicas 3 nginx:1.25',
        'exit web.1 1',
        'wait 5s',
      ],
      (s) => keepsR(s, 3),
    ),
    condition(
      'the same failure under --restart-condition none',
      [
        INIT,
        'docker service create --name web --replicas 3 --restart-condition none nginx:1.25',
        'exit web.1 1',
      ],
      (s) => {
        const r = keepsR(s, 3);
        const dead = slotTasks(s.final, 'web', 1).at(-1)!;
        return judged(
          r.holds,
          `${r.because}; slot 1 still holds its dead task ${taskText(s.final, dead)}, which may not be restarted`,
        );
      },
      all(ran('web', 3), tried('exit web.1')),
    ),
  ),

  'task-unit-of-work': cases(
    typical(
      'create a service with 2 replicas',
      [INIT, 'docker service create --name web --replicas 2 nginx:1.25'],
      (s) => {
        const ts = tasksOf(s.final, 'web');
        const byOrch = ts.every((t) => creatorOf(s, t.id) === 'orchestrator');
        return judged(
          ts.length === 2 && byOrch && ts.every(isRunning),
          `the orchestrator created ${ts.length} task records (${ts.map((t) => taskText(s.final, t)).join('; ')}), one per slot; the agent runs each one's container`,
        );
      },
    ),
  ),

  'global-every-node': cases(
    typical(
      'a global service on a swarm whose manager is drained (as the docs advise)',
      [
        'docker swarm init --hostname manager-1 --availability drain',
        worker(1),
        'docker service create --name agent --mode global busybox',
      ],
      (s) => {
        const missing = s.final.nodes.filter((n) => runningOn(s.final, 'agent', n.hostname).length !== 1);
        return judged(
          missing.length === 0,
          missing.length === 0
            ? 'every node runs one agent task'
            : `${missing.map((n) => `${n.hostname} (availability ${n.availability})`).join(', ')} runs no agent task`,
        );
      },
      ran('agent'),
    ),
  ),

  'global-no-replicas-flag': cases(
    typical(
      'create a global service with --replicas',
      [INIT, 'docker service create --name agent --mode global --replicas 2 busybox'],
      (s) => {
        const e = refused(s);
        return judged(
          e?.includes('replicas can only be used') === true,
          `docker refuses it: ${e ?? '(accepted)'}`,
        );
      },
    ),
    typical(
      'create it without --replicas',
      [INIT, 'docker service create --name agent --mode global busybox'],
      (s) => judged(runningCount(s.final, 'agent') === 1, `accepted; ${spreadText(s.final, 'agent')}`),
    ),
  ),

  'replicated-exact-count': cases(
    typical(
      '3 replicas on a healthy swarm',
      [...cluster(1, 2), 'docker service create --name web --replicas 3 nginx:1.25'],
      (s) => keepsR(s, 3),
    ),
    condition(
      'a worker is cut off by a partition: its container keeps running while a replacement starts',
      [
        ...cluster(1, 2),
        'docker service create --name web --replicas 3 nginx:1.25',
        'partition worker-2 | manager-1 worker-1',
        'wait 20s',
      ],
      (s) => {
        const r = keepsR(s, 3);
        const old = runningOn(s.final, 'web', 'worker-2');
        return judged(
          r.holds,
          `${r.because}; ${old.map((t) => taskText(s.final, t)).join(', ')} still runs behind the partition (desired ${old[0]?.desired}), its slot already refilled`,
        );
      },
      all(ran('web', 3), tried('partition')),
    ),
  ),

  'replicated-many-per-node': cases(
    typical(
      '3 replicas on a one-node swarm',
      [INIT, 'docker service create --name web --replicas 3 nginx:1.25'],
      (s) => {
        const n = runningOn(s.final, 'web', 'manager-1').length;
        return judged(n === 3, `manager-1 runs ${n} tasks of web`);
      },
    ),
  ),

  'task-is-container': cases(
    typical(
      'a service whose constraint no node meets',
      [INIT, 'docker service create --name web --constraint node.labels.disk==ssd nginx:1.25'],
      (s) => {
        const t = tasksOf(s.final, 'web')[0];
        return judged(
          isRunning(t),
          `task ${taskText(s.final, t)} exists with no container ("${t.err}"): a task is a record, not a container`,
        );
      },
      created('web'),
    ),
  ),

  'task-never-moves': cases(
    typical(
      'a container fails',
      [...cluster(1, 1), 'docker service create --name web --replicas 2 nginx:1.25', 'exit web.2 1'],
      (s) => ranOrFailed(s),
    ),
    condition(
      'its node is drained',
      [
        ...cluster(1, 1),
        'docker service create --name web --replicas 2 nginx:1.25',
        'docker node update --availability drain worker-1',
      ],
      ranOrFailed,
      setTo('worker-1', 'drain', 'web'),
    ),
  ),

  'task-lifecycle-assigned-prepared-running': cases(
    typical('a task starts', [INIT, 'docker service create --name web nginx:1.25'], (s) => {
      const t = tasksOf(s.final, 'web')[0];
      const p = pathOf(s, t.id);
      const ok = inOrder(p, ['assigned', 'preparing', 'running']);
      return judged(ok, `${t.id} went ${p.join(' → ')}`);
    }),
    condition(
      "no node meets the task's constraint",
      [INIT, 'docker service create --name web --constraint node.labels.disk==ssd nginx:1.25'],
      (s) => {
        const t = tasksOf(s.final, 'web')[0];
        const p = pathOf(s, t.id);
        return judged(
          inOrder(p, ['assigned', 'preparing', 'running']),
          `${t.id} went ${p.join(' → ')} and stays there ("${t.err}"): it is never assigned`,
        );
      },
      created('web'),
    ),
  ),

  'failed-task-restarts-in-place': cases(
    typical(
      'a container exits with code 1',
      [INIT, 'docker service create --name web nginx:1.25', 'exit web.1 1'],
      (s) => {
        const [first, ...rest] = slotTasks(s.final, 'web', 1);
        const next = rest[0];
        return judged(
          rest.length === 0 && isRunning(first),
          `slot 1 now has ${rest.length + 1} tasks: the failed ${taskText(s.final, first)} is kept as history; the ${creatorOf(s, next?.id ?? '')} supervisor created a new task ${next ? taskText(s.final, next) : ''}${next?.delayed ? `, which waits for the restart delay (5 s) before it starts` : ''}`,
        );
      },
      tried('exit web.1'),
    ),
  ),

  'history-five-plus-current': cases(
    typical(
      'a slot fails 5 times (default --task-history-limit 5)',
      [
        INIT,
        'docker service create --name web --restart-delay 1s nginx:1.25',
        ...Array.from({ length: 4 }, () => ['exit web.1 1', 'wait 2s']).flat(),
        'exit web.1 1',
      ],
      (s) => {
        const ts = slotTasks(s.final, 'web', 1);
        const created = [...everyTask(s).values()].filter((t) => t.slot === 1).length;
        return judged(
          ts.length === 6,
          `${created} tasks were created for slot 1; the reaper keeps ${ts.length}: the current one (${ts.at(-1)!.id}) and ${ts.length - 1} old ones`,
        );
      },
      (s) =>
        need(
          [...everyTask(s).values()].filter((t) => t.slot === 1).length >= 6,
          'slot 1 had fewer than 6 tasks: the limit never applied',
        ),
    ),
  ),

  'replicas-create-exact-per-scale': cases(
    typical(
      'scale to 4 on 2 workers (manager drained)',
      [
        'docker swarm init --hostname manager-1 --availability drain',
        worker(1),
        worker(2),
        'docker service create --name web --replicas 2 nginx:1.25',
        'docker service scale web=4',
      ],
      (s) => {
        const n = runningCount(s.final, 'web');
        const onWorkers = s.final.nodes
          .filter((x) => x.role === 'worker')
          .reduce((a, x) => a + runningOn(s.final, 'web', x.hostname).length, 0);
        return judged(
          n === 4 && onWorkers === 4,
          `4 replicas asked, ${n} running, ${onWorkers} on workers (${spreadText(s.final, 'web')})`,
        );
      },
    ),
    condition(
      '2 replicas with --replicas-max-per-node 1 on a one-node swarm',
      [INIT, 'docker service create --name web --replicas 2 --replicas-max-per-node 1 nginx:1.25'],
      (s) => {
        const n = runningCount(s.final, 'web');
        const p = tasksOf(s.final, 'web').find((t) => t.observed === 'pending');
        return judged(
          n === 2,
          `2 replicas asked, ${n} running; ${p ? `${taskText(s.final, p)}: "${p.err}"` : ''}`,
        );
      },
      created('web'),
    ),
  ),

  'controller-enforces-desired-state': cases(
    typical(
      'a container fails and Swarm replaces it',
      [INIT, 'docker service create --name web nginx:1.25', 'exit web.1 1'],
      (s) => {
        const t = slotTasks(s.final, 'web', 1).at(-1)!;
        const actors = new Set(s.records.flatMap((r) => r.events.map((e) => e.actor)));
        return judged(
          actors.has('controller'),
          `the replacement ${t.id} was created by the ${creatorOf(s, t.id)} supervisor; the manager-side actors were ${[...actors].filter((a) => !['user', 'docker', 'agent', 'fault', 'clock'].includes(a)).join(', ')}: no "controller"`,
        );
      },
      (s) => need(slotTasks(s.final, 'web', 1).length > 1, 'nothing was replaced'),
    ),
  ),

  'service-status-pending-stopped': cases(
    typical(
      'a service whose task cannot be placed',
      [INIT, 'docker service create --name web --constraint node.labels.disk==ssd nginx:1.25'],
      (s) => {
        const svc = findService(s.final, 'web')!;
        const t = tasksOf(s.final, 'web')[0];
        const st: string = svc.updateStatus?.state ?? '(none)';
        return judged(
          st === 'pending',
          `service web's only status field is its update status: ${st}; "pending" is the state of its task ${taskText(s.final, t)}`,
        );
      },
      created('web'),
    ),
  ),

  'global-with-replicas': cases(
    typical(
      'the command from the notes',
      ['docker service create --name m-web --replicas 3 --mode global alpine top'],
      (s) => {
        const svc = findService(s.final, 'm-web');
        return judged(
          svc?.spec.mode === 'global',
          `the docker CLI refuses it before it reaches the swarm: "${refused(s)?.replace(/^[^:]+:\d+:\d+: /, '')}"`,
        );
      },
      (s) => need(/service create .*--mode global/.test(s.text), 'the command is not there'),
    ),
  ),

  'scale-down-removes-newest': cases(
    typical(
      'scale 3 → 2 when the newest task is alone on its node',
      [
        'docker swarm init --hostname manager-1 --availability drain',
        worker(1),
        'docker service create --name web --replicas 2 nginx:1.25',
        worker(2),
        'docker service scale web=3',
        'docker service scale web=2',
      ],
      (s) => {
        const before = lineOf(s, 'docker service scale web=3').state;
        const newest = tasksOf(before, 'web').at(-1)!;
        const gone = tasksOf(before, 'web').filter(
          (t) => !tasksOf(s.final, 'web').some((x) => x.id === t.id && isRunning(x)),
        );
        const still = tasksOf(s.final, 'web').find((t) => t.id === newest.id);
        return judged(
          !still || !isRunning(still),
          `the newest task ${taskText(before, newest)} still runs; removed instead: ${gone.map((t) => `${t.id} on ${hostOf(s.final, t.nodeId)} (the node with the most replicas)`).join(', ')}`,
        );
      },
      all(tried('docker service scale web=3'), (s) =>
        need(findService(s.final, 'web')?.spec.replicas === 2, 'web was not scaled down to 2'),
      ),
    ),
  ),
};

/**
 * The tasks running before the last line stayed on their node and now either still run or failed
 * (what "it can only run on the assigned node or fail" allows).
 */
function ranOrFailed(s: Story) {
  const before = s.states.at(-2)!;
  const placed = tasksOf(before, 'web').filter(isRunning);
  const now = placed.map((t) => s.final.tasks.find((x) => x.id === t.id)!);
  const moved = now.filter((t, i) => t.nodeId !== placed[i].nodeId);
  const other = now.filter((t) => t.observed !== 'running' && t.observed !== 'failed');
  return judged(
    moved.length === 0 && other.length === 0,
    moved.length > 0
      ? `${moved.map((t) => t.id).join(', ')} changed node`
      : other.length === 0
        ? `every task stayed on its node and either runs or failed (${now.map((t) => taskText(s.final, t)).join('; ')})`
        : `no task changed node, but ${other.map((t) => taskText(s.final, t)).join(', ')} ended neither running nor failed`,
  );
}

function inOrder(path: string[], wanted: string[]): boolean {
  let i = 0;
  for (const p of path) if (p === wanted[i]) i++;
  return i === wanted.length;
}
