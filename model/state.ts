/**
 * The cluster as plain data: what SwarmKit's replicated store holds (nodes, services, tasks, secrets,
 * configs, networks, the cluster object), plus the few pieces of leader memory and of the physical
 * world (machines up or crashed, partitions, the clock) that a faithful transition relation needs.
 *
 * Everything is immutable, JSON-serialisable data: no classes, no Maps, no Sets. Components never
 * mutate a State; they build the next one with model/tx.ts, which copies only what changes.
 *
 * Times are integer milliseconds on the model clock `now`. Deadlines are absolute on that clock; an
 * explorer that wants finite states can encode them relative to `now` (every deadline is either -1,
 * "none", or a value ≥ the time it was set, and only differences to `now` matter to any rule).
 */
import type { Updater } from './orchestrator/updater.ts';
import type { Availability, PortConfig, Protocol, Role, ServiceSpec, TaskSpec } from './spec.ts';
import type { DesiredState, ObservedState } from './taskState.ts';

/** moby/swarmkit:api/types.proto (NodeStatus.State). */
export type NodeStatus = 'unknown' | 'down' | 'ready' | 'disconnected';

export interface Node {
  /** Issued at join, never reused (moby/swarmkit:ca/server.go (IssueNodeCertificate)). */
  id: string;
  hostname: string;
  /** Observed role (Node.Role), what `node.role` constraints see. */
  role: Role;
  /** Spec.DesiredRole, what the user asked for. */
  desiredRole: Role;
  availability: Availability;
  /** Spec.Annotations.Labels: user node labels (`docker node update --label-add`). */
  labels: Record<string, string>;
  /** Description.Engine.Labels: daemon labels. */
  engineLabels: Record<string, string>;
  nanoCpus: number;
  memoryBytes: number;
  os: string;
  arch: string;
  /** Status.State as the leader's dispatcher last wrote it. */
  status: NodeStatus;
  statusMessage: string;
  // --- the physical world, not in SwarmKit's store ---
  /** The machine (daemon + agent) is running. A crash sets false; a restart sets true. */
  up: boolean;
  /** `docker swarm leave` ran on it: its agent is gone for good (the node object stays until `node rm`). */
  left: boolean;
  /** Partition group: two machines talk iff both are up and share a group. */
  group: number;
  /** The leader dispatcher's in-memory timers for this node; see model/dispatcher.ts. */
  dispatcher: {
    /** The heartbeat deadline (ms), or -1 while the node heartbeats (connected to the leader). */
    heartbeatDeadline: number;
    /** When a DOWN node's tasks get ORPHANED (ms), or -1 (moby/swarmkit:manager/dispatcher/dispatcher.go (markNodeNotReady)). */
    orphanAt: number;
  };
  /** Event flags: a node change the leader's components have not reacted to yet. */
  pending: {
    /** Global orchestrator's reconcileOneNode (moby/swarmkit:manager/orchestrator/global/global.go). */
    globalReconcile: boolean;
    /** Constraint enforcer pass for this node (moby/swarmkit:manager/orchestrator/constraintenforcer). */
    enforce: boolean;
  };
}

export interface UpdateStatus {
  state: 'updating' | 'paused' | 'completed' | 'rollback_started' | 'rollback_paused' | 'rollback_completed';
  message: string;
}

export interface Service {
  id: string;
  spec: ServiceSpec;
  /** SpecVersion.Index: bumped by every UpdateService (moby/swarmkit:manager/controlapi/service.go (UpdateService)). */
  version: number;
  previousSpec: ServiceSpec | null;
  previousVersion: number;
  /** Endpoint ports after allocation (published 0 on ingress → a port from 30000–32767). */
  ports: PortConfig[];
  createdAt: number;
  updateStatus: UpdateStatus | null;
  /** Event flag: the orchestrator must reconcile this service (create/update, or a task of it was deleted). */
  reconcile: boolean;
}

/** A delayed start kept by the restart supervisor (moby/swarmkit:manager/orchestrator/restart/restart.go (DelayStart)). */
export interface DelayedStart {
  /** Restart delay elapses (ms). */
  startAt: number;
  /** Task whose stop we wait for, or '' when not waiting (waitStop false). */
  oldTaskId: string;
  oldNodeId: string;
  /** The 1-minute old-task timer (started with the delay, not after it). */
  timeoutAt: number;
}

export interface Task {
  id: string;
  serviceId: string;
  /** 1.. for replicated services; 0 for global ones (their "slot" is the node). */
  slot: number;
  /** '' until the scheduler assigns it (global tasks are created with it set). Never changes once set. */
  nodeId: string;
  observed: ObservedState;
  desired: DesiredState;
  /** The service's SpecVersion when the task was created. */
  specVersion: number;
  /** Copy of the service's TaskSpec at creation; never modified (shared by reference, immutable). */
  spec: TaskSpec;
  /** Copy of the service endpoint's ports at creation (host-mode ports matter to the scheduler). */
  ports: PortConfig[];
  createdAt: number;
  /** Creation order, a stable tie-break for "oldest first". */
  seq: number;
  /** Status.Timestamp: when the observed state last changed (ms). */
  statusAt: number;
  /** Status.Message / Status.Err, as `docker service ps` shows them. */
  message: string;
  err: string;
  exitCode: number | null;
  /** Restart supervisor's delayed start, while desired is READY; null otherwise. */
  delayed: DelayedStart | null;
  /** The agent-side container vanished (its machine restarted); see model/agent.ts. */
  containerLost: boolean;
}

export interface NamedObject {
  id: string;
  name: string;
  sizeBytes: number;
  labels: Record<string, string>;
}

export interface Network {
  id: string;
  name: string;
  driver: 'overlay';
  attachable: boolean;
  ingress: boolean;
}

/**
 * What the control-plane gate needs about managers, in one place so that the message-level Raft
 * (model/raft/, another branch) can take it over: the voter set (managers in the Raft configuration,
 * up or down) and the current leader. Which managers are up and which partition group they are in
 * are on their Node objects.
 */
export interface RaftState {
  /** Node ids of the Raft voters, in join order. */
  voters: string[];
  /** The node id of the leader the gate currently recognises, or '' when there is none. */
  leader: string;
  /** Incremented on every leadership change (a stand-in for the Raft term). */
  term: number;
}

/** Restart history of one instance (moby/swarmkit:manager/orchestrator/restart/restart.go (instanceRestartInfo)). */
export interface RestartHistory {
  /** `${serviceId}/${slot}` for replicated, `${serviceId}/@${nodeId}` for global services. */
  key: string;
  specVersion: number;
  totalRestarts: number;
  /** Creation times of the replacements, only kept when the policy has a window. */
  restartedAt: number[];
}

export interface State {
  /** Model clock, ms. */
  now: number;
  /** `docker swarm init` has run. */
  initialized: boolean;
  /** Next id number (ids are deterministic: n1, s1, t1, ...). */
  seq: number;
  nodes: Node[];
  services: Service[];
  tasks: Task[];
  secrets: NamedObject[];
  configs: NamedObject[];
  networks: Network[];
  raft: RaftState;
  /** Cluster Orchestration.TaskHistoryRetentionLimit (moby/swarmkit:manager/manager.go). */
  taskHistoryLimit: number;
  /** Dispatcher heartbeat period (ms). */
  heartbeatPeriodMs: number;
  /** Leader memory: restart supervisor history. Lost on leader change (rebuilt, see model/restart.ts). */
  restartHistory: RestartHistory[];
  /** Leader memory: a task/node change happened since the scheduler's last pass. */
  schedulerPending: boolean;
  /** Leader memory: task reaper dirty instances (same keys as RestartHistory). */
  reaperDirty: string[];
  /** Leader memory: a task event happened since the reaper's last pass (its batching timer is running). */
  reaperPending: boolean;
  /** Leader memory: the rolling updater of each service being updated (model/orchestrator/updater.ts). */
  updaters: Updater[];
  /**
   * Leader memory: the scheduler's recent failures per node and versioned service
   * (moby/swarmkit:manager/scheduler/nodeinfo.go (NodeInfo.recentFailures)); fed by store updates,
   * read by the node ranking, empty when a new leader starts (model/scheduler/nodeInfo.ts).
   */
  schedulerFailures: RecentFailures[];
  /**
   * What each agent holds of secrets and configs, as its dispatcher session sent them: per node, per
   * object, the tasks that reference it there (reference counted; model/secrets.ts).
   */
  agentObjects: AgentObject[];
  /**
   * Leader memory: where the port allocator's serial search for a dynamic ingress port resumes, per
   * protocol, as an offset into 30000–32767 (0 = from the bottom); see model/allocator.ts.
   */
  dynamicPortNext: DynamicPortNext;
}

export type DynamicPortNext = Record<Protocol, number>;

/** One secret or config held by one node's agent, with the tasks on that node that need it. */
export interface AgentObject {
  node: string;
  kind: 'secret' | 'config';
  /** The secret's or config's id. */
  id: string;
  /** Ids of the tasks on the node that reference it (the reference count is their number). */
  tasks: string[];
}

/**
 * The failures one node had from tasks of one service at one spec version, as the leader's scheduler
 * saw them (moby/swarmkit:manager/scheduler/nodeinfo.go (versionedService, recentFailures)).
 */
export interface RecentFailures {
  node: string;
  serviceId: string;
  specVersion: number;
  /** When the scheduler saw each failure (model clock, ms), oldest first; never empty. */
  at: number[];
}

export const NO_DEADLINE = -1;
