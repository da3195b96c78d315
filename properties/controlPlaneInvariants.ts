/**
 * Control-plane safety at the cluster level, stated without trusting the gate's own `raft.leader`: the
 * majority is recomputed from the machines (up, not left, partition group) and the voter list.
 * - write-needs-majority: a docker command that goes through the control API (every one but the
 *   daemon-local `swarm init` and `swarm leave`) succeeds only while some partition group holds a running
 *   majority (⌊N/2⌋+1) of the Raft voters: it must be committed by Raft first
 *   (moby/swarmkit:manager/state/raft/raft.go (ProposeValue); quorum/majority.go (VoteResult)).
 * - no-majority-freezes-tasks: while no group holds a running majority, no task is created or deleted and
 *   no task changes node or desired state: the orchestrators, scheduler and dispatcher are leader-only
 *   (moby/swarmkit:manager/manager.go (becomeLeader)) and the workers keep running what they have
 *   (raft notes §2.3). `swarm init --force-new-cluster` is the one way out and is exempt.
 */
import type { State } from '../model/index.ts';
import type { ActiveInvariant } from './invariants.ts';

/** Some partition group holds ⌊N/2⌋+1 running voters (N counts every voter, up or down). */
export function runningMajority(s: State): boolean {
  const n = s.raft.voters.length;
  if (n === 0) return false;
  const need = Math.floor(n / 2) + 1;
  const perGroup = new Map<number, number>();
  for (const v of s.raft.voters) {
    const node = s.nodes.find((x) => x.id === v);
    if (!node?.up || node.left) continue;
    const k = (perGroup.get(node.group) ?? 0) + 1;
    if (k >= need) return true;
    perGroup.set(node.group, k);
  }
  return false;
}

export const CONTROL_PLANE_INVARIANTS: ActiveInvariant[] = [
  {
    name: 'write-needs-majority',
    status: 'active',
    rule: 'a docker command through the control API (writes, and reads, which the leader serves) succeeds only while a partition holds a running majority of the Raft voters',
    source:
      'moby/swarmkit:manager/state/raft/raft.go (ProposeValue, LeaderConn); vendor/go.etcd.io/raft/v3/quorum/majority.go',
    check(prev, a) {
      if (a.actor !== 'user') return null;
      const k = a.command.kind;
      if (k === 'swarm.init' || k === 'swarm.leave' || !prev.initialized) return null;
      if (runningMajority(prev)) return null;
      const up = prev.raft.voters.filter((v) => prev.nodes.some((n) => n.id === v && n.up && !n.left));
      return `docker ${k} succeeded with ${up.length} of ${prev.raft.voters.length} managers running and no partition holding ${Math.floor(prev.raft.voters.length / 2) + 1}`;
    },
  },
  {
    name: 'no-majority-freezes-tasks',
    status: 'active',
    rule: 'without a running majority of managers no task is created, deleted, moved to another node or given a new desired state',
    source: 'moby/swarmkit:manager/manager.go (becomeLeader); raft notes §2.3',
    check(prev, a, next) {
      if (prev.tasks === next.tasks || !prev.initialized || runningMajority(prev)) return null;
      if (a.actor === 'user' && a.command.kind === 'swarm.init') return null;
      const before = new Map(prev.tasks.map((t) => [t.id, t]));
      for (const t of next.tasks) {
        const p = before.get(t.id);
        if (!p) return `${a.actor} created task ${t.id} with no majority of managers running`;
        if (p.nodeId !== t.nodeId)
          return `${a.actor} moved task ${t.id} from node ${p.nodeId || '-'} to ${t.nodeId} with no majority of managers running`;
        if (p.desired !== t.desired)
          return `${a.actor} set task ${t.id} desired ${p.desired} → ${t.desired} with no majority of managers running`;
      }
      if (next.tasks.length < prev.tasks.length)
        return `${a.actor} deleted a task with no majority of managers running`;
      return null;
    },
  },
];
