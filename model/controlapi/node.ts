/**
 * Node and swarm membership commands: moby/swarmkit:manager/controlapi/node.go (UpdateNode, RemoveNode,
 * orphanNodeTasks), manager/role_manager.go (promote/demote), and ca/server.go (IssueNodeCertificate)
 * for joins. Raft voters live only in State.raft (model/controlplane.ts).
 * - A demotion's Raft removal is folded into the command (the gate's abstraction: the role manager's
 *   RemoveNode commits at once, since the command was only accepted under CanRemoveMember). Demoting the
 *   leader leaves the gate without a leader until `raft: elect`: SwarmKit transfers leadership first
 *   (role_manager.go (removeMember)), and either way the next leader restarts the leader-only components.
 * - A promotion or a manager join adds the voter at once only if the node reaches the leader; otherwise
 *   the node is a manager outside the Raft group (blank MANAGER STATUS, not counted for quorum) until
 *   `raft: join` (model/controlplane.ts).
 */
import type { StepResult } from '../actions.ts';
import { connected, majority, managerStatus } from '../controlplane.ts';
import { world } from '../faults.ts';
import { becomeLeader } from '../leadership.ts';
import { deleteNodeGlobalTasks } from '../orchestrator/global.ts';
import type { NodeDescription, UserCommand } from '../spec.ts';
import { NO_DEADLINE, type Node, type State } from '../state.ts';
import { rank } from '../taskState.ts';
import { Tx } from '../tx.ts';
import { machine, resolveNode } from './common.ts';

function newNode(tx: Tx, d: NodeDescription): Node {
  return {
    id: tx.newId('n'),
    hostname: d.hostname,
    role: d.role,
    desiredRole: d.role,
    availability: d.availability,
    labels: d.labels,
    engineLabels: d.engineLabels,
    nanoCpus: d.nanoCpus,
    memoryBytes: d.memoryBytes,
    os: d.os,
    arch: d.arch,
    // A node object starts UNKNOWN (zero value) and becomes READY when its agent registers.
    status: 'unknown',
    statusMessage: '',
    up: true,
    left: false,
    group: 0,
    dispatcher: { heartbeatDeadline: NO_DEADLINE, orphanAt: NO_DEADLINE },
    pending: { globalReconcile: true, enforce: true },
  };
}

export function swarmInit(s: State, c: UserCommand & { kind: 'swarm.init' }): StepResult {
  if (s.initialized) {
    if (!c.forceNewCluster)
      return {
        ok: false,
        error:
          'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.',
      };
    // `docker swarm init --force-new-cluster` on an existing manager: it becomes the only Raft voter
    // and leads; services, tasks and workers are kept (raft notes §1.10, §2.4).
    // Only a node with Raft state can do it (moby/swarmkit:manager/state/raft/storage.go (loadAndStart));
    // the other members are removed, and when they come back their old Raft IDs are rejected; a node
    // whose store object still says manager then rejoins under a new Raft ID (model/controlplane.ts, join).
    const n = machine(s, c.node.hostname);
    if (n?.role !== 'manager' || !n.up || n.left || !s.raft.voters.includes(n.id))
      return { ok: false, error: `${c.node.hostname} is not a running manager of this swarm` };
    const reset: State = { ...s, raft: { ...s.raft, voters: [n.id] } };
    return {
      ok: true,
      state: world(becomeLeader(reset, n.id)),
      note: `Swarm initialized: current node (${n.id}) is now a manager.`,
    };
  }
  const tx = new Tx(s);
  const n = newNode(tx, { ...c.node, role: 'manager' });
  tx.addNode(n);
  tx.patch.initialized = true;
  tx.patch.raft = { voters: [n.id], leader: n.id, term: 1 };
  // Docker creates the ingress overlay network at init (moby/moby:daemon/cluster/swarm.go (Init)).
  const wid = tx.newId('w');
  tx.patch.networks = [{ id: wid, name: 'ingress', driver: 'overlay', attachable: false, ingress: true }];
  return {
    ok: true,
    state: world(tx.commit()),
    note: `Swarm initialized: current node (${n.id}) is now a manager.`,
  };
}

export function swarmJoin(s: State, d: NodeDescription): StepResult {
  if (s.nodes.some((n) => n.hostname === d.hostname && !n.left))
    return {
      ok: false,
      error: `a node named ${d.hostname} is already in the swarm (the model names nodes by hostname)`,
    };
  const tx = new Tx(s);
  const n = newNode(tx, d);
  tx.addNode(n);
  if (d.role === 'manager' && reachesLeader(s, n))
    tx.patch.raft = { ...s.raft, voters: [...s.raft.voters, n.id] };
  return {
    ok: true,
    state: world(tx.commit()),
    note:
      d.role === 'manager'
        ? 'This node joined a swarm as a manager.'
        : 'This node joined a swarm as a worker.',
  };
}

/**
 * `docker swarm leave [--force]` run on NODE: the daemon's own operation, no leader needed
 * (moby/moby:daemon/cluster/swarm.go (Leave)). A manager is refused without --force, with a message that
 * counts the managers when leaving would cost quorum. --force does not remove it from the Raft
 * configuration: it stays a voter (shown Unreachable) until demoted/removed. The node object stays; it
 * goes DOWN when its heartbeats stop.
 */
export function swarmLeave(s: State, hostname: string, force: boolean): StepResult {
  const n = machine(s, hostname);
  if (!n || n.left) return { ok: false, error: 'This node is not part of a swarm' };
  if (!n.up) return { ok: false, error: `${n.hostname} is down: it cannot run docker swarm leave` };
  if (n.role === 'manager' && !force) return { ok: false, error: leaveRefusal(s, n) };
  const tx = new Tx(s);
  tx.updateNode(n.id, { left: true, up: false });
  return { ok: true, state: world(tx.commit()), note: 'Node left the swarm.' };
}

/**
 * moby/moby:daemon/cluster/swarm.go (Leave) with daemon/cluster/utils.go (managerStats,
 * removingManagerCausesLossOfQuorum: reachable−2 ≤ unreachable, isLastManager). The counts come from
 * `node ls` as the leader answers it; without a leader that call fails and the counts are skipped. A
 * manager node outside the Raft group is not an active manager.
 */
function leaveRefusal(s: State, n: Node): string {
  let msg = 'You are attempting to leave the swarm on a node that is participating as a manager. ';
  if (!s.raft.voters.includes(n.id)) msg += 'Doing so may lose the consensus of your cluster. ';
  else if (s.raft.leader !== '') {
    let reachable = 0;
    let unreachable = 0;
    for (const v of s.raft.voters) {
      const m = s.nodes.find((x) => x.id === v);
      if (m && managerStatus(s, m) !== 'unreachable') reachable++;
      else unreachable++;
    }
    const active = managerStatus(s, n) !== 'unreachable';
    if (active && reachable - 2 <= unreachable) {
      // Docker ends this one with a space, unlike the other variants.
      if (reachable === 1 && unreachable === 0)
        return `${msg}Removing the last manager erases all current state of the swarm. Use \`--force\` to ignore this message. `;
      msg += `Removing this node leaves ${reachable - 1} managers out of ${reachable + unreachable}. Without a Raft quorum your swarm will be inaccessible. `;
    }
  }
  return `${msg}The only way to restore a swarm that has lost consensus is to reinitialize it with \`--force-new-cluster\`. Use \`--force\` to suppress this message.`;
}

export function nodeCommand(s: State, c: UserCommand): StepResult {
  switch (c.kind) {
    case 'node.ls':
      return { ok: true, state: s };
    case 'node.update': {
      const n = resolveNode(s, c.node);
      if (typeof n === 'string') return { ok: false, error: n };
      // docker/cli:cli/command/node/update.go (mergeNodeUpdate): --label-add first, then every
      // --label-rm key must exist (an added one does), else the CLI fails before NodeUpdate.
      const labels = { ...n.labels, ...(c.labelAdd ?? {}) };
      for (const k of c.labelRm ?? []) {
        if (!Object.hasOwn(labels, k)) return { ok: false, error: `key ${k} doesn't exist in node's labels` };
        delete labels[k];
      }
      const tx = new Tx(s);
      tx.nodeEvent(n.id, { availability: c.availability ?? n.availability, labels });
      return { ok: true, state: tx.commit() };
    }
    case 'node.promote': {
      const n = resolveNode(s, c.node);
      if (typeof n === 'string') return { ok: false, error: n };
      if (n.desiredRole === 'manager')
        return { ok: true, state: s, note: `Node ${n.hostname} is already a manager.` };
      const tx = new Tx(s);
      tx.nodeEvent(n.id, { desiredRole: 'manager', role: 'manager' });
      if (reachesLeader(s, n)) tx.patch.raft = { ...s.raft, voters: [...s.raft.voters, n.id] };
      return {
        ok: true,
        state: world(tx.commit()),
        note: `Node ${n.hostname} promoted to a manager in the swarm.`,
      };
    }
    case 'node.demote': {
      const n = resolveNode(s, c.node);
      if (typeof n === 'string') return { ok: false, error: n };
      if (n.desiredRole === 'worker')
        return { ok: true, state: s, note: `Node ${n.hostname} is already a worker.` };
      // moby/swarmkit:manager/controlapi/node.go (UpdateNode): the demotion guards, in order.
      if (s.nodes.filter((x) => x.role === 'manager').length <= 1)
        return { ok: false, error: 'attempting to demote the last manager of the swarm' };
      if (!s.raft.voters.includes(n.id)) return { ok: false, error: "can't find manager in raft memberlist" };
      if (!canRemoveMember(s, n.id))
        return {
          ok: false,
          error: "can't remove member from the raft: this would result in a loss of quorum",
        };
      const tx = new Tx(s);
      tx.nodeEvent(n.id, { desiredRole: 'worker', role: 'worker' });
      tx.patch.raft = { ...s.raft, voters: s.raft.voters.filter((v) => v !== n.id) };
      return { ok: true, state: world(tx.commit()), note: `Manager ${n.hostname} demoted in the swarm.` };
    }
    case 'node.rm': {
      const n = resolveNode(s, c.node);
      if (typeof n === 'string') return { ok: false, error: n };
      // moby/swarmkit:manager/controlapi/node.go (RemoveNode).
      if (n.desiredRole === 'manager' && s.raft.voters.includes(n.id))
        return {
          ok: false,
          error: `node ${n.id} is a cluster manager and is a member of the raft cluster. It must be demoted to worker before removal`,
        };
      if (!c.force && n.status === 'ready')
        return { ok: false, error: `node ${n.id} is not down and can't be removed` };
      const tx = new Tx(s);
      // orphanNodeTasks: every task below COMPLETE becomes ORPHANED, in the same transaction.
      for (const t of s.tasks)
        if (t.nodeId === n.id && rank(t.observed) < rank('complete'))
          tx.setObserved(t.id, 'orphaned', 'Task belonged to a node that has been deleted');
      tx.deleteNode(n.id);
      // The global orchestrator's reaction to EventDeleteNode (global.go (Run)), folded in.
      deleteNodeGlobalTasks(tx, n.id);
      // Raft is untouched: a voter was refused above, and only managers are voters (a demotion leaves
      // the configuration in the same command).
      return { ok: true, state: world(tx.commit()) };
    }
    default:
      return { ok: false, error: `not a node command: ${c.kind}` };
  }
}

/**
 * The node's manager can call Join on the leader right now: both up, same partition group (as
 * model/controlplane.ts (connected), computed here because a joining node is not in `s.nodes` yet).
 */
function reachesLeader(s: State, n: Node): boolean {
  const l = s.nodes.find((x) => x.id === s.raft.leader);
  return l !== undefined && n.up && !n.left && l.group === n.group;
}

/**
 * moby/swarmkit:manager/state/raft/raft.go (CanRemoveMember): after removing `id`, the managers the
 * leader can reach (itself included) must still be a majority of the smaller configuration.
 */
export function canRemoveMember(s: State, id: string): boolean {
  const remaining = s.raft.voters.filter((v) => v !== id);
  let reachable = 0;
  for (const v of remaining) {
    const m = s.nodes.find((x) => x.id === v);
    // The leader is among the connected (it is up, in its own partition group).
    if (m && connected(s, m)) reachable++;
  }
  return reachable >= majority(remaining.length);
}
