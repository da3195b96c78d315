/**
 * The agent on each node: executes the tasks assigned to it and reports their observed state.
 * The gating rules are moby/swarmkit:agent/exec/controller.go (Do), encoded literally:
 *  1. desired ≥ SHUTDOWN: observed ≥ COMPLETE → nothing; else shut down → SHUTDOWN;
 *  2. otherwise, observed > desired → nothing (the task is parked);
 *  3. PREPARING, STARTING always progress (→ READY, → RUNNING), even past desired;
 *  4. ASSIGNED, ACCEPTED, READY progress only while observed < desired
 *     (ASSIGNED → ACCEPTED is controller resolution, agent/exec/controller.go (Resolve)).
 * RUNNING ends only by the container exiting (a fault action: code 0 → COMPLETE, else FAILED);
 * fatal errors before STARTING are REJECTED (fault action `reject`).
 *
 * An agent acts only while its node is up and connected to the leader's dispatcher: assignments and
 * status reports travel over that session. (A cut-off agent keeps running its containers, but the
 * store cannot see it; the model freezes such tasks in their last reported state.)
 *
 * Node restart: the model marks tasks whose container had started (STARTING/RUNNING) as
 * `containerLost`. The real agent re-reads its task database at start (agent/worker.go (Init,
 * reconcileTaskState)) and its controller finds the container no longer running (dockerd stopped it
 * on shutdown; swarm containers have no engine restart policy), so it reports the exit: FAILED. A task
 * the manager meanwhile wants shut down goes to SHUTDOWN by rule 1 instead. Never "still running".
 */
import { type Action, type ActionList, ByTaskPosition, LastActions } from './actions.ts';
import { connected, connectedIds } from './controlplane.ts';
import type { State, Task } from './state.ts';
import { type ObservedState, rank } from './taskState.ts';
import { Tx } from './tx.ts';

const ASSIGNED = rank('assigned');
const SHUTDOWN = rank('shutdown');
const COMPLETE = rank('complete');

/** The agent's next observed state for a task, or null when controller.go (Do) would do nothing. */
export function agentNext(t: Task): ObservedState | null {
  const o = rank(t.observed);
  if (o < ASSIGNED) return null; // not dispatched to an agent yet
  const d = rank(t.desired);
  if (d >= SHUTDOWN) return o >= COMPLETE ? null : 'shutdown';
  if (t.containerLost) return o >= COMPLETE ? null : 'failed';
  if (o > d) return null;
  switch (t.observed) {
    case 'preparing':
      return 'ready';
    case 'starting':
      return 'running';
    case 'assigned':
      return o < d ? 'accepted' : null;
    case 'accepted':
      return o < d ? 'preparing' : null;
    case 'ready':
      return o < d ? 'starting' : null;
    default:
      return null;
  }
}

const MESSAGE: Partial<Record<ObservedState, string>> = {
  accepted: 'accepted',
  preparing: 'preparing',
  ready: 'prepared',
  starting: 'starting',
  running: 'started',
  shutdown: 'shutdown',
  failed: 'started',
};

// Interned per (task, target state): actions are immutable values.
const progressCache = new Map<string, Partial<Record<ObservedState, Action>>>();
function progress(task: string, to: ObservedState): Action {
  let m = progressCache.get(task);
  if (m === undefined) {
    m = {};
    if (progressCache.size > 100_000) progressCache.clear();
    progressCache.set(task, m);
  }
  let a = m[to];
  if (a === undefined) {
    a = { actor: 'agent', kind: 'progress', task, to };
    m[to] = a;
  }
  return a;
}

// Scratch buffers of agentEnabled (reused: no allocation per call; entries past `found` are stale).
const foundActions: Action[] = [];
const foundNodes: string[] = [];

// The agents' moves depend on the task list and the connected set only (which lists the nodes in
// node order); keyed by both identities (connectedIds keeps its Set's identity while connectivity is
// unchanged). Most steps leave both unchanged.
const lastMoves = new LastActions<readonly Task[], ReadonlySet<string>>();

export function agentEnabled(s: State, out: ActionList): void {
  const conn = connectedIds(s);
  if (conn.size === 0) return;
  if (lastMoves.replay(s.tasks, conn, out)) return;
  const from = out.length;
  agentMoves(s.tasks, conn, out);
  lastMoves.remember(s.tasks, conn, out, from);
}

// Each task's move is a function of the task and of the connected set: remembered by position in the
// task list, keyed by the connected set's identity (see ByTaskPosition).
const moves = new ByTaskPosition<ReadonlySet<string>, Action | null>();

/** The agent's move for one task, if its node's agent reaches the dispatcher. */
function agentMove(t: Task, conn: ReadonlySet<string>): Action | null {
  if (t.nodeId === '') return null;
  const to = agentNext(t);
  return to === null || !conn.has(t.nodeId) ? null : progress(t.id, to);
}

function agentMoves(tasks: readonly Task[], conn: ReadonlySet<string>, out: ActionList): void {
  // Agents in node order, each over its tasks in creation order (a fixed, documented interleaving for
  // settle). One pass over the tasks finds the moves; they are then emitted in that order.
  let found = 0;
  moves.begin(conn);
  for (let j = 0; j < tasks.length; j++) {
    const t = tasks[j];
    let a = moves.at(j, t);
    if (a === undefined) {
      a = agentMove(t, conn);
      moves.put(j, a);
    }
    if (a === null) continue;
    foundActions[found] = a;
    foundNodes[found] = t.nodeId;
    found++;
  }
  moves.end(tasks);
  if (found === 1) {
    out.push(foundActions[0]);
    return;
  }
  for (const id of conn) for (let k = 0; k < found; k++) if (foundNodes[k] === id) out.push(foundActions[k]);
}

export function agentStep(s: State, a: Action & { actor: 'agent' }): State | string {
  const tx = new Tx(s);
  const t = tx.task(a.task);
  if (!t) return `no such task ${a.task}`;
  const n = tx.node(t.nodeId);
  if (!n || !connected(s, n)) return `the agent of task ${t.id} cannot reach the dispatcher`;
  const to = agentNext(t);
  if (to !== a.to) return `the agent would not move task ${t.id} to ${a.to}`;
  const extra: Partial<Task> = {};
  if (to === 'failed') {
    extra.err = 'container lost when its node restarted';
    extra.containerLost = false;
    tx.setObserved(t.id, to, 'failed', extra);
    return tx.commit();
  }
  if (to === 'shutdown') extra.containerLost = false;
  tx.setObserved(t.id, to, MESSAGE[to] ?? to, extra);
  return tx.commit();
}
