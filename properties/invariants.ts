/**
 * The invariant catalog: every safety property of DESIGN.md §5, by name, checked after every step of
 * every run (properties/run.ts). A check gets the state before, the action, and the state after, and
 * returns null or a message naming the offending values (task, node, states) in docker's vocabulary.
 *
 * Properties that another part of the project owns (Raft, on branch `raft`, properties/raft/) or that
 * need a model feature not built yet are listed with status 'elsewhere' or 'pending' and a reason:
 * they are never counted as passes (`npm run coverage:model` and the suite's summary print them).
 */

import { DYNAMIC_PORT_END, DYNAMIC_PORT_START } from '../model/defaults.ts';
import type { Action, State, Task } from '../model/index.ts';
import { DESIRED_STATES, OBSERVED_STATES, type ObservedState, rank } from '../model/taskState.ts';
import { CONTROL_PLANE_INVARIANTS } from './controlPlaneInvariants.ts';
import { constraintsMatch, nodeById, schedulable, tasksHeldBy } from './oracle.ts';

export interface CheckContext {
  /** The actions enabled in the state after the step (memoised: the runner reuses it). */
  enabledAfter(): Action[];
}

export interface ActiveInvariant {
  name: string;
  status: 'active';
  /** One line: what must hold. */
  rule: string;
  /** Where Swarm guarantees it. */
  source: string;
  check(prev: State, a: Action, next: State, ctx: CheckContext): string | null;
}

export interface InactiveInvariant {
  name: string;
  status: 'pending' | 'elsewhere';
  rule: string;
  /** Why it is not checked here, and where or when it will be. */
  reason: string;
}

export type Invariant = ActiveInvariant | InactiveInvariant;

const LEADER_ONLY = new Set([
  'orchestrator',
  'restart',
  'updater',
  'allocator',
  'scheduler',
  'dispatcher',
  'reaper',
]);
const VALID_OBSERVED = new Set<string>(OBSERVED_STATES);
const VALID_DESIRED = new Set<string>(DESIRED_STATES);

/** Pairs (before, after) of tasks present in both states whose object changed. */
function changedTasks(prev: State, next: State): [Task, Task][] {
  if (prev.tasks === next.tasks) return [];
  const before = new Map<string, Task>();
  for (const t of prev.tasks) before.set(t.id, t);
  const out: [Task, Task][] = [];
  for (const t of next.tasks) {
    const p = before.get(t.id);
    if (p !== undefined && p !== t) out.push([p, t]);
  }
  return out;
}

export function taskLabel(s: State, t: Task): string {
  const svc = s.services.find((x) => x.id === t.serviceId);
  const name = svc ? svc.spec.name : t.serviceId;
  if (t.slot !== 0) return `${name}.${t.slot} (${t.id})`;
  const n = nodeById(s, t.nodeId);
  return `${name}.${n ? n.hostname : t.nodeId || '?'} (${t.id})`;
}

const host = (s: State, id: string): string => nodeById(s, id)?.hostname ?? id;

/**
 * Who may move a task's observed state to `to`, and from which states: the code's table
 * (semantics/orchestration.md §1.3, moby/swarmkit:agent/exec/controller.go (Do), allocator/network.go,
 * scheduler/scheduler.go, constraintenforcer, dispatcher/dispatcher.go, controlapi/node.go).
 * `fault` stands for the container runtime the model does not run: a container exits (→ complete /
 * failed) or the agent hits a fatal error before start (→ rejected).
 */
const OBSERVED_OWNERS: Record<ObservedState, { actors: string[]; from?: (f: ObservedState) => boolean }> = {
  new: { actors: [] },
  pending: { actors: ['allocator'], from: (f) => f === 'new' },
  assigned: { actors: ['scheduler'], from: (f) => f === 'pending' },
  accepted: { actors: ['agent'], from: (f) => f === 'assigned' },
  preparing: { actors: ['agent'], from: (f) => f === 'accepted' },
  ready: { actors: ['agent'], from: (f) => f === 'preparing' },
  starting: { actors: ['agent'], from: (f) => f === 'ready' },
  running: { actors: ['agent'], from: (f) => f === 'starting' },
  complete: { actors: ['agent', 'fault'], from: (f) => f === 'running' },
  shutdown: { actors: ['agent', 'scheduler'], from: (f) => rank(f) < rank('complete') },
  failed: {
    actors: ['agent', 'fault'],
    from: (f) => rank(f) >= rank('assigned') && rank(f) <= rank('running'),
  },
  rejected: { actors: ['agent', 'fault', 'orchestrator'], from: (f) => rank(f) < rank('complete') },
  orphaned: { actors: ['dispatcher', 'user'], from: (f) => rank(f) < rank('complete') },
};

/** Writers of desired state (orchestration.md §1.2): orchestrators, restart supervisor, updater. */
const DESIRED_WRITERS = new Set(['orchestrator', 'restart', 'updater']);
const CREATORS = new Set(['orchestrator', 'restart', 'updater']);
const DELETERS = new Set(['reaper', 'orchestrator']);

/**
 * A documented modelling compromise, not a pass by default: the model folds the orchestrators'
 * reaction to a service deletion (moby/swarmkit:manager/orchestrator/service.go (SetServiceTasksRemove),
 * a separate transaction in SwarmKit) into the `docker service rm` step itself
 * (model/controlapi/service.ts (removeService)). So the user action may raise desired to REMOVE.
 */
const foldedServiceRm = (a: Action, t: Task): boolean =>
  a.actor === 'user' && a.command.kind === 'service.rm' && t.desired === 'remove';

/**
 * Same kind of compromise at leader start-up: the model runs the orchestrators' init pass
 * (moby/swarmkit:manager/orchestrator/taskinit/init.go (CheckTasks)) inside the `raft: elect` step
 * (model/leadership.ts (becomeLeader)): it deletes tasks of deleted services and starts delayed
 * replacements whose delay has passed (desired READY → RUNNING).
 */
const foldedLeaderInit = (a: Action, p: Task, t: Task): boolean =>
  a.actor === 'raft' && p.desired === 'ready' && t.desired === 'running';

export const INVARIANTS: Invariant[] = [
  {
    name: 'task-states-never-decrease',
    status: 'active',
    rule: "a task's observed and desired states only move forward in SwarmKit's numeric order",
    source:
      'moby/swarmkit:api/types.proto (TaskState); dispatcher.go (processUpdates) drops backwards reports',
    check(prev, _a, next) {
      for (const [p, t] of changedTasks(prev, next)) {
        if (rank(t.observed) < rank(p.observed))
          return `task ${taskLabel(next, t)}: observed ${p.observed} → ${t.observed} goes backwards`;
        if (rank(t.desired) < rank(p.desired))
          return `task ${taskLabel(next, t)}: desired ${p.desired} → ${t.desired} goes backwards`;
      }
      return null;
    },
  },
  {
    name: 'task-states-valid',
    status: 'active',
    rule: 'observed is one of the 13 observed states; desired is one of ready, running, complete, shutdown, remove',
    source: 'moby/swarmkit:api/types.proto (TaskState); orchestration.md §1.2',
    check(prev, _a, next) {
      if (prev.tasks === next.tasks) return null;
      for (const t of next.tasks) {
        if (!VALID_OBSERVED.has(t.observed))
          return `task ${taskLabel(next, t)}: observed state '${t.observed}'`;
        if (!VALID_DESIRED.has(t.desired)) return `task ${taskLabel(next, t)}: desired state '${t.desired}'`;
      }
      return null;
    },
  },
  {
    name: 'task-transitions-by-owner',
    status: 'active',
    rule: 'each task transition is made by the component that owns it (TLA+ TransitionsOK, per the code)',
    source: 'moby/swarmkit:design/tla/Tasks.tla (Transitions); orchestration.md §1.3',
    check(prev, a, next) {
      if (prev.tasks === next.tasks) return null;
      const before = new Map<string, Task>();
      for (const t of prev.tasks) before.set(t.id, t);
      const seen = new Set<string>();
      for (const t of next.tasks) {
        seen.add(t.id);
        const p = before.get(t.id);
        if (p === undefined) {
          if (!CREATORS.has(a.actor)) return `task ${taskLabel(next, t)} created by ${a.actor}`;
          if (t.observed !== 'new')
            return `task ${taskLabel(next, t)} created in state ${t.observed}, not new`;
          continue;
        }
        if (p === t) continue;
        if (p.observed !== t.observed) {
          const own = OBSERVED_OWNERS[t.observed];
          if (!own.actors.includes(a.actor) || (own.from !== undefined && !own.from(p.observed)))
            return `task ${taskLabel(next, t)}: ${p.observed} → ${t.observed} done by ${a.actor} (owner: ${own.actors.join('/') || 'nobody'})`;
        }
        if (
          p.desired !== t.desired &&
          !DESIRED_WRITERS.has(a.actor) &&
          !foldedServiceRm(a, t) &&
          !foldedLeaderInit(a, p, t)
        )
          return `task ${taskLabel(next, t)}: desired ${p.desired} → ${t.desired} set by ${a.actor}`;
      }
      for (const p of prev.tasks)
        if (
          !seen.has(p.id) &&
          !DELETERS.has(a.actor) &&
          !(a.actor === 'raft' && !next.services.some((x) => x.id === p.serviceId))
        )
          return `task ${taskLabel(prev, p)} deleted by ${a.actor}`;
      return null;
    },
  },
  {
    name: 'task-never-changes-node',
    status: 'active',
    rule: 'once a task has a node it keeps it: a moved task is a new task in the same slot',
    source: 'moby/swarmkit:design/task_model.md; orchestration.md §1.4',
    check(prev, _a, next) {
      for (const [p, t] of changedTasks(prev, next))
        if (p.nodeId !== '' && t.nodeId !== p.nodeId)
          return `task ${taskLabel(next, t)} moved from node ${host(prev, p.nodeId)} to ${host(next, t.nodeId) || '(none)'}`;
      return null;
    },
  },
  {
    name: 'task-spec-immutable',
    status: 'active',
    rule: "a task's spec is the service's TaskSpec copied at creation and never modified",
    source: 'moby/swarmkit:manager/orchestrator/task.go (NewTask); orchestration.md §1.4',
    check(prev, _a, next) {
      for (const [p, t] of changedTasks(prev, next))
        if (p.spec !== t.spec && JSON.stringify(p.spec) !== JSON.stringify(t.spec))
          return `task ${taskLabel(next, t)}: spec changed`;
      return null;
    },
  },
  {
    name: 'assigned-task-has-node',
    status: 'active',
    rule: 'a task at or past ASSIGNED has a node (except one the scheduler shut down while still PENDING)',
    source: 'moby/swarmkit:manager/scheduler/scheduler.go (noSuitableNode); orchestration.md §11.3',
    check(prev, _a, next) {
      for (const [, t] of changedTasks(prev, next))
        if (t.nodeId === '' && rank(t.observed) >= rank('assigned') && t.observed !== 'shutdown')
          return `task ${taskLabel(next, t)} is ${t.observed} without a node`;
      return null;
    },
  },
  {
    name: 'task-ids-unique',
    status: 'active',
    rule: 'no two tasks share an id',
    source: 'moby/swarmkit:manager/state/store/tasks.go (CreateTask)',
    check(prev, _a, next) {
      if (prev.tasks === next.tasks || next.tasks.length === prev.tasks.length) return null;
      const ids = new Set<string>();
      for (const t of next.tasks) {
        if (ids.has(t.id)) return `task id ${t.id} appears twice`;
        ids.add(t.id);
      }
      return null;
    },
  },
  {
    name: 'agent-respects-desired-state',
    status: 'active',
    rule: 'an agent only prepares a task desired ≥ READY and only starts one desired RUNNING; never either when desired ≥ SHUTDOWN',
    source: 'moby/swarmkit:agent/exec/controller.go (Do); orchestration.md §11.5',
    check(prev, a, next) {
      if (a.actor !== 'agent') return null;
      for (const [p, t] of changedTasks(prev, next)) {
        if (
          t.observed === 'preparing' &&
          !(rank(p.desired) > rank('accepted') && rank(p.desired) < rank('shutdown'))
        )
          return `task ${taskLabel(next, t)} prepared while desired ${p.desired}`;
        if (
          t.observed === 'starting' &&
          !(rank(p.desired) > rank('ready') && rank(p.desired) < rank('shutdown'))
        )
          return `task ${taskLabel(next, t)} started while desired ${p.desired}`;
      }
      return null;
    },
  },
  {
    name: 'scheduler-places-only-where-allowed',
    status: 'active',
    rule: 'a task is ASSIGNED only to a node that is ready+active and passes constraints, resources, host ports and max-replicas',
    source:
      'moby/swarmkit:manager/scheduler/filter.go (ReadyFilter, ResourceFilter, ConstraintFilter, HostPortFilter, MaxReplicasFilter)',
    check(prev, _a, next) {
      const touched = new Set<string>();
      for (const [p, t] of changedTasks(prev, next)) {
        if (!(p.observed === 'pending' && t.observed === 'assigned')) continue;
        const n = nodeById(prev, t.nodeId);
        if (!n) return `task ${taskLabel(next, t)} assigned to unknown node ${t.nodeId}`;
        if (!schedulable(n))
          return `task ${taskLabel(next, t)} assigned to ${n.hostname}, which is ${n.status}/${n.availability} (needs ready/active)`;
        if (!constraintsMatch(t.spec.placement.constraints, n))
          return `task ${taskLabel(next, t)} assigned to ${n.hostname}, which fails its constraints [${t.spec.placement.constraints.join(', ')}] (labels ${JSON.stringify(n.labels)}, role ${n.role})`;
        touched.add(n.id);
        const max = t.spec.placement.maxReplicas;
        if (max > 0) {
          const same = tasksHeldBy(next, n.id).filter(
            (x) => x.serviceId === t.serviceId && rank(x.desired) <= rank('complete'),
          ).length;
          if (same > max)
            return `node ${n.hostname} holds ${same} active tasks of ${taskLabel(next, t).split('.')[0]} after assigning ${t.id}, max-replicas ${max}`;
        }
      }
      for (const id of touched) {
        const n = nodeById(next, id)!;
        const held = tasksHeldBy(next, id);
        let cpu = 0;
        let mem = 0;
        const ports = new Map<string, string>();
        for (const x of held) {
          cpu += x.spec.reservations.nanoCpus;
          mem += x.spec.reservations.memoryBytes;
          for (const pc of x.ports) {
            if (pc.mode !== 'host' || pc.publishedPort === 0) continue;
            const k = `${pc.protocol}/${pc.publishedPort}`;
            const other = ports.get(k);
            if (other !== undefined)
              return `node ${n.hostname}: host port ${k} used by both ${other} and ${taskLabel(next, x)}`;
            ports.set(k, taskLabel(next, x));
          }
        }
        if (cpu > n.nanoCpus || mem > n.memoryBytes)
          return `node ${n.hostname} over-committed: reservations ${cpu / 1e9} CPU / ${mem} B > ${n.nanoCpus / 1e9} CPU / ${n.memoryBytes} B`;
      }
      return null;
    },
  },
  {
    name: 'drain-stops-tasks',
    status: 'active',
    rule: 'once the orchestrators have reacted, no task that reached a drained node is desired ≤ RUNNING (replicated and global alike), unless it waits out its restart delay',
    source:
      'moby/swarmkit:manager/orchestrator/task.go (InvalidNode); global/global.go (reconcileOneNode); orchestration.md §4.3',
    check(_prev, _a, next, ctx) {
      if (next.raft.leader === '') return null;
      let drained = false;
      for (const n of next.nodes) if (n.availability === 'drain') drained = true;
      if (!drained) return null;
      for (const x of ctx.enabledAfter())
        if (x.actor === 'orchestrator' || x.actor === 'restart') return null;
      for (const t of next.tasks) {
        if (t.nodeId === '' || rank(t.desired) > rank('running')) continue;
        // A replacement still inside its restart delay (desired READY, parked at READY by the agent) is
        // restarted only once that delay has fired: restart.go (Restart: waitRestart). Its timer, not
        // an orchestrator, is what is pending.
        if (t.delayed !== null) continue;
        // A preassigned global task that never reached the node (observed < ASSIGNED): the scheduler
        // keeps it PENDING there, since a drained node fails ReadyFilter (scheduler.go
        // (processPreassignedTasks)). A start-first updater whose slot snapshot predates the drain
        // creates exactly such a task (updater.go (updateTask)); nothing removes it.
        if (rank(t.observed) < rank('assigned')) continue;
        const n = nodeById(next, t.nodeId);
        if (n && n.availability === 'drain')
          return `node ${n.hostname} is drained and the orchestrators are idle, but task ${taskLabel(next, t)} is still desired ${t.desired} (observed ${t.observed})`;
      }
      return null;
    },
  },
  {
    name: 'cut-off-node-loses-heartbeat',
    status: 'active',
    rule: 'a node the leader cannot reach (machine down, or in another partition group) and not yet DOWN has a heartbeat deadline at most 6 periods ahead',
    source:
      'moby/swarmkit:manager/dispatcher/dispatcher.go (markNodeNotReady), nodes.go (newNodeStore: 3 periods, 6 after markNodesUnknown)',
    check(_prev, _a, next) {
      // Reachability recomputed here from the machines, not asked of the model's gate.
      const leader = next.raft.leader === '' ? undefined : nodeById(next, next.raft.leader);
      if (!leader) return null;
      const limit = next.now + 6 * next.heartbeatPeriodMs;
      for (const n of next.nodes) {
        if (n.status === 'down') continue;
        const reachable = n.up && !n.left && leader.up && n.group === leader.group;
        if (reachable) continue;
        const hb = n.dispatcher.heartbeatDeadline;
        if (hb < next.now || hb > limit)
          return `node ${n.hostname} cannot reach the leader ${leader.hostname} and is ${n.status}, but its heartbeat deadline is ${hb < 0 ? 'not armed' : `${hb} ms`} (now ${next.now} ms): it would never go DOWN`;
      }
      return null;
    },
  },
  {
    name: 'leader-only-components',
    status: 'active',
    rule: 'orchestrators, scheduler, allocator, dispatcher, reaper act, and docker commands succeed, only while there is a leader',
    source: 'moby/swarmkit:manager/manager.go (becomeLeader); raft notes §1.1',
    check(prev, a) {
      if (prev.raft.leader !== '') return null;
      if (LEADER_ONLY.has(a.actor)) return `${a.actor} acted with no leader`;
      if (a.actor === 'user' && a.command.kind !== 'swarm.init')
        return `docker command ${a.command.kind} succeeded with no leader`;
      return null;
    },
  },
  {
    name: 'leader-has-quorum',
    status: 'active',
    rule: 'the recognised leader is up and its partition holds a majority (⌊N/2⌋+1) of the Raft voters',
    source:
      'moby/swarmkit:vendor/go.etcd.io/raft/v3/quorum/majority.go (VoteResult); CheckQuorum in manager/state/raft/raft.go',
    check(_prev, _a, next) {
      const id = next.raft.leader;
      if (id === '') return null;
      const l = nodeById(next, id);
      if (l?.up !== true || l.left) return `leader ${l?.hostname ?? id} is not running`;
      let with_ = 0;
      for (const v of next.raft.voters) {
        const m = nodeById(next, v);
        if (m?.up === true && !m.left && m.group === l.group) with_++;
      }
      const need = Math.floor(next.raft.voters.length / 2) + 1;
      if (with_ < need)
        return `leader ${l.hostname} reaches ${with_} of ${next.raft.voters.length} managers; a majority is ${need}`;
      return null;
    },
  },
  {
    name: 'raft-voters-are-managers',
    status: 'active',
    rule: 'every Raft voter is a node in the store whose desired role is manager (a demotion leaves the Raft configuration in the same command; node rm refuses a voter)',
    source:
      'moby/swarmkit:manager/controlapi/node.go (UpdateNode, RemoveNode); manager/role_manager.go (reconcileRole), folded into the demotion',
    check(_prev, _a, next) {
      for (const v of next.raft.voters) {
        const n = nodeById(next, v);
        if (n === undefined) return `Raft voter ${v} has no node object`;
        if (n.desiredRole !== 'manager') return `Raft voter ${n.hostname} has desired role ${n.desiredRole}`;
      }
      return null;
    },
  },
  // Control plane on Raft (properties/controlPlaneInvariants.ts).
  ...CONTROL_PLANE_INVARIANTS,
  {
    name: 'orphaned-only-when-node-gone',
    status: 'active',
    rule: 'the dispatcher orphans tasks only of a node that is DOWN (24 h) or DISCONNECTED',
    source: 'moby/swarmkit:manager/dispatcher/dispatcher.go (moveTasksToOrphaned); orchestration.md §11.11',
    check(prev, a, next) {
      if (a.actor !== 'dispatcher') return null;
      for (const [p, t] of changedTasks(prev, next)) {
        if (t.observed !== 'orphaned' || p.observed === 'orphaned') continue;
        const n = nodeById(prev, t.nodeId);
        if (n && n.status !== 'down' && n.status !== 'disconnected')
          return `task ${taskLabel(next, t)} orphaned while node ${n.hostname} is ${n.status}`;
      }
      return null;
    },
  },
  // ---- owned elsewhere: the message-level Raft properties (branch `raft`, properties/raft/) ----
  ...(
    [
      ['election-safety', 'at most one leader per term'],
      ['leader-append-only', 'a leader never overwrites or deletes entries in its log'],
      ['log-matching', 'two logs with an entry of the same index and term are identical up to it'],
      ['leader-completeness', 'a committed entry is in the log of every later leader'],
      ['state-machine-safety', 'no two servers apply different entries at one index'],
      ['no-commit-without-majority', 'a write commits only once a majority of voters stored it'],
    ] as const
  ).map(
    ([name, rule]): InactiveInvariant => ({
      name,
      status: 'elsewhere',
      rule,
      reason:
        'message-level Raft: owned by properties/raft/ (branch raft); the gate-level leader-has-quorum is checked here',
    }),
  ),
  {
    name: 'secrets-reach-only-their-tasks',
    status: 'elsewhere',
    rule: 'a secret reaches only nodes running a task that uses it',
    reason:
      'checked as SecretsOnlyToEntitledNodes in properties/updateInvariants.ts (properties/updates.test.ts)',
  },
  {
    name: 'ingress-ports-unique',
    status: 'active',
    rule: 'a published ingress port belongs to one service only, and no other service publishes one the user asked for in host mode; an auto-assigned one comes from 30000–32767',
    source:
      'moby/swarmkit:manager/controlapi/service.go (checkPortConflicts); manager/allocator/portallocator.go (dynamic range 30000–32767)',
    check(prev, _a, next) {
      if (prev.services === next.services) return null;
      const holders = new Map<string, string>();
      const asked = new Map<string, string>();
      for (const svc of next.services)
        for (const p of svc.ports)
          if (p.mode === 'ingress' && p.publishedPort !== 0) {
            const k = `${p.protocol}/${p.publishedPort}`;
            const other = holders.get(k);
            if (other !== undefined && other !== svc.spec.name)
              return `ingress port ${k} is held by both ${other} and ${svc.spec.name}`;
            holders.set(k, svc.spec.name);
            const explicit = svc.spec.endpoint.ports.some(
              (q) => q.mode === 'ingress' && q.protocol === p.protocol && q.publishedPort === p.publishedPort,
            );
            if (explicit) asked.set(k, svc.spec.name);
            if (!explicit && (p.publishedPort < DYNAMIC_PORT_START || p.publishedPort > DYNAMIC_PORT_END))
              return `${svc.spec.name} was given ingress port ${k}, outside the dynamic range ${DYNAMIC_PORT_START}–${DYNAMIC_PORT_END}`;
          }
      // Any mode: a host-mode port equal to another service's ingress port the user asked for is
      // refused as well. An auto-assigned ingress port may equal a host-mode port: the port allocator
      // only knows ingress ports (portallocator.go), and checkPortConflicts only sees published ports.
      for (const svc of next.services)
        for (const p of [...svc.ports, ...svc.spec.endpoint.ports]) {
          if (p.publishedPort === 0) continue;
          const other = asked.get(`${p.protocol}/${p.publishedPort}`);
          if (other !== undefined && other !== svc.spec.name)
            return `port ${p.protocol}/${p.publishedPort} is ${other}'s ingress port, yet ${svc.spec.name} publishes it (${p.mode} mode)`;
        }
      return null;
    },
  },
];

export const ACTIVE_INVARIANTS: ActiveInvariant[] = INVARIANTS.filter(
  (i): i is ActiveInvariant => i.status === 'active',
);
