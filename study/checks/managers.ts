/**
 * Checks for the claims about managers, Raft and quorum (study/claims.ts, topic `managers`).
 * Quorum arithmetic is computed by model/raft's quorum table (every fault set of each size); the
 * docker scenarios illustrate the same fact on the cluster model and are checked with it.
 */
import { findNode, findService } from '../../model/index.ts';
import { majority } from '../../model/raft/quorum.ts';
import type { Check } from '../check.ts';
import { electionByLastEntry, QUORUM_REPLAY, quorum, tolerance } from '../raftFacts.ts';
import { lineOf, runningCount, type Story, spreadText, tasksOf } from '../story.ts';
import {
  all,
  cases,
  cluster,
  condition,
  INIT,
  judged,
  leaderless,
  managersDown,
  managerUp,
  need,
  raft,
  ran,
  tried,
  typical,
} from './dsl.ts';

const outcome = (s: Story, prefix: string) => {
  const r = lineOf(s, prefix).record;
  return r.outcome === 'ok' ? 'accepted' : `refused: "${r.message}"`;
};
const leaderName = (s: Story) => findNode(s.final, s.final.raft.leader)?.hostname ?? '(none)';
const managersUp = (s: Story) => s.final.nodes.filter((n) => n.role === 'manager' && n.up).length;
const managers = (s: Story) => s.final.nodes.filter((n) => n.role === 'manager').length;

/** The 3-managers + 1-worker swarm with a service pinned to the worker. */
const SWARM_3_1 = [
  ...cluster(3, 1),
  'docker service create --name web --replicas 2 --constraint node.role==worker nginx:1.25',
];

const qMethod = (ns: number[]) =>
  `quorum table rows N = ${ns.join(', ')} (model/raft/quorumTable.ts): every set of f managers crashed or cut off, a client write attempted`;

/** Tolerance as the quorum table computed it, in words. */
const tolText = (ns: number[]) =>
  ns
    .map((n) => `${n} manager${n > 1 ? 's' : ''}: majority ${quorum(n).majority}, tolerate ${tolerance(n)}`)
    .join('; ');

export const managerChecks: Record<string, Check> = {
  'all-managers-agree': cases(
    raft('typical', {
      title: 'three managers: how many must store a write before it commits',
      method: qMethod([3]),
      replay: QUORUM_REPLAY,
      holds: () => judged(quorum(3).majority === 3, `${tolText([3])}: a write commits on 2 of 3`),
      illustration: {
        scenario: [...cluster(3, 0), 'crash manager-3', 'docker service create --name web nginx:1.25'].join(
          '\n',
        ),
        holds: (s) =>
          judged(
            lineOf(s, 'docker service create').record.outcome === 'error',
            `with manager-3 down, the create is ${outcome(s, 'docker service create')}`,
          ),
        premise: managersDown(1),
      },
    }),
  ),

  'one-leader': cases(
    typical(
      'three managers; the leader crashes',
      [...cluster(3, 0), 'docker node ls', 'crash manager-1', 'docker node ls'],
      (s) => {
        const leaders = s.states.map((st) => (st.raft.leader ? 1 : 0));
        return judged(
          s.final.raft.leader !== '' && leaders.every((n) => n <= 1),
          `one leader at every step (now ${leaderName(s)}, term ${s.final.raft.term}); the other managers are followers (Reachable)`,
        );
      },
    ),
  ),

  'majority-decides': cases(
    raft('typical', {
      title: 'three managers lose one, then two',
      method: qMethod([3]),
      replay: QUORUM_REPLAY,
      holds: () => {
        const r = quorum(3);
        const two = r.byFaults.find((x) => x.f === 2);
        return judged(
          r.tolerance === 1 && two?.noneCommitted === true,
          `${tolText([3])}; with 2 of 3 lost, no write committed in any schedule`,
        );
      },
      illustration: {
        scenario: [...SWARM_3_1, 'crash manager-1', 'crash manager-2', 'docker service scale web=3'].join(
          '\n',
        ),
        holds: (s) =>
          judged(
            lineOf(s, 'docker service scale').record.outcome === 'error',
            `1 of 3 managers up: the scale is ${outcome(s, 'docker service scale')}`,
          ),
      },
    }),
  ),

  'quorum-preserves-state': cases(
    typical('three managers lose one', [...SWARM_3_1, 'crash manager-3', 'docker service ps web'], (s) =>
      judged(
        findService(s.final, 'web') !== undefined &&
          lineOf(s, 'docker service ps web').record.outcome === 'ok',
        `leader ${leaderName(s)}; service web is there with ${runningCount(s.final, 'web')} running replicas`,
      ),
    ),
    condition(
      'three managers lose two: is the state lost?',
      [
        ...SWARM_3_1,
        'crash manager-2',
        'crash manager-3',
        'docker node ls',
        'docker swarm init --hostname manager-1 --force-new-cluster',
        'docker service ps web',
      ],
      (s) => {
        const lost = findService(s.final, 'web') === undefined;
        return judged(
          lost,
          `without quorum \`docker node ls\` was ${outcome(s, 'docker node ls')}, but nothing was lost: after --force-new-cluster, web is back with ${tasksOf(s.final, 'web').length} tasks (${spreadText(s.final, 'web')})`,
        );
      },
      all(leaderless, ran('web'), tried('docker swarm init --hostname manager-1 --force-new-cluster')),
    ),
  ),

  'vote-latest-committed': cases(
    raft('typical', {
      title: 'the leader crashes after committing a write',
      method: 'model/raft: one scripted schedule of three managers (study/raftFacts.ts, electionByLastEntry)',
      replay: 'npx swarm-model study --claim vote-latest-committed',
      holds: () => {
        const r = electionByLastEntry();
        const committed = Math.max(...r.state.members.map((m) => m.commitIndex));
        const w = r.state.members.find((m) => m.id === r.winner);
        return {
          ...judged(
            w !== undefined && w.log.length >= committed,
            `the new leader ${r.winner} holds all ${committed} committed entries (its log has ${w?.log.length})`,
          ),
          trace: r.log,
        };
      },
    }),
    raft('condition', {
      title: 'the voter knows more is committed than the candidate does',
      method: 'model/raft: one scripted schedule of three managers (study/raftFacts.ts, electionByLastEntry)',
      replay: 'npx swarm-model study --claim vote-latest-committed',
      holds: () => {
        const r = electionByLastEntry();
        return {
          ...judged(
            r.commitB >= r.commitA,
            `${r.winner} won knowing only ${r.commitB} committed entries, with the vote of ${r.voter}, which knew ${r.commitA}: a vote compares last log entries (term, then index), not what is known to be committed`,
          ),
          trace: r.log,
        };
      },
    }),
  ),

  'control-plane-everywhere': cases(
    typical(
      'two of three managers crash; a task fails on the worker',
      [...SWARM_3_1, 'crash manager-1', 'crash manager-2', 'exit web.1 1'],
      (s) => {
        const slot1 = tasksOf(s.final, 'web').filter((t) => t.slot === 1);
        return judged(
          slot1.length > 1,
          `manager-3 is up but, without a majority, not leader. web.1's container failed on worker-1, yet the store still says ${slot1[0].observed} (no leader to receive the agent's report) and slot 1 has ${slot1.length} task: no replacement. With a leader, the restart supervisor would have created one at once; only the leader runs the orchestrators`,
        );
      },
      all(leaderless, managerUp, ran('web'), tried('exit web.1')),
    ),
  ),

  'leader-conducts-orchestration': cases(
    typical(
      'the leader crashes; a task fails',
      [...SWARM_3_1, 'crash manager-1', 'exit web.1 1', 'wait 10s'],
      (s) => {
        const slot1 = tasksOf(s.final, 'web').filter((t) => t.slot === 1);
        return judged(
          slot1.length === 2 && slot1[1].observed === 'running',
          `the new leader ${leaderName(s)} took over orchestration: slot 1 got a replacement (${slot1[1]?.id}, ${slot1[1]?.observed})`,
        );
      },
    ),
  ),

  'tolerance-n-minus-1-over-2': cases(
    raft('typical', {
      title: '1 to 7 managers',
      method: qMethod([1, 2, 3, 4, 5, 6, 7]),
      replay: QUORUM_REPLAY,
      holds: () => {
        const ns = [1, 2, 3, 4, 5, 6, 7];
        return judged(
          ns.every((n) => tolerance(n) === Math.floor((n - 1) / 2)),
          tolText(ns),
        );
      },
    }),
  ),

  'max-seven-managers': cases(
    typical(
      'eight managers join',
      [...cluster(8, 0), 'docker node ls'],
      (s) =>
        judged(
          managers(s) <= 7,
          `all ${managers(s)} joined as managers (leader ${leaderName(s)}); the quorum table gives ${tolText([9])}`,
        ),
      (s) => need(managers(s) > 7, 'no more than 7 managers tried'),
    ),
  ),

  'three-nodes-minimum-ha': cases(
    raft('typical', {
      title: '1, 2 and 3 managers',
      method: qMethod([1, 2, 3]),
      replay: QUORUM_REPLAY,
      holds: () => judged(tolerance(1) === 0 && tolerance(2) === 0 && tolerance(3) === 1, tolText([1, 2, 3])),
    }),
  ),

  'even-managers-add-tolerance': cases(
    raft('typical', {
      title: 'three and four managers',
      method: qMethod([3, 4]),
      replay: QUORUM_REPLAY,
      holds: () => judged(tolerance(4) > tolerance(3), tolText([3, 4])),
      illustration: {
        scenario: [
          ...cluster(4, 0),
          'crash manager-3',
          'crash manager-4',
          'docker service create --name web nginx:1.25',
        ].join('\n'),
        premise: all(managersDown(2), (s) => need(managers(s) === 4, 'not 4 managers')),
        holds: (s) =>
          judged(
            lineOf(s, 'docker service create').record.outcome === 'ok',
            `2 of 4 managers up (majority ${majority(4)}): the create is ${outcome(s, 'docker service create')}`,
          ),
      },
    }),
  ),

  'two-managers-survive-one': cases(
    raft('typical', {
      title: 'two managers',
      method: qMethod([1, 2]),
      replay: QUORUM_REPLAY,
      holds: () => judged(tolerance(2) >= 1, tolText([1, 2])),
      illustration: {
        scenario: [...cluster(2, 0), 'crash manager-2', 'docker service create --name web nginx:1.25'].join(
          '\n',
        ),
        holds: (s) =>
          judged(
            lineOf(s, 'docker service create').record.outcome === 'ok',
            `manager-1 is up, manager-2 down: the create is ${outcome(s, 'docker service create')}`,
          ),
        premise: managersDown(1),
      },
    }),
  ),

  'quorum-loss-stops-containers': cases(
    typical(
      'two of three managers crash',
      [...SWARM_3_1, 'crash manager-1', 'crash manager-2'],
      (s) =>
        judged(
          runningCount(s.final, 'web') === 0,
          `no leader (${managersUp(s)} of 3 managers up), yet ${runningCount(s.final, 'web')} web tasks still run on worker-1: agents keep running what they have`,
        ),
      all(leaderless, managerUp, ran('web')),
    ),
  ),

  'reads-work-without-quorum': cases(
    typical(
      'two of three managers crash; list the nodes',
      [...cluster(3, 0), 'crash manager-1', 'crash manager-2', 'docker node ls'],
      (s) =>
        judged(
          lineOf(s, 'docker node ls').record.outcome === 'ok',
          `docker node ls is ${outcome(s, 'docker node ls')}`,
        ),
      all(leaderless, managerUp),
    ),
  ),

  'demote-last-manager': cases(
    typical(
      'a one-manager swarm',
      [INIT, 'docker node demote manager-1'],
      (s) =>
        judged(
          lineOf(s, 'docker node demote').record.outcome === 'ok',
          `the demotion is ${outcome(s, 'docker node demote')}`,
        ),
      (s) => need(s.final.initialized, 'no swarm'),
    ),
  ),

  'partitioned-leader-stays': cases(
    typical(
      'the leader is cut off from the other managers',
      [...cluster(3, 0), 'partition manager-1 | manager-2 manager-3', 'docker node ls'],
      (s) =>
        judged(
          s.final.raft.leader === findNode(s.final, 'manager-1')!.id,
          `manager-1 (up, cut off) is no longer leader; the majority side elected ${leaderName(s)}`,
        ),
    ),
  ),

  'node-id-once': cases(
    typical(
      'a worker is removed and joins again',
      [
        ...cluster(1, 1),
        'crash worker-1',
        'wait 20s',
        'docker node rm worker-1',
        'docker swarm join --hostname worker-1 --token worker',
        'docker node ls',
      ],
      (s) => {
        const before = findNode(lineOf(s, 'wait').state, 'worker-1')!.id;
        const after = findNode(s.final, 'worker-1')!.id;
        return judged(
          before !== after,
          `worker-1 was ${before}; joining again it got a new node ID, ${after}`,
        );
      },
    ),
  ),

  'quorum-loss-workers-carry-on': cases(
    typical(
      'two of three managers crash; try to scale',
      [...SWARM_3_1, 'crash manager-1', 'crash manager-2', 'docker service scale web=3'],
      (s) =>
        judged(
          runningCount(s.final, 'web') === 2 && lineOf(s, 'docker service scale').record.outcome === 'error',
          `${runningCount(s.final, 'web')} tasks carry on; the scale is ${outcome(s, 'docker service scale')}`,
        ),
    ),
    condition(
      'the same, but only read: docker service ps web',
      [...SWARM_3_1, 'crash manager-1', 'crash manager-2', 'docker service ps web'],
      (s) =>
        judged(
          lineOf(s, 'docker service ps web').record.outcome === 'ok',
          `even the read-only docker service ps web is ${outcome(s, 'docker service ps web')}`,
        ),
      all(leaderless, managerUp, ran('web')),
    ),
  ),

  'odd-managers-at-most-five': cases(
    raft('typical', {
      title: '3 and 5 managers',
      method: qMethod([3, 5]),
      replay: QUORUM_REPLAY,
      holds: () => judged(tolerance(3) === 1 && tolerance(5) === 2, tolText([3, 5])),
    }),
    raft('condition', {
      title: 'even sizes, and more than 5',
      method: qMethod([4, 6, 7]),
      replay: QUORUM_REPLAY,
      holds: () =>
        judged(
          tolerance(7) <= tolerance(5),
          `${tolText([4, 6, 7])}: ⌊(N−1)/2⌋ for even N too, and 7 managers tolerate more than 5`,
        ),
      illustration: {
        scenario: [
          ...cluster(7, 0),
          'crash manager-5',
          'crash manager-6',
          'crash manager-7',
          'docker service create --name web nginx:1.25',
        ].join('\n'),
        holds: (s) =>
          judged(
            lineOf(s, 'docker service create').record.outcome !== 'ok',
            `7 managers, 3 down: the create is ${outcome(s, 'docker service create')}`,
          ),
        premise: managersDown(3),
      },
    }),
  ),
};
