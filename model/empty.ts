import { FRESH_PORT_ALLOCATOR } from './allocator.ts';
import { DEFAULT_TASK_HISTORY_LIMIT, HEARTBEAT_PERIOD_MS } from './defaults.ts';
import type { State } from './state.ts';

/** No swarm yet: the first `docker swarm init` creates it. */
export function emptyState(): State {
  return {
    now: 0,
    initialized: false,
    seq: 0,
    nodes: [],
    services: [],
    tasks: [],
    secrets: [],
    configs: [],
    networks: [],
    raft: { voters: [], leader: '', term: 0 },
    taskHistoryLimit: DEFAULT_TASK_HISTORY_LIMIT,
    heartbeatPeriodMs: HEARTBEAT_PERIOD_MS,
    restartHistory: [],
    schedulerPending: false,
    reaperDirty: [],
    reaperPending: false,
    updaters: [],
    agentObjects: [],
    schedulerFailures: [],
    dynamicPortNext: FRESH_PORT_ALLOCATOR,
  };
}
