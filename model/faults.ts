/**
 * Faults: what the environment does to the cluster. Not SwarmKit code; each names the SwarmKit
 * reaction it provokes.
 * - crash NODE: the machine stops (daemon, agent, and a manager's Raft member). Its tasks keep their
 *   last reported state in the store; the leader notices only through missed heartbeats.
 * - restart NODE: the machine comes back; started containers are gone (model/agent.ts).
 * - partition: machines talk only inside their group (the leader's group decides who heartbeats).
 * - heal: one group again.
 * - exit TASK CODE: a running container exits (code 0 → COMPLETE, else FAILED; agent/exec/controller.go (Do)).
 * - reject TASK: the agent hits a fatal error before start (→ REJECTED).
 * Container faults need the agent's report to reach the store, so they apply to connected nodes only.
 */
import type { Action } from './actions.ts';
import { connected, revalidateLeader } from './controlplane.ts';
import { refreshLiveness } from './dispatcher.ts';
import type { State } from './state.ts';
import { rank } from './taskState.ts';
import { Tx } from './tx.ts';

const ASSIGNED = rank('assigned');
const STARTING = rank('starting');

export function faultsEnabled(s: State, out: Action[]): void {
  let partitioned = false;
  const nodes = s.nodes;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.left) continue;
    if (n.up) out.push({ actor: 'fault', kind: 'crash', node: n.id });
    else out.push({ actor: 'fault', kind: 'restart', node: n.id });
    if (n.group !== 0) partitioned = true;
    else if (nodes.length > 1) out.push({ actor: 'fault', kind: 'partition', groups: [[n.id]] });
  }
  if (partitioned) out.push({ actor: 'fault', kind: 'heal' });
  const tasks = s.tasks;
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i];
    if (t.nodeId === '' || t.containerLost) continue;
    const o = rank(t.observed);
    if (o < ASSIGNED || o > rank('running')) continue;
    const n = nodeOf(s, t.nodeId);
    if (!n || !connected(s, n)) continue;
    if (t.observed === 'running') {
      out.push({ actor: 'fault', kind: 'exit', task: t.id, code: 0 });
      out.push({ actor: 'fault', kind: 'exit', task: t.id, code: 1 });
    } else if (o < STARTING && t.desired !== 'shutdown' && t.desired !== 'remove') {
      out.push({ actor: 'fault', kind: 'reject', task: t.id });
    }
  }
}

function nodeOf(s: State, id: string) {
  for (const n of s.nodes) if (n.id === id) return n;
  return undefined;
}

export function faultStep(s: State, a: Action & { actor: 'fault' }): State | string {
  const tx = new Tx(s);
  switch (a.kind) {
    case 'crash': {
      const n = tx.node(a.node);
      if (!n?.up || n.left) return `node ${a.node} is not running`;
      tx.updateNode(n.id, { up: false });
      return world(tx.commit());
    }
    case 'restart': {
      const n = tx.node(a.node);
      if (!n || n.up || n.left) return `node ${a.node} is not crashed`;
      tx.updateNode(n.id, { up: true });
      for (const t of s.tasks) {
        if (t.nodeId !== n.id) continue;
        if (t.observed === 'starting' || t.observed === 'running')
          tx.updateTask(t.id, { containerLost: true });
      }
      return world(tx.commit());
    }
    case 'partition': {
      const group = new Map<string, number>();
      a.groups.forEach((g, i) => {
        for (const id of g) group.set(id, i + 1);
      });
      for (let i = 0; i < tx.nodes.length; i++) {
        const n = tx.nodes[i];
        const g = group.get(n.id) ?? 0;
        if (n.group !== g) tx.setNode(i, { ...n, group: g });
      }
      return world(tx.commit());
    }
    case 'heal':
      for (let i = 0; i < tx.nodes.length; i++)
        if (tx.nodes[i].group !== 0) tx.setNode(i, { ...tx.nodes[i], group: 0 });
      return world(tx.commit());
    case 'exit': {
      const t = tx.task(a.task);
      const n = t && tx.node(t.nodeId);
      if (t?.observed !== 'running' || !n || !connected(s, n))
        return `task ${a.task} is not running on a reachable node`;
      if (a.code === 0) tx.setObserved(t.id, 'complete', 'finished', { exitCode: 0 });
      else
        tx.setObserved(t.id, 'failed', 'started', {
          exitCode: a.code,
          err: `task: non-zero exit (${a.code})`,
        });
      return tx.commit();
    }
    case 'reject': {
      const t = tx.task(a.task);
      const n = t && tx.node(t.nodeId);
      if (!t || !n || !connected(s, n) || rank(t.observed) < ASSIGNED || rank(t.observed) >= STARTING)
        return `task ${a.task} cannot be rejected now`;
      tx.setObserved(t.id, 'rejected', 'rejected', { err: 'the agent could not prepare the task' });
      return tx.commit();
    }
  }
}

/** After a physical change: the gate drops a leader that lost quorum; sessions start or stop heartbeating. */
export function world(s: State): State {
  return refreshLiveness(revalidateLeader(s));
}
