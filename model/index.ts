/**
 * The cluster model's public API (the contract of notes/CORE-API.md): plain-data State, the
 * transition relation `enabled`/`step`, deterministic drivers `settle`/`wait`, one-line action
 * descriptions and lookups. Everything else in model/ is an implementation detail of one SwarmKit
 * component; other parts of the product (scenario language, property suite, explorer) use only this.
 */
export type { Action, Actor, StepResult } from './actions.ts';
export { updateObject } from './controlapi/objects.ts';
export { majority, managerStatus, NO_LEADER_ERROR } from './controlplane.ts';
export { describeAction } from './describe.ts';
export { emptyState } from './empty.ts';
export {
  findNode,
  findService,
  findTask,
  nodeName,
  resolveRef,
  serviceName,
  taskName,
  unresolved,
} from './lookup.ts';
export {
  hostPortAnswers,
  ingressAnswers,
  ingressService,
  meshNode,
  nodeNetworks,
  serviceVips,
} from './network.ts';
export { forgetUpdaters, type Updater, type UpdaterWorker, updaterConfig } from './orchestrator/updater.ts';
export { enabled, step } from './relation.ts';
export { MAX_FAILURES, MONITOR_FAILURES_MS } from './scheduler/nodeInfo.ts';
export { entitledObjects, mountPaths, objectsOnNode, raftAtRest } from './secrets.ts';
export { type SettleOptions, type SettleResult, settle, wait } from './settle.ts';
export type {
  AgentObject,
  DelayedStart,
  NamedObject,
  Network,
  Node,
  NodeStatus,
  RaftState,
  RecentFailures,
  RestartHistory,
  Service,
  State,
  Task,
  UpdateStatus,
} from './state.ts';
