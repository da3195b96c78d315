/**
 * The control-plane gate: who leads, and who can talk to the leader. This is the ONE place where the
 * cluster model decides leadership.
 *
 * Rule encoded (the "leader with quorum" abstraction of DESIGN.md §3): a manager can lead iff it is a
 * Raft voter, its machine is up, and its partition group holds a majority (⌊N/2⌋+1) of ALL voters,
 * up or down (moby/swarmkit:vendor/go.etcd.io/raft/v3/quorum/majority.go (VoteResult)). With
 * CheckQuorum on (moby/swarmkit:manager/state/raft/raft.go (DefaultNodeConfig)), a leader cut off from
 * a majority steps down; the gate makes that immediate (real Raft: after an election timeout).
 * A new leader is recognised by an explicit `raft: elect` action, one per eligible manager, so random
 * runs and the explorer see every choice; the real election delay (10–19 ticks of 1 s) is not timed.
 *
 * Why a gate and not the message-level Raft of model/raft/ on every step: one cluster action would cost
 * several Raft steps (ticks, deliveries, applies), and the orchestration layer only ever needs Raft's
 * verdict — is there a leader that can commit? `properties/raft/clusterGate.test.ts` runs a message-level
 * Raft in lockstep with the cluster (model/raft/shadow.ts) and checks that this gate agrees with what it
 * can commit, after every fault, membership change and write.
 *
 * Only the leader runs orchestrators, scheduler, allocator, dispatcher, reaper and constraint
 * enforcer (moby/swarmkit:manager/manager.go (becomeLeader)); user commands are forwarded to it and
 * fail without one (raft notes §1.1, §2.3).
 *
 * Raft membership follows the node objects: a manager node that is not a voter (promoted while down or
 * cut off, or an old manager coming back after `--force-new-cluster`) joins with `raft: join` once it
 * can reach the leader (moby/swarmkit:node/node.go (superviseManager, runManager), raft.go (Join)).
 */
import { type Action, type ActionList, Interned } from './actions.ts';
import { becomeLeader } from './leadership.ts';
import type { Node, State } from './state.ts';
import { mergeState } from './tx.ts';

export const NO_LEADER_ERROR =
  "The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.";

export const majority = (voters: number): number => Math.floor(voters / 2) + 1;

const alive = (n: Node): boolean => n.up && !n.left;

/** Scratch list of leaderCandidates, rewritten on each use; entries past the voter count are never read. */
const voterNodes: (Node | undefined)[] = [];

/** Managers that could be recognised as leader right now. */
export function leaderCandidates(s: State): string[] {
  const voters = s.raft.voters;
  const need = majority(voters.length);
  const out: string[] = [];
  // Each voter's node looked up once (a fifth of random-run states have no leader and list this).
  const ns = voterNodes;
  for (let i = 0; i < voters.length; i++) ns[i] = nodeById(s, voters[i]);
  for (let i = 0; i < voters.length; i++) {
    const n = ns[i];
    if (!n || !alive(n)) continue;
    let inGroup = 0;
    for (let j = 0; j < voters.length; j++) {
      const m = ns[j];
      if (m && alive(m) && m.group === n.group) inGroup++;
    }
    if (inGroup >= need) out.push(voters[i]);
  }
  return out;
}

/** Whether `id` may lead now. */
export function canLead(s: State, id: string): boolean {
  if (!isVoter(s.raft.voters, id)) return false;
  const n = nodeById(s, id);
  if (!n || !alive(n)) return false;
  let inGroup = 0;
  for (const v of s.raft.voters) {
    const m = nodeById(s, v);
    if (m && alive(m) && m.group === n.group) inGroup++;
  }
  return inGroup >= majority(s.raft.voters.length);
}

/** A node's agent can talk to the leader's dispatcher: both up, same partition group. */
export function connected(s: State, n: Node): boolean {
  return connectedIds(s).has(n.id);
}

// Connectivity depends only on the node list and the leader; memoised per node-array identity
// (immutable), which changes far less often than the state (a hot-path optimisation). Two entries:
// a step reads its input state's and its output state's connectivity, and the next `enabled` the latter.
// A recomputed set equal to a remembered one is returned as that same object: connectivity changes
// much less often than the node array, and model/agent.ts and model/faults.ts key memos by its identity.
let memoNodes: readonly Node[] | null = null;
let memoLeader = '';
let memoIds: ReadonlySet<string> = new Set<string>();
let memoNodes2: readonly Node[] | null = null;
let memoLeader2 = '';
let memoIds2 = memoIds;

/** Ids of the nodes whose agents can talk to the leader's dispatcher now, in node order. Never mutate it. */
export function connectedIds(s: State): ReadonlySet<string> {
  const leader = s.raft.leader;
  if (memoNodes === s.nodes && memoLeader === leader) return memoIds;
  if (memoNodes2 === s.nodes && memoLeader2 === leader) return memoIds2;
  let ids = memoIds;
  // Most node updates (status, timers, event flags) leave every machine's links alone: then so is the set.
  if (memoNodes === null || memoLeader !== leader || !sameLinks(memoNodes, s.nodes)) {
    ids = new Set<string>();
    const l = leader === '' ? undefined : nodeById(s, leader);
    if (l !== undefined)
      for (const n of s.nodes) if (alive(n) && n.group === l.group) (ids as Set<string>).add(n.id);
    if (sameIds(ids, memoIds)) ids = memoIds;
    else if (sameIds(ids, memoIds2)) ids = memoIds2;
  }
  memoNodes2 = memoNodes;
  memoLeader2 = memoLeader;
  memoIds2 = memoIds;
  memoNodes = s.nodes;
  memoLeader = leader;
  memoIds = ids;
  return ids;
}

/**
 * The same nodes in the same order, each as up, left and partitioned as before: what connectivity
 * reads (and the node faults, model/faults.ts).
 */
export function sameLinks(a: readonly Node[], b: readonly Node[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x !== y && (x.id !== y.id || x.up !== y.up || x.left !== y.left || x.group !== y.group)) return false;
  }
  return true;
}

/** Same members (then also the same order: node arrays only append and delete, never reorder). */
function sameIds(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const id of a) if (!b.has(id)) return false;
  return true;
}

/** Drop a leader that can no longer lead (crashed, partitioned into a minority, left, demoted). */
export function revalidateLeader(s: State): State {
  if (s.raft.leader === '' || canLead(s, s.raft.leader)) return s;
  return mergeState(s, { raft: { voters: s.raft.voters, leader: '', term: s.raft.term } });
}

/**
 * MANAGER STATUS of `docker node ls` (moby/swarmkit:manager/controlapi/node.go (ListNodes),
 * docker/cli:cli/command/node/formatter.go (ManagerStatus)): only Raft members have one; Leader for the
 * leader, Reachable when the leader reaches it, else Unreachable. '' for workers and for manager nodes
 * outside the Raft group. Without a leader the command fails; this then says Unreachable for every member.
 */
export function managerStatus(s: State, n: Node): 'leader' | 'reachable' | 'unreachable' | '' {
  if (!s.raft.voters.includes(n.id)) return '';
  if (s.raft.leader === n.id) return 'leader';
  return connected(s, n) ? 'reachable' : 'unreachable';
}

export function nodeById(s: State, id: string): Node | undefined {
  const ns = s.nodes;
  for (let i = 0; i < ns.length; i++) if (ns[i].id === id) return ns[i];
  return undefined;
}

// ---- the `raft` actor's action under the gate ----

/**
 * Enabled when there is no leader and some manager could lead: one choice per candidate. With a leader:
 * one `join` per manager node that is not yet a voter and reaches the leader.
 */
const ELECT = new Interned((node) => ({ actor: 'raft', kind: 'elect', node }));
const JOIN = new Interned((node) => ({ actor: 'raft', kind: 'join', node }));

export function raftEnabled(s: State, out: ActionList): void {
  if (s.raft.leader === '') {
    for (const id of leaderCandidates(s)) out.push(ELECT.of(id));
    return;
  }
  for (const n of s.nodes) if (canJoin(s, n)) out.push(JOIN.of(n.id));
}

/**
 * A manager node outside the Raft group joins it once its manager runs and reaches the leader: the
 * node's certificate says manager (moby/swarmkit:manager/role_manager.go (reconcileRole) sets Role at
 * once on promotion), it starts its manager and calls Join on the leader, which proposes AddNode
 * (moby/swarmkit:manager/state/raft/raft.go (Join, addMember)); AddNode commits under the old
 * configuration, whose majority the leader has.
 */
function canJoin(s: State, n: Node): boolean {
  return n.role === 'manager' && !isVoter(s.raft.voters, n.id) && connected(s, n);
}

/** `voters.includes(id)` as a loop TurboFan inlines (a builtin call per manager node and step, otherwise). */
function isVoter(voters: readonly string[], id: string): boolean {
  for (let i = 0; i < voters.length; i++) if (voters[i] === id) return true;
  return false;
}

export function raftStep(s: State, a: Action & { actor: 'raft' }): State | string {
  if (a.kind === 'join') {
    const n = nodeById(s, a.node);
    if (!n || !canJoin(s, n)) return `${a.node} cannot join the Raft group now`;
    return mergeState(s, {
      raft: { voters: [...s.raft.voters, n.id], leader: s.raft.leader, term: s.raft.term },
    });
  }
  if (s.raft.leader !== '') return 'there is already a leader';
  if (!canLead(s, a.node)) return `${a.node} cannot become leader (no quorum in its partition)`;
  return becomeLeader(s, a.node);
}
