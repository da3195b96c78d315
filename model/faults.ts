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
import { type Action, type ActionList, ByTaskPosition, LastActions } from './actions.ts';
import { connected, connectedIds, revalidateLeader, sameLinks } from './controlplane.ts';
import { refreshLiveness } from './dispatcher.ts';
import type { Node, State, Task } from './state.ts';
import { rank } from './taskState.ts';
import { mergeNode, Tx } from './tx.ts';

const ASSIGNED = rank('assigned');
const STARTING = rank('starting');
const RUNNING = rank('running');

// Fault actions are immutable values; they are interned per node/task id to keep `enabled` cheap.
const HEAL: Action = { actor: 'fault', kind: 'heal' };
const nodeFaults = new Map<string, [Action, Action, Action]>();
/** A task's container faults: while RUNNING it can exit 0 or 1; before STARTING it can be rejected. */
interface TaskFaults {
  running: readonly Action[];
  beforeStart: readonly Action[];
}
const taskFaults = new Map<string, TaskFaults>();
const NO_FAULTS: readonly Action[] = [];

function faultsOfNode(id: string): [Action, Action, Action] {
  let f = nodeFaults.get(id);
  if (f === undefined) {
    f = [
      { actor: 'fault', kind: 'crash', node: id },
      { actor: 'fault', kind: 'restart', node: id },
      { actor: 'fault', kind: 'partition', groups: [[id]] },
    ];
    if (nodeFaults.size > 100_000) nodeFaults.clear();
    nodeFaults.set(id, f);
  }
  return f;
}

function faultsOfTask(id: string): TaskFaults {
  let f = taskFaults.get(id);
  if (f === undefined) {
    f = {
      running: [
        { actor: 'fault', kind: 'exit', task: id, code: 0 },
        { actor: 'fault', kind: 'exit', task: id, code: 1 },
      ],
      beforeStart: [{ actor: 'fault', kind: 'reject', task: id }],
    };
    if (taskFaults.size > 100_000) taskFaults.clear();
    taskFaults.set(id, f);
  }
  return f;
}

export function faultsEnabled(s: State, out: ActionList): void {
  nodeFaultsEnabled(s.nodes, out);
  if (s.raft.leader === '') return;
  const conn = connectedIds(s);
  if (lastContainerFaults.replay(s.tasks, conn, out)) return;
  const from = out.length;
  containerFaults(s.tasks, conn, out);
  lastContainerFaults.remember(s.tasks, conn, out, from);
}

// Node faults read each node's id, up, left and group, and the list's length, only: replayed while a
// step leaves those alone (most node updates are status, timers or event flags), and each node's three
// actions found by position (the node list only grows or changes in place) before the id map. The
// memo is keyed by the first node list seen with those links; HEAL stands in as the constant second key.
const lastNodeFaults = new LastActions<readonly Node[], Action>();
let linksKey: readonly Node[] = [];
const nodeFaultsAt: [Action, Action, Action][] = [];
const nodeIdsAt: string[] = [];

function nodeFaultsEnabled(nodes: readonly Node[], out: ActionList): void {
  if (nodes !== linksKey && !sameLinks(linksKey, nodes)) linksKey = nodes;
  if (lastNodeFaults.replay(linksKey, HEAL, out)) return;
  const from = out.length;
  let partitioned = false;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.left) continue;
    let f = nodeFaultsAt[i];
    if (nodeIdsAt[i] !== n.id) {
      f = faultsOfNode(n.id);
      nodeFaultsAt[i] = f;
      nodeIdsAt[i] = n.id;
    }
    out.push(n.up ? f[0] : f[1]);
    if (n.group !== 0) partitioned = true;
    else if (nodes.length > 1) out.push(f[2]);
  }
  if (partitioned) out.push(HEAL);
  lastNodeFaults.remember(linksKey, HEAL, out, from);
}

// Container faults depend on the task list and the connected set only; keyed by both identities
// (connectedIds keeps its Set's identity while connectivity is unchanged).
const lastContainerFaults = new LastActions<readonly Task[], ReadonlySet<string>>();

// A task's container faults are those of the task alone, listed only while its node is connected.
// The first part is a function of the task: remembered by position in the task list (see
// ByTaskPosition), so that a change of connectivity costs a set lookup per task that has faults, not
// a recomputation of every task.
// The memo's key, constant: what it remembers depends on the task alone.
const TASK_ALONE = {};
const faultsByPosition = new ByTaskPosition<object, readonly Action[]>();

function containerFaults(tasks: readonly Task[], conn: ReadonlySet<string>, out: ActionList): void {
  faultsByPosition.begin(TASK_ALONE);
  for (let j = 0; j < tasks.length; j++) {
    const t = tasks[j];
    let f = faultsByPosition.at(j, t);
    if (f === undefined) {
      f = faultsOf(t);
      faultsByPosition.put(j, f);
    }
    if (f.length === 0 || !conn.has(t.nodeId)) continue;
    for (let k = 0; k < f.length; k++) out.push(f[k]);
  }
  faultsByPosition.end(tasks);
}

/** The task's container faults if its node is connected. */
function faultsOf(t: Task): readonly Action[] {
  if (t.nodeId === '' || t.containerLost) return NO_FAULTS;
  const o = rank(t.observed);
  if (o < ASSIGNED || o > RUNNING) return NO_FAULTS;
  if (t.observed === 'running') return faultsOfTask(t.id).running;
  if (o < STARTING && t.desired !== 'shutdown' && t.desired !== 'remove')
    return faultsOfTask(t.id).beforeStart;
  return NO_FAULTS;
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
        if (n.group !== g) tx.setNode(i, mergeNode(n, { group: g }));
      }
      return world(tx.commit());
    }
    case 'heal':
      for (let i = 0; i < tx.nodes.length; i++)
        if (tx.nodes[i].group !== 0) tx.setNode(i, mergeNode(tx.nodes[i], { group: 0 }));
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
      // fatal() sets Err and the terminal state but leaves Message as the last transition wrote it
      // (moby/swarmkit:agent/exec/controller.go (Do: fatal)).
      tx.setObserved(t.id, 'rejected', t.message, { err: 'the agent could not prepare the task' });
      return tx.commit();
    }
  }
}

/** After a physical change: the gate drops a leader that lost quorum; sessions start or stop heartbeating. */
export function world(s: State): State {
  return refreshLiveness(revalidateLeader(s));
}
