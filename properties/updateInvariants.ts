/**
 * Named properties of rolling updates, secrets and published ports (orchestration.md §6, raft notes
 * §4–5), in the style of model/invariants.ts: each returns null when it holds, or a message naming
 * the offending values. They are checked after every step of the random runs in
 * properties/updates.test.ts, each paired with a witness that its interesting state was reached.
 */

import { connected } from '../model/controlplane.ts';
import { type Action, entitledObjects, ingressAnswers, type Service, type State } from '../model/index.ts';
import { updaterConfig } from '../model/orchestrator/updater.ts';
import { tracksTask } from '../model/scheduler/nodeInfo.ts';

export interface Prop {
  name: string;
  check(prev: State, a: Action, next: State): string | null;
}

const svcOf = (s: State, id: string): Service | undefined => s.services.find((x) => x.id === id);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The updater never has more slots in flight than its parallelism (0 = the number of dirty slots). */
export const UpdaterWithinParallelism: Prop = {
  name: 'UpdaterWithinParallelism',
  check: (_p, _a, s) => {
    for (const u of s.updaters) {
      if (u.phase !== 'slots') continue;
      const p = updaterConfig(u).parallelism || u.dirtyCount;
      const busy = u.workers.filter((w) => w.wait !== 'none').length;
      if (busy > p || u.workers.length > p)
        return `service ${u.serviceId}: ${busy} slots in flight, ${u.workers.length} workers > parallelism ${p}`;
    }
    return null;
  },
};

/**
 * The running bounds the code gives, for a replicated service of R replicas under one update with
 * effective parallelism P, with no faults and agents answering within the 1-minute old-task timeout:
 * stop-first R − P ≤ running ≤ R (the new task starts only after the old one stopped);
 * start-first R ≤ running ≤ R + P (the old task is shut down only once the new one runs).
 * "running" = tasks of the service observed RUNNING. Checked only in fault-free runs (see the test).
 */
export const RunningBounds: Prop = {
  name: 'RunningBounds',
  check: (_p, _a, s) => {
    for (const u of s.updaters) {
      if (u.phase !== 'slots') continue;
      const svc = svcOf(s, u.serviceId);
      if (svc?.spec.mode !== 'replicated') continue;
      const r = svc.spec.replicas ?? 0;
      const cfg = updaterConfig(u);
      const p = cfg.parallelism || u.dirtyCount;
      const running = s.tasks.filter((t) => t.serviceId === svc.id && t.observed === 'running').length;
      const [lo, hi] = cfg.order === 'stop-first' ? [r - p, r] : [r, r + p];
      if (running < lo || running > hi)
        return `${svc.spec.name} (${cfg.order}, R=${r}, P=${p}): ${running} running, outside [${lo}, ${hi}]`;
    }
    return null;
  },
};

/**
 * A failure action is taken only as configured, and only when failures / dirty slots EXCEEDS the
 * max failure ratio (float32, strictly): PAUSED needs action pause (or a rollback that may not roll
 * back), ROLLBACK_STARTED by the updater needs action rollback, CONTINUE never stops an update.
 */
export const FailureActionAsConfigured: Prop = {
  name: 'FailureActionAsConfigured',
  check: (prev, a, next) => {
    if (a.actor !== 'updater' || a.kind !== 'update-failure') return null;
    const u = prev.updaters.find((x) => x.serviceId === a.service);
    const before = svcOf(prev, a.service)?.updateStatus?.state ?? null;
    const after = svcOf(next, a.service)?.updateStatus?.state ?? null;
    if (!u || before === after) return null;
    const cfg = updaterConfig(u);
    const ratio = Math.fround(Math.fround(u.failures + 1) / Math.fround(u.dirtyCount));
    if (!(ratio > Math.fround(cfg.maxFailureRatio)))
      return `${a.service}: ${before} → ${after} with ${u.failures + 1}/${u.dirtyCount} not above ${cfg.maxFailureRatio}`;
    if (cfg.failureAction === 'continue')
      return `${a.service}: failure action continue, yet ${before} → ${after}`;
    if (after === 'rollback_started' && cfg.failureAction !== 'rollback')
      return `${a.service}: rolled back with failure action ${cfg.failureAction}`;
    if (
      (after === 'paused' || after === 'rollback_paused') &&
      cfg.failureAction !== 'pause' &&
      u.statusAtStart !== 'rollback_started'
    )
      return `${a.service}: paused with failure action ${cfg.failureAction}`;
    return null;
  },
};

/** Rollback restores the previous spec: the updater's (Spec ← PreviousSpec) and the user's (a swap). */
export const RollbackRestoresPreviousSpec: Prop = {
  name: 'RollbackRestoresPreviousSpec',
  check: (prev, a, next) => {
    for (const svc of next.services) {
      const o = svcOf(prev, svc.id);
      // A rollback is a write of ROLLBACK_STARTED (a new status object), by the user or the updater.
      if (!o || svc.updateStatus === o.updateStatus || svc.updateStatus?.state !== 'rollback_started')
        continue;
      if (!same(svc.spec, o.previousSpec))
        return `${svc.spec.name}: ${a.actor} rollback did not restore the previous spec`;
      if (svc.version !== o.previousVersion)
        return `${svc.spec.name}: version ${svc.version} ≠ previous ${o.previousVersion}`;
      if (a.actor === 'user' && !same(svc.previousSpec, o.spec))
        return `${svc.spec.name}: a manual rollback must swap spec and previous spec`;
    }
    return null;
  },
};

/**
 * Secrets and configs reach only entitled nodes: a node whose agent talks to the leader holds
 * exactly what its tasks ASSIGNED..RUNNING reference; a machine that is down holds nothing.
 */
export const SecretsOnlyToEntitledNodes: Prop = {
  name: 'SecretsOnlyToEntitledNodes',
  check: (_p, _a, s) => {
    for (const n of s.nodes) {
      const held = s.agentObjects.filter((o) => o.node === n.id);
      if ((!n.up || n.left) && held.length > 0)
        return `${n.hostname} is down and holds ${held[0].kind} ${held[0].id}`;
      if (!connected(s, n) || s.raft.leader === '') continue;
      const want = entitledObjects(s, n);
      // A deleted object stays while a task that used it still runs (model/secrets.ts): not an entitlement.
      const gone = (h: (typeof held)[number]) =>
        !(h.kind === 'secret' ? s.secrets : s.configs).some((o) => o.id === h.id);
      for (const h of held)
        if (!want.some((w) => w.kind === h.kind && w.id === h.id) && !gone(h))
          return `${n.hostname} holds ${h.kind} ${h.id} without a task that needs it`;
      for (const w of want)
        if (!held.some((h) => h.kind === w.kind && h.id === w.id))
          return `${n.hostname} lacks ${w.kind} ${w.id} its task ${w.tasks[0]} needs`;
    }
    return null;
  },
};

/** Routing mesh: an ingress port answers on every ready node iff some task of the service runs (reachably). */
export const IngressAnswersEverywhere: Prop = {
  name: 'IngressAnswersEverywhere',
  check: (_p, _a, s) => {
    for (const svc of s.services)
      for (const port of svc.ports) {
        if (port.mode !== 'ingress' || port.publishedPort === 0) continue;
        for (const n of s.nodes) {
          if (!n.up || n.left || n.status !== 'ready') continue;
          const runs = s.tasks.some((t) => {
            if (t.serviceId !== svc.id || t.observed !== 'running') return false;
            const m = s.nodes.find((x) => x.id === t.nodeId);
            return m?.up && !m.left && m.group === n.group;
          });
          const answers = ingressAnswers(s, n.id, port.publishedPort, port.protocol).size > 0;
          if (runs !== answers)
            return `${n.hostname}:${port.publishedPort} ${answers ? 'answers' : 'does not answer'} while ${runs ? 'a task runs' : 'no task runs'}`;
        }
      }
    return null;
  },
};

/** No two tasks tracked on a node (ASSIGNED..RUNNING) hold the same host-mode published port. */
export const HostPortsUniquePerNode: Prop = {
  name: 'HostPortsUniquePerNode',
  check: (_p, _a, s) => {
    const seen = new Map<string, string>();
    for (const t of s.tasks) {
      if (!tracksTask(t)) continue;
      for (const p of t.ports) {
        if (p.mode !== 'host' || p.publishedPort === 0) continue;
        const k = `${t.nodeId}/${p.protocol}/${p.publishedPort}`;
        const other = seen.get(k);
        if (other)
          return `tasks ${other} and ${t.id} both hold ${p.protocol}/${p.publishedPort} on ${t.nodeId}`;
        seen.set(k, t.id);
      }
    }
    return null;
  },
};

export const UPDATE_PROPERTIES: Prop[] = [
  UpdaterWithinParallelism,
  FailureActionAsConfigured,
  RollbackRestoresPreviousSpec,
  SecretsOnlyToEntitledNodes,
  IngressAnswersEverywhere,
  HostPortsUniquePerNode,
];
