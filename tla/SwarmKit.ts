/**
 * MODULE SwarmKit — moby/swarmkit:design/tla/SwarmKit.tla, transcribed: the complete system
 * (Init, Next, Spec's fairness) and the properties it checks (TypeOK, Inv, TransitionsOK,
 * EventuallyAsDesired). The components' actions live in one file per nested module (User.ts,
 * Orchestrator.ts, Allocator.ts, Scheduler.ts, Reaper.ts) and WorkerSpec.ts.
 */
import { AllocateTask } from './Allocator.ts';
import { InitEvents } from './EventCounter.ts';
import {
  CleanupService,
  CleanupTerminated,
  CreateSlot,
  ReleaseReady,
  ReplaceTask,
  RequestRemoval,
  RestartTask,
} from './Orchestrator.ts';
import { Reaper } from './Reaper.ts';
import { Scheduler } from './Scheduler.ts';
import { domainServices, IsGlobal, IsReplicated, lowest, serviceSpec, VSlotsOf } from './Services.ts';
import type { Ctx, Vars } from './state.ts';
import { type Actor, NULL, pair, type TaskSet, Transitions } from './Tasks.ts';
import {
  ASSIGNED,
  desired,
  GLOBAL,
  GLOBAL_SLOT,
  Id,
  id,
  isDesiredState,
  isTaskState,
  NO_SERVICE,
  node,
  order,
  preceq,
  REJECTED,
  REMOVE,
  RUNNING,
  Runnable,
  removeOf,
  replicasOf,
  State,
  service,
  showTask,
  slot,
  UNASSIGNED,
  VSlot,
} from './Types.ts';
import { CreateService, RemoveService, UpdateService } from './User.ts';
import {
  ContainerExit,
  type Emit,
  OrphanTasks,
  ProgressTask,
  RejectTask,
  ShutdownComplete,
  WorkerDown,
  WorkerUp,
} from './WorkerSpec.ts';

/** The component an action belongs to (the nested module, or the agent for WorkerSpec's actions). */
export type Component = 'user' | 'orchestrator' | 'allocator' | 'scheduler' | 'agent' | 'reaper' | 'none';

export interface TlaAction {
  name: string;
  component: Component;
  fn: (v: Vars, K: Ctx, emit: Emit) => void;
}

/**
 * (* Unfortunately, `AgentReal' causes TLC to report all problems of the agent as simply `AgentReal'
 *    steps ... We can get better diagnostics by expanding it *)  — AgentTLC: each WorkerSpec action
 * /\ UNCHANGED services (the functions in WorkerSpec.ts copy `services` through).
 *
 * (nEvents = maxEvents /\ UNCHANGED vars): "For model checking: don't report deadlock if we're
 * limiting events".
 */
function EventLimitStutter(v: Vars, K: Ctx, emit: Emit): void {
  if (v.nEvents === K.maxEvents) emit(v);
}

/**
 * Next ==
 *   \/ User \/ Orchestrator \/ Allocator \/ Scheduler \/ AgentTLC \/ Reaper
 *   \/ (nEvents = maxEvents /\ UNCHANGED vars)
 * One entry per disjunct after expanding the component disjunctions; the index is the action label.
 */
export const Next: readonly TlaAction[] = [
  // User == \/ CreateService \/ UpdateService \/ RemoveService
  { name: 'CreateService', component: 'user', fn: CreateService },
  { name: 'UpdateService', component: 'user', fn: UpdateService },
  { name: 'RemoveService', component: 'user', fn: RemoveService },
  // Orchestrator == \/ OrchestratorProgress \/ RestartTask
  { name: 'CreateSlot', component: 'orchestrator', fn: CreateSlot },
  { name: 'ReplaceTask', component: 'orchestrator', fn: ReplaceTask },
  { name: 'RequestRemoval', component: 'orchestrator', fn: RequestRemoval },
  { name: 'CleanupTerminated', component: 'orchestrator', fn: CleanupTerminated },
  { name: 'ReleaseReady', component: 'orchestrator', fn: ReleaseReady },
  { name: 'CleanupService', component: 'orchestrator', fn: CleanupService },
  { name: 'RestartTask', component: 'orchestrator', fn: RestartTask },
  // Allocator == \/ AllocatorProgress == \/ AllocateTask
  { name: 'AllocateTask', component: 'allocator', fn: AllocateTask },
  // Scheduler
  { name: 'Scheduler', component: 'scheduler', fn: Scheduler },
  // AgentTLC
  { name: 'ProgressTask', component: 'agent', fn: ProgressTask },
  { name: 'ShutdownComplete', component: 'agent', fn: ShutdownComplete },
  { name: 'OrphanTasks', component: 'agent', fn: OrphanTasks },
  { name: 'WorkerUp', component: 'agent', fn: WorkerUp },
  { name: 'RejectTask', component: 'agent', fn: RejectTask },
  { name: 'ContainerExit', component: 'agent', fn: ContainerExit },
  { name: 'WorkerDown', component: 'agent', fn: WorkerDown },
  // Reaper
  { name: 'Reaper', component: 'reaper', fn: Reaper },
  { name: 'EventLimitStutter', component: 'none', fn: EventLimitStutter },
];

/** Action labels by name, for fairness and property definitions. */
export function actionIds(next: readonly TlaAction[], ...names: string[]): number[] {
  return names.map((n) => {
    const i = next.findIndex((a) => a.name === n);
    if (i < 0) throw new Error(`no action ${n} in Next`);
    return i;
  });
}

/**
 * Init ==
 *   /\ tasks = {}
 *   /\ services = << >>
 *   /\ nodes = [ n \in Node |-> nodeUp ]
 *   /\ InitEvents
 */
export function Init(K: Ctx): Vars[] {
  return [{ tasks: [], services: K.ServiceIdSet.map(() => NO_SERVICE), nodes: 0, nEvents: InitEvents }];
}

/**
 * Spec == Init /\ [][Next]_vars
 *   /\ WF_vars(OrchestratorProgress) /\ WF_vars(AllocatorProgress) /\ WF_vars(Scheduler)
 *   /\ WF_vars(AgentProgress /\ UNCHANGED services) /\ WF_vars(Reaper)
 *   /\ WF_vars(WorkerUp /\ UNCHANGED services)
 * (* We don't require fairness of: User, RestartTask, RejectTask, ContainerExit or WorkerDown. *)
 */
export const Fairness: readonly { name: string; actions: readonly string[] }[] = [
  {
    name: 'WF_vars(OrchestratorProgress)',
    actions: [
      'CreateSlot',
      'ReplaceTask',
      'RequestRemoval',
      'CleanupTerminated',
      'ReleaseReady',
      'CleanupService',
    ],
  },
  { name: 'WF_vars(AllocatorProgress)', actions: ['AllocateTask'] },
  { name: 'WF_vars(Scheduler)', actions: ['Scheduler'] },
  {
    name: 'WF_vars(AgentProgress /\\ UNCHANGED services)',
    actions: ['ProgressTask', 'ShutdownComplete', 'OrphanTasks', 'WorkerUp'],
  },
  { name: 'WF_vars(Reaper)', actions: ['Reaper'] },
  { name: 'WF_vars(WorkerUp /\\ UNCHANGED services)', actions: ['WorkerUp'] },
];

// ---------------------------------------------------------------------------------------------
// Properties

/**
 * TypeOK ==
 *   /\ DOMAIN services \subseteq ServiceId
 *   /\ services \in [ DOMAIN services -> ServiceSpec ]
 *   /\ TasksTypeOK    \* tasks \in SUBSET Task
 *   /\ WorkerTypeOK   \* nodes \in [ Node -> NodeState ]
 */
export function TypeOK(K: Ctx, v: Vars): true | string {
  for (const sid of K.ServiceIdSet) {
    const spec = v.services[sid];
    if (spec === NO_SERVICE) continue;
    const r = replicasOf(spec);
    if (!((r >= 0 && r <= K.maxReplicas) || r === GLOBAL)) return `services[s${sid + 1}].replicas = ${r}`;
  }
  if (v.services.length !== K.ServiceId) return 'DOMAIN services is not a subset of ServiceId';
  for (const t of v.tasks) {
    const ok =
      id(t) < K.TaskId &&
      service(t) < K.ServiceId &&
      isTaskState(State(t)) &&
      isDesiredState(desired(t)) &&
      (node(t) < K.Node || node(t) === UNASSIGNED) &&
      ((slot(t) >= 1 && slot(t) <= K.maxReplicas) || slot(t) === GLOBAL_SLOT);
    if (!ok) return `task ${showTask(t)} is not in Task`;
  }
  if ((v.nodes & ~K.allNodes) !== 0) return 'nodes is not in [Node -> NodeState]';
  return true;
}

/**
 * Inv ==
 *   \A t \in tasks :
 *     /\ t.service \in DOMAIN services                                  \* Every task has a service
 *     /\ assigned \preceq State(t) => t.node \in Node \/ State(t) = rejected
 *     /\ State(t) # remove                  \* `remove' is only used as a desired state
 *     /\ \A t2 \in tasks : Id(t) = Id(t2) => t = t2                    \* Task IDs are unique
 */
export function Inv(K: Ctx, v: Vars): true | string {
  for (const t of v.tasks) {
    if (v.services[service(t)] === NO_SERVICE) return `task ${showTask(t)} has no service`;
    if (preceq(ASSIGNED, State(t)) && !(node(t) < K.Node || State(t) === REJECTED))
      return `task ${showTask(t)} is past assigned but has no node`;
    if (State(t) === REMOVE) return `task ${showTask(t)} has state remove`;
    const idT = Id(t);
    for (const t2 of v.tasks)
      if (t2 > t && Id(t2) === idT) return `tasks ${showTask(t)} and ${showTask(t2)} share an ID`;
  }
  return true;
}

/**
 * (* The state of task `i' in `S', or `null' if it doesn't exist *)
 * Get(S, i) == LET cand == { x \in S : Id(x) = i }
 *              IN  IF cand = {} THEN null ELSE State(CHOOSE x \in cand : TRUE)
 *
 * CHOOSE: we take the smallest packed record. While Inv holds `cand` has at most one element, so
 * the choice cannot matter (Inv is checked on every state before the step's TransitionsOK).
 */
function Get(S: TaskSet, i: number): number {
  for (const x of S) if (Id(x) === i) return State(x);
  return NULL;
}

/**
 * StepTransitionsOK ==
 *   LET permitted == { << x, x >> : x \in TaskState } \union  \* No change is always OK
 *     CASE Orchestrator -> Transitions.orchestrator
 *       [] Allocator    -> Transitions.allocator
 *       [] Scheduler    -> Transitions.scheduler
 *       [] Agent        -> Transitions.agent
 *       [] Reaper       -> Transitions.reaper
 *       [] OTHER        -> {}
 *     oldIds == IdSet(tasks)
 *     newIds == IdSet(tasks')
 *   IN \A id \in newIds \union oldIds : << Get(tasks, id), Get(tasks', id) >> \in permitted
 *
 * The CASE asks which component's action the pair (s, s') satisfies, in that order. `labels` lists
 * every action of Next that produces s' from s, so the first arm whose component appears there is
 * the CASE's choice. (WorkerSpec's `Agent` leaves `services` unconstrained, unlike AgentTLC; the two
 * differ only on steps that change `services`, and no step of Next changes both `services` and a
 * task's state, so on such steps every pair is an identity pair and any arm permits it.)
 */
export function StepTransitionsOK(v: Vars, next: Vars, components: number): true | string {
  // Both states already satisfy TypeOK (checked when first found), so an unchanged `tasks` gives only
  // pairs << x, x >> with x \in TaskState: permitted whatever the CASE chooses.
  if (v.tasks === next.tasks) return true;
  const arm = ARM_BY_COMPONENTS[components & 127];
  const allowed = arm ? ALLOWED[arm] : NO_TRANSITIONS;
  // \A id \in newIds \union oldIds : << Get(tasks, id), Get(tasks', id) >> \in permitted
  // Both states satisfy Inv (checked first), so IDs are unique in each. A record present in both
  // sets then gives << x, x >>, and for a record only in one set, Get in the other set finds the
  // record with the same ID among those only in that set (or null). So only the symmetric
  // difference (a record or two) needs looking at. Both sets are sorted.
  const a = v.tasks;
  const b = next.tasks;
  const fromA: number[] = [];
  const fromB: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) fromA.push(a[i++]);
    else if (i >= a.length || b[j] < a[i]) fromB.push(b[j++]);
    else {
      i++;
      j++;
    }
  }
  for (const t of fromA) {
    const id = Id(t);
    const verdict = checkPair(id, State(t), Get(fromB, id), allowed, arm);
    if (verdict !== true) return verdict;
  }
  for (const t of fromB) {
    const id = Id(t);
    if (Get(fromA, id) !== NULL) continue; // already checked from the old side
    const verdict = checkPair(id, NULL, State(t), allowed, arm);
    if (verdict !== true) return verdict;
  }
  return true;
}

function checkPair(
  i: number,
  from: number,
  to: number,
  allowed: Uint8Array,
  arm: Actor | undefined,
): true | string {
  if (from === to && isTaskState(from)) return true; // << x, x >> with x \in TaskState
  if (allowed[pair(from, to)] === 1) return true;
  const name = (s: number) => (s === NULL ? 'null' : showState(s));
  return `task ${showId(i)} went ${name(from)} -> ${name(to)}, not a transition of ${arm ?? 'any component (CASE OTHER -> {})'}`;
}

const CASE_ORDER = ['orchestrator', 'allocator', 'scheduler', 'agent', 'reaper'] as const;
const NO_TRANSITIONS = new Uint8Array(256);

/** One bit per component, so a step's components are a small integer (see StepTransitionsOK). */
export const COMPONENT_BIT: Record<Component, number> = {
  user: 1,
  orchestrator: 2,
  allocator: 4,
  scheduler: 8,
  agent: 16,
  reaper: 32,
  none: 64,
};

const showState = (s: number): string => order[s] ?? String(s);
function showId(i: number): string {
  const vs = (i >> 4) & 31;
  return `<<s${(i >> 9) + 1}, ${vs >= 16 ? (vs - 16 === UNASSIGNED ? 'unassigned' : `n${vs - 16 + 1}`) : vs}, t${(i & 15) + 1}>>`;
}

/**
 * (* Every service has the right number of running tasks (the system is in the desired state). *)
 * InDesiredState ==
 *   \A sid \in DOMAIN services :
 *     /\ ~services[sid].remove
 *     /\ LET runningTasks == { t \in TasksOf(sid) : State(t) = running }
 *            nRunning     == Cardinality(runningTasks)
 *        IN CASE IsReplicated(sid) -> nRunning = services[sid].replicas
 *             [] IsGlobal(sid) -> /\ nRunning = Cardinality(Node)
 *                                 /\ { t.node : t \in runningTasks } = Node
 *     /\ \A slot \in VSlotsOf(sid) :
 *        LET terminated == { t \in TasksOfVSlot(sid, slot) : ~Runnable(t) }
 *        IN  Cardinality(terminated) <= maxTerminated
 */
export function InDesiredState(K: Ctx, v: Vars): boolean {
  for (let dom = domainServices(v, K); dom !== 0; dom &= dom - 1) {
    const sid = lowest(dom);
    if (removeOf(serviceSpec(v, sid))) return false;
    // runningTasks == { t \in TasksOf(sid) : State(t) = running }: count them and their nodes.
    let nRunning = 0;
    let runningNodes = 0; // { t.node : t \in runningTasks } as a bit set (unassigned is bit 15)
    for (const t of v.tasks) {
      if (service(t) !== sid || State(t) !== RUNNING) continue;
      nRunning++;
      runningNodes |= 1 << node(t);
    }
    if (IsReplicated(v, sid)) {
      if (nRunning !== replicasOf(serviceSpec(v, sid))) return false;
    } else if (IsGlobal(v, sid)) {
      if (nRunning !== K.Node) return false;
      if (runningNodes !== K.allNodes) return false;
    }
    for (let slots = VSlotsOf(v, sid); slots !== 0; slots &= slots - 1) {
      const vslot = lowest(slots);
      let terminated = 0;
      for (const t of v.tasks) if (service(t) === sid && VSlot(t) === vslot && !Runnable(t)) terminated++;
      if (!(terminated <= K.maxTerminated)) return false;
    }
  }
  return true;
}

/**
 * EventuallyAsDesired ==
 *   \/ []<> <<User>>_vars               \* Either the user keeps changing the configuration,
 *   \/ []<> <<RestartTask>>_vars        \* or restarting/updating tasks,
 *   \/ []<> <<WorkerDown>>_vars         \* or workers keep failing,
 *   \/ []<> <<RejectTask>>_vars         \* or workers keep rejecting tasks,
 *   \/ []<> <<ContainerExit>>_vars      \* or the containers keep exiting,
 *   \/ <>[] InDesiredState              \* or we eventually get to the desired state and stay there.
 *
 * Note on literal reading: WorkerSpec's ContainerExit does not constrain `services`, so with
 * maxEvents = -1 a CleanupService step (which changes only `services`) also satisfies ContainerExit
 * with ts = {} while some node is up. We classify steps by the actions of Next that produce them,
 * so we do not count it. This cannot change the verdict: CleanupService needs `remove = TRUE` and
 * removes the service, so a cycle through a CleanupService step must also contain CreateService and
 * RemoveService steps, and User steps already excuse the cycle.
 */
export const EventuallyAsDesiredFinitelyOften: readonly string[] = [
  'CreateService',
  'UpdateService',
  'RemoveService',
  'RestartTask',
  'WorkerDown',
  'RejectTask',
  'ContainerExit',
];

/** The CASE's arm for every set of components (as COMPONENT_BIT bits), and each arm as a lookup table. */
const ARM_BY_COMPONENTS: (Actor | undefined)[] = Array.from({ length: 128 }, (_, bits) =>
  CASE_ORDER.find((c) => (bits & COMPONENT_BIT[c]) !== 0),
);
const ALLOWED = Object.fromEntries(
  CASE_ORDER.map((c) => {
    const table = new Uint8Array(256);
    for (const p of Transitions[c]) table[p] = 1;
    return [c, table];
  }),
) as Record<Actor, Uint8Array>;
