/**
 * The dispatcher (leader only): node sessions and liveness. moby/swarmkit:manager/dispatcher/{dispatcher,nodes}.go.
 *
 * - An agent that can reach the leader registers (session open) → status READY, message cleared, its
 *   down timer cancelled (dispatcher.go (register)).
 * - A node that stops heartbeating (crashed, partitioned from the leader, left) is marked DOWN
 *   ("heartbeat failure") when its deadline passes: 3 heartbeat periods after the last heartbeat
 *   (nodes.go (newNodeStore, AddHeartbeat)). The model takes the last heartbeat to be the moment the
 *   node was cut off, so DOWN comes exactly 15 s later with defaults (real: 10–16.5 s, jitter and
 *   phase not modelled).
 * - 24 h after DOWN, the node's tasks ASSIGNED..RUNNING become ORPHANED (dispatcher.go (moveTasksToOrphaned)).
 * - After a leader change every node not DOWN becomes UNKNOWN with a 6-period deadline, DOWN nodes
 *   restart their 24 h timer (dispatcher.go (markNodesUnknown)): see model/leadership.ts.
 */
import { type Action, type ActionList, Interned } from './actions.ts';
import { connected, connectedIds } from './controlplane.ts';
import { HEARTBEAT_GRACE_MULTIPLIER, NODE_DOWN_ORPHAN_MS } from './defaults.ts';
import { NO_DEADLINE, type State } from './state.ts';
import { rank } from './taskState.ts';
import { mergeNode, Tx } from './tx.ts';

const REGISTER = new Interned((node) => ({ actor: 'dispatcher', kind: 'register', node }));
const HEARTBEAT_EXPIRED = new Interned((node) => ({ actor: 'dispatcher', kind: 'heartbeat-expired', node }));
const ORPHAN = new Interned((node) => ({ actor: 'dispatcher', kind: 'orphan', node }));

// The register action of the node at each position, from the interning map only when the id at that
// position changes (node lists only append and delete): nodes not READY register again and again.
const nodeIdsAt: string[] = [];
const registerAt: Action[] = [];

export function dispatcherEnabled(s: State, out: ActionList): void {
  const conn = connectedIds(s);
  const nodes = s.nodes;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (n.status !== 'ready' && conn.has(n.id)) {
      if (nodeIdsAt[i] !== n.id) {
        nodeIdsAt[i] = n.id;
        registerAt[i] = REGISTER.of(n.id);
      }
      out.push(registerAt[i]);
    }
    const hb = n.dispatcher.heartbeatDeadline;
    if (n.status !== 'down' && hb !== NO_DEADLINE && s.now >= hb && !conn.has(n.id))
      out.push(HEARTBEAT_EXPIRED.of(n.id));
    if (n.status === 'down' && n.dispatcher.orphanAt !== NO_DEADLINE && s.now >= n.dispatcher.orphanAt)
      out.push(ORPHAN.of(n.id));
  }
}

export function dispatcherStep(s: State, a: Action & { actor: 'dispatcher' }): State | string {
  const tx = new Tx(s);
  const n = tx.node(a.node);
  if (!n) return `no such node ${a.node}`;
  switch (a.kind) {
    case 'register':
      if (n.status === 'ready' || !connected(s, n)) return `node ${n.hostname} cannot register now`;
      tx.nodeEvent(n.id, {
        status: 'ready',
        statusMessage: '',
        dispatcher: { heartbeatDeadline: NO_DEADLINE, orphanAt: NO_DEADLINE },
      });
      return tx.commit();
    case 'heartbeat-expired': {
      const hb = n.dispatcher.heartbeatDeadline;
      if (n.status === 'down' || hb === NO_DEADLINE || s.now < hb || connected(s, n))
        return `node ${n.hostname} is not overdue`;
      tx.nodeEvent(n.id, {
        status: 'down',
        // A node the new leader moved to UNKNOWN expires with its own message (dispatcher.go
        // (markNodesUnknown): the expireFunc given to AddUnknown); a registered one with "heartbeat
        // failure" (dispatcher.go (markNodeNotReady) from the heartbeat timer).
        statusMessage:
          n.status === 'unknown' ? 'heartbeat failure for node in "unknown" state' : 'heartbeat failure',
        dispatcher: { heartbeatDeadline: NO_DEADLINE, orphanAt: s.now + NODE_DOWN_ORPHAN_MS },
      });
      return tx.commit();
    }
    case 'orphan': {
      if (n.status !== 'down' || n.dispatcher.orphanAt === NO_DEADLINE || s.now < n.dispatcher.orphanAt)
        return `node ${n.hostname} is not due for orphaning`;
      // Written out, not spread: one object shape for every node's timers.
      tx.updateNode(n.id, {
        dispatcher: { heartbeatDeadline: n.dispatcher.heartbeatDeadline, orphanAt: NO_DEADLINE },
      });
      for (const t of s.tasks) {
        if (t.nodeId !== n.id) continue;
        const o = rank(t.observed);
        if (o >= rank('assigned') && o <= rank('running'))
          tx.updateTask(t.id, { observed: 'orphaned', statusAt: s.now });
      }
      return tx.commit();
    }
  }
}

/**
 * After anything that changes who can reach the leader (faults, leadership, membership): a node that
 * just lost its session starts its heartbeat countdown; one that got it back before the deadline
 * simply keeps heartbeating.
 */
export function refreshLiveness(s: State): State {
  let tx: Tx | null = null;
  const connIds = connectedIds(s);
  for (const n of s.nodes) {
    const conn = connIds.has(n.id);
    const hb = n.dispatcher.heartbeatDeadline;
    let next = hb;
    if (!conn && n.status !== 'down' && hb === NO_DEADLINE)
      next = s.now + HEARTBEAT_GRACE_MULTIPLIER * s.heartbeatPeriodMs;
    else if (conn && hb !== NO_DEADLINE && n.status === 'ready') next = NO_DEADLINE;
    if (next !== hb) {
      tx ??= new Tx(s);
      const i = tx.nodeIndex(n.id);
      tx.setNode(
        i,
        mergeNode(n, { dispatcher: { heartbeatDeadline: next, orphanAt: n.dispatcher.orphanAt } }),
      );
    }
  }
  return tx ? tx.commit() : s;
}
