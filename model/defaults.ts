/**
 * SwarmKit's defaults, in one place. Every component and the scenario parser read them from here.
 * Durations in milliseconds.
 */
import type { NodeDescription, RestartPolicy, ServiceSpec, UpdateConfig } from './spec.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

// moby/swarmkit:api/defaults/service.go (Service): condition any, delay 5 s, unlimited attempts/window.
export const DEFAULT_RESTART: RestartPolicy = {
  condition: 'any',
  delayMs: 5 * SECOND,
  maxAttempts: 0,
  windowMs: 0,
};

// moby/swarmkit:api/defaults/service.go (Service): parallelism 1, delay 0, pause, monitor 5 s, ratio 0, stop-first.
// The rollback config has the same defaults.
export const DEFAULT_UPDATE: UpdateConfig = {
  parallelism: 1,
  delayMs: 0,
  failureAction: 'pause',
  monitorMs: 5 * SECOND,
  maxFailureRatio: 0,
  order: 'stop-first',
};

// moby/swarmkit:manager/manager.go (defaultTaskHistoryRetentionLimit).
export const DEFAULT_TASK_HISTORY_LIMIT = 5;

// moby/swarmkit:manager/dispatcher/dispatcher.go (DefaultHeartBeatPeriod). The ±0.5 s jitter
// (defaultHeartBeatEpsilon) is not modelled: the model has no randomness; expiry is an action.
export const HEARTBEAT_PERIOD_MS = 5 * SECOND;
// moby/swarmkit:manager/dispatcher/nodes.go (newNodeStore): DOWN after 3 missed periods,
// 6 for nodes marked UNKNOWN after a leader change (markNodesUnknown).
export const HEARTBEAT_GRACE_MULTIPLIER = 3;
export const UNKNOWN_GRACE_MULTIPLIER = 6;
// moby/swarmkit:manager/dispatcher/dispatcher.go (defaultNodeDownPeriod).
export const NODE_DOWN_ORPHAN_MS = 24 * HOUR;
// moby/swarmkit:manager/orchestrator/restart/restart.go (defaultOldTaskTimeout).
export const OLD_TASK_TIMEOUT_MS = 1 * MINUTE;

// moby/swarmkit:manager/allocator/portallocator.go: dynamic ingress port range.
export const DYNAMIC_PORT_START = 30000;
export const DYNAMIC_PORT_END = 32767;

export function defaultServiceSpec(name: string, image: string): ServiceSpec {
  return {
    name,
    mode: 'replicated',
    // moby/moby:daemon/cluster/convert/service.go: a replicated spec without a count gets 1.
    replicas: 1,
    labels: {},
    task: {
      image,
      command: [],
      placement: { constraints: [], preferences: [], maxReplicas: 0 },
      reservations: { nanoCpus: 0, memoryBytes: 0 },
      restart: { ...DEFAULT_RESTART },
      secrets: [],
      configs: [],
      networks: [],
      forceUpdate: 0,
    },
    endpoint: { mode: 'vip', ports: [] },
    update: { ...DEFAULT_UPDATE },
    rollback: { ...DEFAULT_UPDATE },
  };
}

export function defaultNode(hostname: string, role: NodeDescription['role']): NodeDescription {
  return {
    hostname,
    role,
    // docker CLI reference (swarm join): availability defaults to active.
    availability: 'active',
    labels: {},
    engineLabels: {},
    nanoCpus: 2_000_000_000,
    memoryBytes: 4 * 1024 * 1024 * 1024,
    os: 'linux',
    arch: 'x86_64',
  };
}
