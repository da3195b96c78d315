/**
 * Random runs of the whole cluster model with the message-level Raft in lockstep (model/raft/shadow.ts):
 * used by clusterGate.test.ts (agreement between the gate and the Raft) and by bench/controlPlane.ts (what
 * running the message-level Raft under the cluster costs).
 *
 * A run builds a swarm of 1–5 managers and 0–2 workers with one replicated service, then takes random
 * steps: mostly whatever `enabled` offers (components, faults: crash, restart, partition, heal, clock),
 * sometimes a docker command about managers (promote, demote, node rm, swarm leave --force, a manager
 * joining, swarm init --force-new-cluster) or a scale.
 */
import { defaultNode, defaultServiceSpec } from '../../model/defaults.ts';
import { type Action, emptyState, enabled, type State, step } from '../../model/index.ts';
import { type MirrorResult, mirror, type Shadow, shadowOf } from '../../model/raft/shadow.ts';
import type { UserCommand } from '../../model/spec.ts';
import { Rng } from './rng.ts';

export interface ClusterRunStats {
  steps: number;
  compared: { yes: number; no: number; stale: number };
  witnesses: Set<string>;
}

export interface ClusterRunOptions {
  steps: number;
  /** Run the shadow Raft (false: the cluster model alone, for the bench's baseline). */
  shadow: boolean;
  /** Random Raft steps between cluster steps. */
  drift?: number;
}

export class Disagreement extends Error {
  constructor(
    message: string,
    readonly shadow: Shadow,
  ) {
    super(message);
  }
}

export function clusterRun(seed: number, o: ClusterRunOptions, stats?: ClusterRunStats): State {
  const rng = new Rng(seed);
  const rand = () => rng.next();
  let s = emptyState();
  let sh: Shadow | null = null;
  const trace: string[] = [];
  let joined = 0;

  const apply = (a: Action): boolean => {
    const r = step(s, a);
    const line = a.actor === 'user' ? `user ${JSON.stringify(a.command)}` : `${a.actor} ${JSON.stringify(a)}`;
    if (!r.ok) {
      trace.push(`${line} → refused: ${r.error}`);
      note(a, r.error);
      return false;
    }
    trace.push(line);
    if (o.shadow) {
      let m: MirrorResult;
      if (sh === null) {
        sh = shadowOf(r.state);
        m = { shadow: sh, log: [], problem: null, compared: null };
      } else m = mirror(sh, s, a, r.state, { drift: o.drift ?? 3, rand });
      for (const l of m.log) trace.push(`    raft: ${l}`);
      if (m.problem !== null)
        throw new Disagreement(
          `seed ${seed}: ${m.problem}\n  trace (last 40 steps):\n    ${trace.slice(-40).join('\n    ')}`,
          m.shadow,
        );
      sh = m.shadow;
      if (stats && m.compared) stats.compared[m.compared]++;
    }
    if (stats) {
      stats.steps++;
      witness(s, a, r.state);
    }
    s = r.state;
    return true;
  };
  const note = (a: Action, error: string) => {
    if (!stats) return;
    if (a.actor === 'user' && error.includes('loss of quorum')) stats.witnesses.add('demote-refused-quorum');
    if (a.actor === 'user' && error.includes('last manager')) stats.witnesses.add('demote-refused-last');
    if (a.actor === 'user' && error.startsWith('The swarm does not have a leader'))
      stats.witnesses.add('command-refused-no-leader');
  };
  const witness = (prev: State, a: Action, next: State) => {
    const w = stats!.witnesses;
    const c = a.actor === 'user' ? a.command : null;
    if (c?.kind === 'node.demote' && prev.raft.leader !== '') {
      const n = prev.nodes.find((x) => x.hostname === c.node || x.id === c.node);
      if (n && n.id === prev.raft.leader) w.add('leader-demoted');
    }
    if (a.actor === 'user' && a.command.kind === 'swarm.init' && a.command.forceNewCluster)
      w.add('force-new-cluster');
    if (a.actor === 'raft' && a.kind === 'join') w.add('raft-join');
    if (a.actor === 'raft' && a.kind === 'elect' && prev.raft.term > 1) w.add('re-election');
    if (next.raft.voters.length >= 2 && next.raft.leader === '' && prev.raft.leader !== '')
      w.add('leader-lost');
  };

  const managers = 1 + rng.int(5);
  const workers = rng.int(3);
  apply({
    actor: 'user',
    kind: 'command',
    command: { kind: 'swarm.init', node: defaultNode('m1', 'manager') },
  });
  for (let i = 2; i <= managers; i++)
    apply(user({ kind: 'swarm.join', node: defaultNode(`m${i}`, 'manager') }));
  for (let i = 1; i <= workers; i++)
    apply(user({ kind: 'swarm.join', node: defaultNode(`w${i}`, 'worker') }));
  apply(user({ kind: 'service.create', spec: { ...defaultServiceSpec('web', 'nginx'), replicas: 3 } }));

  for (let i = 0; i < o.steps; i++) {
    if (rng.next() < 0.12) {
      const c = randomCommand(s, rng, () => `j${++joined}`);
      if (c) apply(user(c));
      continue;
    }
    const acts = enabled(s);
    if (acts.length === 0) break;
    apply(acts[rng.int(acts.length)]);
  }
  return s;
}

const user = (command: UserCommand): Action => ({ actor: 'user', kind: 'command', command });

function randomCommand(s: State, rng: Rng, fresh: () => string): UserCommand | null {
  const live = s.nodes.filter((n) => !n.left);
  if (live.length === 0) return null;
  const node = rng.pick(live).hostname;
  const r = rng.next();
  if (r < 0.25) return { kind: 'node.promote', node };
  if (r < 0.55) return { kind: 'node.demote', node };
  if (r < 0.65) return { kind: 'node.rm', node, force: rng.next() < 0.5 };
  if (r < 0.72) return { kind: 'swarm.leave', node, force: true };
  if (r < 0.8) return { kind: 'swarm.join', node: defaultNode(fresh(), 'manager') };
  if (r < 0.86) return { kind: 'swarm.init', node: defaultNode(node, 'manager'), forceNewCluster: true };
  if (r < 0.9) return { kind: 'node.ls' };
  return { kind: 'service.scale', scales: [{ service: 'web', replicas: rng.int(5) }] };
}
