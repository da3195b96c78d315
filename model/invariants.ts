/**
 * Named safety properties (orchestration.md §11, DESIGN.md §5), checkable on one state or on one step
 * (prev, action, next). Each returns null when it holds, or a message naming the offending values.
 * Used by the property suite and, later, the explorer.
 */
import type { Action, Actor } from './actions.ts';
import { canLead } from './controlplane.ts';
import { nodeMatchesExprs } from './scheduler/constraint.ts';
import { tracksTask } from './scheduler/nodeInfo.ts';
import type { State, Task } from './state.ts';
import { DESIRED_STATES, OBSERVED_STATES, type ObservedState, rank } from './taskState.ts';

export interface StateInvariant {
  name: string;
  check(s: State): string | null;
}
export interface StepInvariant {
  name: string;
  check(prev: State, a: Action, next: State): string | null;
}

function byId(tasks: readonly Task[]): Map<string, Task> {
  const m = new Map<string, Task>();
  for (const t of tasks) m.set(t.id, t);
  return m;
}

export const stateInvariants: StateInvariant[] = [
  {
    name: 'DesiredStateValid',
    check: (s) => {
      for (const t of s.tasks) {
        if (!(DESIRED_STATES as readonly string[]).includes(t.desired))
          return `task ${t.id} desired ${t.desired}`;
        if (!(OBSERVED_STATES as readonly string[]).includes(t.observed))
          return `task ${t.id} observed ${t.observed}`;
      }
      return null;
    },
  },
  {
    name: 'UniqueTaskIds',
    check: (s) => (new Set(s.tasks.map((t) => t.id)).size === s.tasks.length ? null : 'duplicate task id'),
  },
  {
    name: 'AssignedHasNode',
    // Observed ≥ ASSIGNED ⇒ NodeID set, except a task the scheduler shut down from PENDING (§11.3).
    check: (s) => {
      for (const t of s.tasks)
        if (rank(t.observed) >= rank('assigned') && t.nodeId === '' && t.observed !== 'shutdown')
          return `task ${t.id} is ${t.observed} without a node`;
      return null;
    },
  },
  {
    name: 'SlotShape',
    check: (s) => {
      for (const t of s.tasks) {
        const svc = s.services.find((x) => x.id === t.serviceId);
        if (!svc) continue;
        if (svc.spec.mode === 'replicated' && t.slot < 1) return `replicated task ${t.id} in slot ${t.slot}`;
        if (svc.spec.mode === 'global' && (t.slot !== 0 || t.nodeId === ''))
          return `global task ${t.id} without its node`;
      }
      return null;
    },
  },
  {
    name: 'LeaderHasQuorum',
    check: (s) =>
      s.raft.leader === '' || canLead(s, s.raft.leader) ? null : `leader ${s.raft.leader} has no quorum`,
  },
  {
    name: 'SchedulerMemoryWellFormed',
    // nodeinfo.go (recentFailures): one list per (node, service, spec version) of a node the scheduler
    // knows (a deleted node's goes with it), appended at the time it saw each failure.
    check: (s) => {
      const keys = new Set<string>();
      for (const f of s.schedulerFailures) {
        const key = `${f.node} ${f.serviceId} ${f.specVersion}`;
        if (keys.has(key)) return `two failure lists for ${key}`;
        keys.add(key);
        if (!s.nodes.some((n) => n.id === f.node)) return `failures remembered for missing node ${f.node}`;
        if (f.at.length === 0) return `empty failure list for ${key}`;
        for (let i = 0; i < f.at.length; i++)
          if (f.at[i] > s.now || (i > 0 && f.at[i] < f.at[i - 1]))
            return `failure times of ${key} out of order: ${f.at.join(', ')} (now ${s.now})`;
      }
      return null;
    },
  },
  {
    name: 'TasksInCreationOrder',
    // The task list only grows at its end and loses deleted tasks, so it stays in creation order; the new
    // leader's restart history (model/leadership.ts) counts on it.
    check: (s) => {
      for (let i = 1; i < s.tasks.length; i++) {
        const a = s.tasks[i - 1];
        const b = s.tasks[i];
        if (a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.seq > b.seq))
          return `task ${a.id} listed before the younger ${b.id}`;
      }
      return null;
    },
  },
  {
    name: 'DispatcherTimersMatchStatus',
    // The dispatcher's two timers belong to two statuses: a DOWN node has no heartbeat deadline (it was
    // cleared when the node went down, markNodeNotReady) and only a DOWN node counts towards orphaning
    // (moveTasksToOrphaned). model/dispatcher.ts relies on both.
    check: (s) => {
      for (const n of s.nodes) {
        if (n.status === 'down' && n.dispatcher.heartbeatDeadline !== -1)
          return `node ${n.hostname} is down with a heartbeat deadline`;
        if (n.status !== 'down' && n.dispatcher.orphanAt !== -1)
          return `node ${n.hostname} is ${n.status} with an orphaning deadline`;
      }
      return null;
    },
  },
  {
    name: 'LeftMachinesStayStopped',
    // `docker swarm leave` stops the node's agent for good: a node that left is never up again (a
    // fault restart refuses it; model/faults.ts), so "left" implies "not up" wherever both are tested.
    check: (s) => {
      for (const n of s.nodes) if (n.left && n.up) return `node ${n.hostname} left the swarm but is up`;
      return null;
    },
  },
  {
    name: 'DelayedOnlyWhileReady',
    check: (s) => {
      for (const t of s.tasks)
        if (t.delayed !== null && t.desired !== 'ready')
          return `task ${t.id} delayed with desired ${t.desired}`;
      return null;
    },
  },
];

/** Who may move a task from one observed state to another (orchestration.md §1.3, from the code). */
export function transitionOwners(from: ObservedState | null, to: ObservedState, a: Action): Actor[] {
  if (from === null) return ['orchestrator', 'restart', 'updater'];
  if (to === 'pending') return ['allocator'];
  if (to === 'assigned') return ['scheduler'];
  if (to === 'shutdown') return from === 'pending' ? ['scheduler', 'agent'] : ['agent'];
  if (to === 'rejected')
    return ['agent', 'orchestrator', ...(a.kind === 'reject' ? (['fault'] as Actor[]) : [])];
  if (to === 'orphaned') return ['dispatcher', 'user'];
  if (to === 'complete' || to === 'failed')
    return ['agent', ...(a.kind === 'exit' ? (['fault'] as Actor[]) : [])];
  return ['agent'];
}

const LEADER_ONLY: Actor[] = [
  'orchestrator',
  'restart',
  'updater',
  'allocator',
  'scheduler',
  'dispatcher',
  'reaper',
];

export const stepInvariants: StepInvariant[] = [
  {
    name: 'StatesNeverDecrease',
    check: (prev, _a, next) => {
      const p = byId(prev.tasks);
      for (const t of next.tasks) {
        const o = p.get(t.id);
        if (!o) continue;
        if (rank(t.observed) < rank(o.observed)) return `task ${t.id} observed ${o.observed} → ${t.observed}`;
        if (rank(t.desired) < rank(o.desired)) return `task ${t.id} desired ${o.desired} → ${t.desired}`;
      }
      return null;
    },
  },
  {
    name: 'TaskNeverChangesNode',
    check: (prev, _a, next) => {
      const p = byId(prev.tasks);
      for (const t of next.tasks) {
        const o = p.get(t.id);
        if (o && o.nodeId !== '' && o.nodeId !== t.nodeId)
          return `task ${t.id} moved ${o.nodeId} → ${t.nodeId}`;
      }
      return null;
    },
  },
  {
    name: 'TransitionsOK',
    check: (prev, a, next) => {
      const p = byId(prev.tasks);
      for (const t of next.tasks) {
        const o = p.get(t.id);
        if (o && o.observed === t.observed) continue;
        const owners = transitionOwners(o ? o.observed : null, t.observed, a);
        if (!o && t.observed !== 'new') return `task ${t.id} created in ${t.observed}`;
        // Leader start (raft) only touches desired state and deletes; it never moves observed state.
        if (!owners.includes(a.actor))
          return `${a.actor} moved task ${t.id} ${o ? o.observed : '∅'} → ${t.observed}`;
      }
      // Desired state is written by orchestrators, the restart supervisor, the updater, the control
      // API (service rm) and a new leader's startup repair (StartNow).
      for (const t of next.tasks) {
        const o = p.get(t.id);
        if (
          o &&
          o.desired !== t.desired &&
          !['orchestrator', 'restart', 'updater', 'user', 'raft'].includes(a.actor)
        )
          return `${a.actor} changed desired state of ${t.id} ${o.desired} → ${t.desired}`;
      }
      return null;
    },
  },
  {
    name: 'LeaderOnlyComponents',
    check: (prev, a) =>
      LEADER_ONLY.includes(a.actor) && prev.raft.leader === '' ? `${a.actor} acted without a leader` : null,
  },
  {
    name: 'SchedulerPlacementOK',
    // At the moment of assignment the node passed every filter (§11.8): ready+active, constraints,
    // reservations ≤ resources, one tracked task per host port, active tasks ≤ max replicas.
    check: (prev, a, next) => {
      if (a.actor !== 'scheduler') return null;
      const p = byId(prev.tasks);
      for (const t of next.tasks) {
        const o = p.get(t.id);
        if (o?.observed !== 'pending' || t.observed !== 'assigned') continue;
        const n = prev.nodes.find((x) => x.id === t.nodeId);
        if (!n) return `task ${t.id} assigned to missing node ${t.nodeId}`;
        if (n.status !== 'ready' || n.availability !== 'active')
          return `task ${t.id} assigned to ${n.hostname} (${n.status}/${n.availability})`;
        if (!nodeMatchesExprs(t.spec.placement.constraints, n))
          return `task ${t.id} assigned to ${n.hostname} against its constraints`;
        const on = next.tasks.filter((x) => x.nodeId === n.id && tracksTask(x));
        let cpu = 0;
        let mem = 0;
        const ports = new Set<string>();
        let sameService = 0;
        for (const x of on) {
          cpu += x.spec.reservations.nanoCpus;
          mem += x.spec.reservations.memoryBytes;
          for (const pc of x.ports) {
            if (pc.mode !== 'host' || pc.publishedPort === 0) continue;
            const k = `${pc.protocol}/${pc.publishedPort}`;
            if (ports.has(k)) return `host port ${k} used twice on ${n.hostname}`;
            ports.add(k);
          }
          if (x.serviceId === t.serviceId && rank(x.desired) <= rank('complete')) sameService++;
        }
        if (cpu > n.nanoCpus || mem > n.memoryBytes) return `reservations exceed ${n.hostname}'s resources`;
        const max = t.spec.placement.maxReplicas;
        if (max > 0 && sameService > max)
          return `${sameService} tasks of ${t.serviceId} on ${n.hostname} > max ${max}`;
      }
      return null;
    },
  },
  {
    name: 'NewLeaderForgetsFailures',
    // manager.go (becomeLeader): a new leader runs a new scheduler, whose failure memory is empty.
    check: (prev, _a, next) =>
      next.raft.leader !== '' && next.raft.term !== prev.raft.term && next.schedulerFailures.length > 0
        ? `leader ${next.raft.leader} (term ${next.raft.term}) starts with ${next.schedulerFailures.length} failure lists`
        : null,
  },
  {
    name: 'ClockMonotonic',
    check: (prev, _a, next) => (next.now >= prev.now ? null : `clock went back ${prev.now} → ${next.now}`),
  },
];

/** All violations of a step (state invariants on `next` included). */
export function checkStep(prev: State, a: Action, next: State): string[] {
  const out: string[] = [];
  for (const inv of stepInvariants) {
    const r = inv.check(prev, a, next);
    if (r !== null) out.push(`${inv.name}: ${r}`);
  }
  for (const inv of stateInvariants) {
    const r = inv.check(next);
    if (r !== null) out.push(`${inv.name}: ${r}`);
  }
  return out;
}
