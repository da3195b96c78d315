/**
 * Drills in the style of the DCA exam's DOMC questions: a situation, then statements to answer yes or
 * no one by one. Every answer and explanation is read from the model after running the situation (and,
 * for "can you …?" statements, after trying the command): nothing is hard-coded.
 *
 * Situations are drawn from templates by a seeded generator (mulberry32), so `--seed N` always gives
 * the same drills.
 */
import { findNode, findService } from '../model/index.ts';
import {
  continueStory,
  isRunning,
  lineOf,
  runningCount,
  runningOn,
  type Story,
  tasksOf,
  tell,
} from './story.ts';

export interface Statement {
  question: string;
  answer: boolean;
  explanation: string;
}

export interface Drill {
  id: string;
  title: string;
  /** What the learner is told, in words. */
  situation: string;
  /** The same situation as a scenario (docker commands, faults, time). */
  scenario: string;
  statements: Statement[];
}

type Rnd = () => number;

function mulberry32(seed: number): Rnd {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rnd: Rnd, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const int = (rnd: Rnd, lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));

/** A statement answered by trying a command on top of the situation. */
function tryCommand(base: Story, command: string): { ok: boolean; message: string; story: Story } {
  const story = continueStory(base, command);
  const r = lineOf(story, command).record;
  return { ok: r.outcome === 'ok', message: r.message, story };
}

const majorityOf = (n: number) => Math.floor(n / 2) + 1;

// ---- templates -------------------------------------------------------------------------------

function quorumDrill(rnd: Rnd): Drill {
  const m = pick(rnd, [3, 4, 5, 7]);
  const down = int(rnd, 1, Math.ceil(m / 2));
  const workers = 3;
  const drained = int(rnd, 1, workers);
  const drainFirst = rnd() < 0.5;
  const lines = ['docker swarm init --hostname manager-1'];
  for (let i = 2; i <= m; i++) lines.push(`docker swarm join --hostname manager-${i} --token manager`);
  for (let i = 1; i <= workers; i++) lines.push(`docker swarm join --hostname worker-${i} --token worker`);
  lines.push('docker service create --name web --replicas 3 --constraint node.role==worker nginx:1.25');
  const crashes = Array.from({ length: down }, (_, i) => `crash manager-${m - i}`);
  const drain = `docker node update --availability drain worker-${drained}`;
  if (drainFirst) lines.push(drain, ...crashes);
  else lines.push(...crashes, drain);
  const story = tell(lines.join('\n'));
  const up = m - down;
  const hasLeader = story.final.raft.leader !== '';
  const quorumWords = `${up} of ${m} managers are up and a majority is ${majorityOf(m)}, so there is ${hasLeader ? `a leader (${findNode(story.final, story.final.raft.leader)?.hostname})` : 'no leader'}`;
  const create = tryCommand(story, 'docker service create --name probe nginx:1.25');
  const ls = tryCommand(story, 'docker node ls');
  const drainRec = lineOf(story, drain).record;
  const onDrained = runningOn(story.final, 'web', `worker-${drained}`);
  const before =
    story.states[
      lines.indexOf('docker service create --name web --replicas 3 --constraint node.role==worker nginx:1.25')
    ];
  const hadTasks = runningOn(before, 'web', `worker-${drained}`).length;
  return {
    id: `quorum-${m}-${down}-${drained}-${drainFirst ? 'd' : 'c'}`,
    title: `${m} managers, ${down} down, worker-${drained} drained`,
    situation: `A swarm of ${m} managers and ${workers} workers runs web (3 replicas, on workers only). ${drainFirst ? `worker-${drained} is drained, then ${down} manager(s) crash.` : `${down} manager(s) crash, then someone runs \`${drain}\`.`}`,
    scenario: lines.join('\n'),
    statements: [
      {
        question: 'Can you create a new service now?',
        answer: create.ok,
        explanation: `${quorumWords}; \`docker service create\` is ${create.ok ? 'accepted' : `refused: "${create.message}"`}.`,
      },
      {
        question: `Do web's tasks on worker-${drained} keep running?`,
        answer: onDrained.length > 0,
        explanation:
          hadTasks === 0
            ? `worker-${drained} had no web task to begin with.`
            : drainRec.outcome === 'ok'
              ? `The drain was accepted (a leader was there): worker-${drained}'s ${hadTasks} task(s) were shut down; ${runningCount(story.final, 'web')} web tasks run elsewhere.`
              : `The drain was refused ("${drainRec.message}"), so nothing changed: worker-${drained} still runs ${onDrained.length} web task(s); agents keep running what they have without a leader.`,
      },
      {
        question: 'Does `docker node ls` work?',
        answer: ls.ok,
        explanation: ls.ok
          ? `There is a leader to answer it (${quorumWords}).`
          : `Every control API call, reads included, goes to the leader: ${quorumWords}.`,
      },
    ],
  };
}

function restartDrill(rnd: Rnd): Drill {
  const cond = pick(rnd, ['any', 'on-failure', 'none'] as const);
  const code = pick(rnd, [0, 1]);
  const lines = [
    'docker swarm init --hostname manager-1',
    'docker swarm join --hostname worker-1 --token worker',
    `docker service create --name web --replicas 2 --restart-condition ${cond} nginx:1.25`,
    `exit web.1 ${code}`,
    'wait 10s',
  ];
  const story = tell(lines.join('\n'));
  const slot = tasksOf(story.final, 'web').filter((t) => t.slot === 1);
  const first = slot[0];
  const cur = slot.at(-1)!;
  const replaced = slot.length > 1 && isRunning(cur);
  const ps = tasksOf(story.final, 'web').length;
  return {
    id: `restart-${cond}-${code}`,
    title: `--restart-condition ${cond}, a container exits with code ${code}`,
    situation: `web has 2 replicas with --restart-condition ${cond}. The container of web.1 exits with code ${code}; 10 seconds pass.`,
    scenario: lines.join('\n'),
    statements: [
      {
        question: 'Is slot web.1 running again?',
        answer: replaced,
        explanation: replaced
          ? `The restart supervisor created a new task ${cur.id} for slot 1 (condition ${cond}, exit ${code}); it runs after the 5 s default delay.`
          : `Condition ${cond} with exit code ${code} forbids a restart: slot 1 keeps its ${first.observed} task ${first.id} and the service runs ${runningCount(story.final, 'web')}/2.`,
      },
      {
        question: 'Was the same task restarted (same task ID)?',
        answer: slot.length === 1 && isRunning(first),
        explanation: `A task is never restarted: ${slot.length > 1 ? `the old task ${first.id} stays as history (${first.observed}) and ${cur.id} is a new one` : `${first.id} stays ${first.observed}`}.`,
      },
      {
        question: 'Does `docker service ps web` still list the exited task?',
        answer: story.final.tasks.some((t) => t.id === first.id),
        explanation: `${ps} tasks are listed: ended tasks are kept as history (up to --task-history-limit 5 per slot, the current one included).`,
      },
    ],
  };
}

function availabilityDrill(rnd: Rnd): Drill {
  const av = pick(rnd, ['pause', 'drain', 'active'] as const);
  const scaleTo = int(rnd, 4, 6);
  const lines = [
    'docker swarm init --hostname manager-1',
    'docker swarm join --hostname worker-1 --token worker',
    'docker swarm join --hostname worker-2 --token worker',
    'docker service create --name agent --mode global busybox',
    'docker service create --name web --replicas 3 nginx:1.25',
    `docker node update --availability ${av} worker-1`,
    `docker service scale web=${scaleTo}`,
  ];
  const story = tell(lines.join('\n'));
  const before = story.states[4];
  const oldWeb = runningOn(before, 'web', 'worker-1');
  const nowWeb = runningOn(story.final, 'web', 'worker-1');
  const newOnW1 = nowWeb.filter((t) => !oldWeb.some((o) => o.id === t.id));
  const keeps = oldWeb.length > 0 && oldWeb.every((t) => nowWeb.some((x) => x.id === t.id));
  const agent = runningOn(story.final, 'agent', 'worker-1');
  return {
    id: `availability-${av}-${scaleTo}`,
    title:
      av === 'active'
        ? `worker-1 updated to active (it already was), web scaled to ${scaleTo}`
        : `worker-1 set to ${av}, web scaled to ${scaleTo}`,
    situation: `Three nodes run a global service agent and web (3 replicas). worker-1's availability is set to ${av}${av === 'active' ? ', which it already was, so the update changes nothing' : ''}, then web is scaled to ${scaleTo}.`,
    scenario: lines.join('\n'),
    statements: [
      {
        question: 'Does worker-1 still run its old web task?',
        answer: keeps,
        explanation:
          av === 'drain'
            ? `Drain shuts down every task on the node (${oldWeb.map((t) => t.id).join(', ')}); replicated slots get new tasks elsewhere.`
            : `${av === 'pause' ? 'Pause' : 'Active'} leaves running tasks alone: ${oldWeb.map((t) => t.id).join(', ')} still run${oldWeb.length === 1 ? 's' : ''}.`,
      },
      {
        question: `Does worker-1 get one of the new web tasks from the scale to ${scaleTo}?`,
        answer: newOnW1.length > 0,
        explanation:
          av === 'active'
            ? `Active nodes receive tasks: the scheduler spread the new ones (worker-1 got ${newOnW1.length}).`
            : `The scheduler only places on nodes that are ready and active; worker-1 is ${av === 'pause' ? 'paused' : 'drained'}: it got ${newOnW1.length}.`,
      },
      {
        question: 'Does worker-1 run a task of the global service agent?',
        answer: agent.length > 0,
        explanation:
          av === 'drain'
            ? 'A drained node runs no global task: it was shut down and not replaced anywhere.'
            : `A${av === 'pause' ? ' paused' : 'n active'} node keeps its global task${av === 'pause' ? ' (pause only stops new placements)' : ''}.`,
      },
    ],
  };
}

function nodeDownDrill(rnd: Rnd): Drill {
  const after = pick(rnd, [
    ['10s', 10_000],
    ['30s', 30_000],
    ['25h', 25 * 3600_000],
  ] as const);
  const lines = [
    'docker swarm init --hostname manager-1',
    'docker swarm join --hostname worker-1 --token worker',
    'docker service create --name web --replicas 2 nginx:1.25',
    'crash worker-1',
    `wait ${after[0]}`,
  ];
  const story = tell(lines.join('\n'));
  const w = findNode(story.final, 'worker-1')!;
  const old = runningOn(story.states[2], 'web', 'worker-1');
  const oldNow = old.map((t) => story.final.tasks.find((x) => x.id === t.id));
  const slotsOk = old.every((t) =>
    tasksOf(story.final, 'web').some((x) => x.slot === t.slot && x.nodeId !== w.id && isRunning(x)),
  );
  const orphaned = oldNow.some((t) => t === undefined || t.observed === 'orphaned');
  return {
    id: `node-down-${after[0]}`,
    title: `a worker's machine crashes; ${after[0]} later`,
    situation: `web has 2 replicas, one on worker-1. worker-1's machine crashes. ${after[0]} pass.`,
    scenario: lines.join('\n'),
    statements: [
      {
        question: 'Does `docker node ls` show worker-1 as Down?',
        answer: w.status === 'down',
        explanation: `Status is ${w.status}: the leader's dispatcher marks a node down after 3 missed heartbeats of 5 s (15 s).`,
      },
      {
        question: "Is worker-1's replica running again on another node?",
        answer: slotsOk,
        explanation: slotsOk
          ? 'Once the node is down, its tasks get desired shutdown and the restart supervisor starts replacements elsewhere after the restart delay (5 s).'
          : 'Not yet: nothing happens until the node is marked down (15 s without heartbeats), then the restart delay (5 s) applies.',
      },
      {
        question: "Are worker-1's tasks marked orphaned?",
        answer: orphaned,
        explanation: orphaned
          ? 'After 24 h down, the dispatcher marks the tasks orphaned (the reaper may then delete them).'
          : `Not yet: they keep their last reported state (${oldNow.map((t) => t?.observed).join(', ')}) until the node has been down 24 h.`,
      },
    ],
  };
}

function placementDrill(rnd: Rnd): Drill {
  const replicas = int(rnd, 3, 5);
  const maxPer = pick(rnd, [1, 2]);
  const lines = [
    'docker swarm init --hostname manager-1',
    'docker swarm join --hostname worker-1 --token worker',
    `docker service create --name web --replicas ${replicas} --replicas-max-per-node ${maxPer} nginx:1.25`,
  ];
  const story = tell(lines.join('\n'));
  const running = runningCount(story.final, 'web');
  const pending = tasksOf(story.final, 'web').filter((t) => t.observed === 'pending');
  const svc = findService(story.final, 'web');
  return {
    id: `placement-${replicas}-${maxPer}`,
    title: `${replicas} replicas, at most ${maxPer} per node, 2 nodes`,
    situation: `A two-node swarm (manager-1, worker-1). \`docker service create --replicas ${replicas} --replicas-max-per-node ${maxPer}\`.`,
    scenario: lines.join('\n'),
    statements: [
      {
        question: 'Is the service created?',
        answer: svc !== undefined,
        explanation:
          'Placement limits are not checked at creation: the service is accepted and the scheduler does what it can.',
      },
      {
        question: `Are all ${replicas} replicas running?`,
        answer: running === replicas,
        explanation: `${running} run (2 nodes × ${maxPer}); ${pending.length} stay pending${pending[0] ? ` with "${pending[0].err}"` : ''}.`,
      },
      {
        question: 'Does a manager run any of them?',
        answer: runningOn(story.final, 'web', 'manager-1').length > 0,
        explanation: 'Managers are workers too unless drained: manager-1 is active and gets its share.',
      },
    ],
  };
}

const TEMPLATES = [quorumDrill, restartDrill, availabilityDrill, nodeDownDrill, placementDrill];

/** `count` drills for a seed: the first ones cycle through every template, in an order the seed picks. */
export function drillsFor(seed: number, count: number): Drill[] {
  const rnd = mulberry32(seed);
  const order = TEMPLATES.map((t) => ({ t, k: rnd() }));
  order.sort((a, b) => a.k - b.k);
  const out: Drill[] = [];
  for (let i = 0; i < count; i++) out.push(order[i % order.length].t(rnd));
  return out;
}
