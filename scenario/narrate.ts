/**
 * Narration: what one model action changed, as short lines naming the Swarm objects the way docker
 * does (`web.2`, `worker-1`), showing only the fields that changed. Computed as a difference between
 * the state before and after the action, so it says what happened, never what a component meant to do.
 */
import {
  MAX_FAILURES,
  MONITOR_FAILURES_MS,
  type RecentFailures,
  type Service,
  type State,
  type Task,
  taskName,
  type Updater,
  updaterConfig,
} from '../model/index.ts';
import { formatDuration } from './values.ts';

const hostOf = (s: State, id: string): string => s.nodes.find((n) => n.id === id)?.hostname ?? id;

export function taskLabel(s: State, t: Task): string {
  return `${taskName(s, t)} (${t.id})`;
}

const labelsText = (l: Record<string, string>): string =>
  Object.keys(l).length === 0
    ? '{}'
    : `{${Object.keys(l)
        .sort()
        .map((k) => (l[k] === '' ? k : `${k}=${l[k]}`))
        .join(', ')}}`;

function byId<T extends { id: string }>(xs: readonly T[]): Map<string, T> {
  const m = new Map<string, T>();
  for (const x of xs) m.set(x.id, x);
  return m;
}

function nodeChanges(a: State, b: State, out: string[]): void {
  const before = byId(a.nodes);
  for (const n of b.nodes) {
    const o = before.get(n.id);
    if (!o) {
      out.push(
        `${n.hostname} (${n.id}) joins as ${n.role}, availability ${n.availability}, status ${n.status}`,
      );
      continue;
    }
    const ch: string[] = [];
    if (o.status !== n.status)
      ch.push(`status ${o.status} → ${n.status}${n.statusMessage ? ` (${n.statusMessage})` : ''}`);
    if (o.availability !== n.availability) ch.push(`availability ${o.availability} → ${n.availability}`);
    if (o.role !== n.role) ch.push(`role ${o.role} → ${n.role}`);
    else if (o.desiredRole !== n.desiredRole) ch.push(`desired role ${o.desiredRole} → ${n.desiredRole}`);
    if (labelsText(o.labels) !== labelsText(n.labels))
      ch.push(`labels ${labelsText(o.labels)} → ${labelsText(n.labels)}`);
    if (o.up !== n.up) ch.push(n.up ? 'machine back up' : 'machine down');
    if (o.left !== n.left) ch.push('left the swarm');
    if (ch.length) out.push(`${n.hostname} ${ch.join(', ')}`);
  }
  const after = byId(b.nodes);
  for (const o of a.nodes) if (!after.has(o.id)) out.push(`${o.hostname} (${o.id}) removed from the swarm`);
}

function groupsOf(s: State): string {
  const groups = new Map<number, string[]>();
  for (const n of s.nodes) {
    if (!groups.has(n.group)) groups.set(n.group, []);
    groups.get(n.group)!.push(n.hostname);
  }
  return [...groups.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([, hs]) => hs.join(' '))
    .join(' | ');
}

function networkChanges(a: State, b: State, out: string[]): void {
  // Only machines present on both sides: a node joining is not a change of the network.
  const before = byId(a.nodes);
  if (!b.nodes.some((n) => before.has(n.id) && before.get(n.id)!.group !== n.group)) return;
  const distinct = new Set(b.nodes.map((n) => n.group)).size;
  out.push(
    distinct <= 1 ? 'network healed: every machine can reach every other' : `network split: ${groupsOf(b)}`,
  );
}

function raftChanges(a: State, b: State, out: string[]): void {
  if (a.raft.leader !== b.raft.leader) {
    const from = a.raft.leader ? hostOf(a, a.raft.leader) : '(none)';
    const to = b.raft.leader ? hostOf(b, b.raft.leader) : '(none)';
    out.push(`leader ${from} → ${to}${b.raft.term !== a.raft.term ? ` (term ${b.raft.term})` : ''}`);
  } else if (a.raft.term !== b.raft.term) out.push(`raft term ${a.raft.term} → ${b.raft.term}`);
  const va = a.raft.voters.map((v) => hostOf(a, v)).join(' ');
  const vb = b.raft.voters.map((v) => hostOf(b, v)).join(' ');
  if (va !== vb) out.push(`raft voters [${va}] → [${vb}]`);
}

const replicasText = (s: Service): string =>
  s.spec.mode === 'global' ? 'global' : `replicated ${s.spec.replicas ?? 1}`;

function serviceChanges(a: State, b: State, out: string[]): void {
  const before = byId(a.services);
  for (const s of b.services) {
    const o = before.get(s.id);
    if (!o) {
      out.push(`service ${s.spec.name} (${s.id}) created: ${replicasText(s)}, image ${s.spec.task.image}`);
      continue;
    }
    const ch: string[] = [];
    if (o.spec.mode === 'replicated' && (o.spec.replicas ?? 1) !== (s.spec.replicas ?? 1))
      ch.push(`replicas ${o.spec.replicas ?? 1} → ${s.spec.replicas ?? 1}`);
    if (o.spec.task.image !== s.spec.task.image) ch.push(`image ${o.spec.task.image} → ${s.spec.task.image}`);
    if (o.version !== s.version) ch.push(`spec version ${o.version} → ${s.version}`);
    const us = (x: Service) => (x.updateStatus ? x.updateStatus.state : 'none');
    if (us(o) !== us(s))
      ch.push(
        `update status ${us(o)} → ${us(s)}${s.updateStatus?.message ? ` (${s.updateStatus.message})` : ''}`,
      );
    const ports = (x: Service) =>
      x.ports.map((p) => `${p.publishedPort}:${p.targetPort}/${p.protocol}/${p.mode}`).join(' ');
    if (ports(o) !== ports(s)) ch.push(`ports [${ports(o)}] → [${ports(s)}]`);
    if (ch.length) out.push(`service ${s.spec.name} ${ch.join(', ')}`);
  }
  const after = byId(b.services);
  for (const o of a.services) if (!after.has(o.id)) out.push(`service ${o.spec.name} (${o.id}) removed`);
}

function taskChanges(a: State, b: State, out: string[]): void {
  const before = byId(a.tasks);
  for (const t of b.tasks) {
    const o = before.get(t.id);
    const name = taskLabel(b, t);
    if (!o) {
      const on = t.nodeId ? ` on ${hostOf(b, t.nodeId)}` : '';
      out.push(`${name} created: ${t.observed}${on}, desired ${t.desired}`);
      continue;
    }
    const ch: string[] = [];
    if (o.observed !== t.observed) {
      let s = `${o.observed} → ${t.observed}`;
      if (o.nodeId !== t.nodeId && t.nodeId) s += ` on ${hostOf(b, t.nodeId)}`;
      if (t.exitCode !== null && t.exitCode !== o.exitCode) s += ` (exit ${t.exitCode})`;
      ch.push(s);
    } else if (o.nodeId !== t.nodeId) ch.push(`assigned to ${hostOf(b, t.nodeId)}`);
    if (o.desired !== t.desired) ch.push(`desired ${o.desired} → ${t.desired}`);
    if (t.err !== o.err && t.err !== '') ch.push(`error "${t.err}"`);
    else if (t.message !== o.message && t.observed === o.observed && t.message !== '')
      ch.push(`"${t.message}"`);
    if ((o.delayed === null) !== (t.delayed === null) && t.delayed)
      ch.push(`restart delay until ${formatDuration(t.delayed.startAt)}`);
    if (ch.length) out.push(`${name} ${ch.join(', ')}`);
  }
  const after = byId(b.tasks);
  for (const o of a.tasks) if (!after.has(o.id)) out.push(`${taskLabel(a, o)} deleted (${o.observed})`);
}

function namedChanges(
  kind: string,
  a: { id: string; name: string }[],
  b: { id: string; name: string }[],
  out: string[],
) {
  const before = byId(a);
  const after = byId(b);
  for (const x of b) if (!before.has(x.id)) out.push(`${kind} ${x.name} (${x.id}) created`);
  for (const x of a) if (!after.has(x.id)) out.push(`${kind} ${x.name} (${x.id}) removed`);
}

const nameOf = (s: State, id: string): string => s.services.find((x) => x.id === id)?.spec.name ?? id;

/**
 * The rolling updater's memory (leader-side, not in the store): when it starts working and with which
 * config, each failure it examines, and its final monitor period. Task and status changes it makes
 * are store changes and are narrated with the tasks and services.
 */
function updaterChanges(a: State, b: State, out: string[]): void {
  if (a.updaters === b.updaters) return;
  const before = new Map<string, Updater>();
  for (const u of a.updaters) before.set(u.serviceId, u);
  for (const u of b.updaters) {
    const o = before.get(u.serviceId);
    const name = nameOf(b, u.serviceId);
    if (o && o.spec !== u.spec && u.phase === 'start')
      out.push(`updater ${name}: cancelled (the spec changed)`);
    if (u.phase === 'slots' && o?.phase !== 'slots') {
      const c = updaterConfig(u);
      out.push(
        `updater ${name}: ${u.dirtyCount} dirty slot${u.dirtyCount === 1 ? '' : 's'}, ${u.statusAtStart === 'rollback_started' ? 'rollback' : 'update'} config: parallelism ${c.parallelism}, delay ${formatDuration(c.delayMs)}, ${c.order}, monitor ${formatDuration(c.monitorMs)}, failure action ${c.failureAction}, max failure ratio ${c.maxFailureRatio}`,
      );
    }
    if (u.phase === 'monitor' && o?.phase !== 'monitor')
      out.push(
        `updater ${name}: every slot done; watching for failures until ${formatDuration(u.monitorUntil)}`,
      );
    if (o && u.examined.length > o.examined.length) {
      const t = u.examined[u.examined.length - 1];
      const max = updaterConfig(u).maxFailureRatio;
      const above = Math.fround(u.failures / u.dirtyCount) > Math.fround(max);
      if (u.failures > o.failures)
        out.push(
          `updater ${name}: failure of ${t} counted: ${u.failures}/${u.dirtyCount} is ${above ? 'above' : 'not above'} the max failure ratio ${max}`,
        );
      else out.push(`updater ${name}: failure of ${t} not counted (it ran longer than the monitor period)`);
    }
  }
  for (const o of a.updaters) {
    if (b.updaters.some((u) => u.serviceId === o.serviceId)) continue;
    const name = nameOf(b, o.serviceId);
    if (a.raft.leader !== b.raft.leader || a.raft.term !== b.raft.term)
      out.push(`updater ${name}: lost with the old leader's memory`);
  }
}

/**
 * The scheduler's failure memory (leader-side, not in the store). Said twice: when a node reaches
 * maxFailures recent failures of one service version, the moment SwarmKit logs that it underweights
 * the node (moby/swarmkit:manager/scheduler/nodeinfo.go (taskFailed)); and when a new leader starts
 * with an empty memory.
 */
function schedulerMemoryChanges(a: State, b: State, out: string[]): void {
  if (a.schedulerFailures === b.schedulerFailures) return;
  const key = (f: RecentFailures) => `${f.node} ${f.serviceId} ${f.specVersion}`;
  const before = new Map<string, RecentFailures>();
  for (const f of a.schedulerFailures) before.set(key(f), f);
  for (const f of b.schedulerFailures) {
    // taskFailed has just dropped the expired ones: what is left is the recent count.
    if (before.get(key(f)) === f || f.at.length !== MAX_FAILURES) continue;
    out.push(
      `scheduler memory: ${hostOf(b, f.node)} has ${MAX_FAILURES} failures of ${nameOf(b, f.serviceId)} (spec version ${f.specVersion}) within ${formatDuration(MONITOR_FAILURES_MS)}: nodes with fewer go first`,
    );
  }
  if (b.schedulerFailures.length === 0 && (a.raft.leader !== b.raft.leader || a.raft.term !== b.raft.term)) {
    const n = a.schedulerFailures.reduce((x, f) => x + f.at.length, 0);
    out.push(`scheduler memory: ${n} recorded failure${n === 1 ? '' : 's'} lost with the old leader`);
  }
}

/** Every visible difference between two states, in a fixed order (time, cluster, services, tasks). */
export function diffStates(a: State, b: State): string[] {
  const out: string[] = [];
  if (a === b) return out;
  if (a.now !== b.now) out.push(`time ${formatDuration(a.now)} → ${formatDuration(b.now)}`);
  if (!a.initialized && b.initialized) out.push('swarm initialised');
  raftChanges(a, b, out);
  nodeChanges(a, b, out);
  networkChanges(a, b, out);
  namedChanges('secret', a.secrets, b.secrets, out);
  namedChanges('config', a.configs, b.configs, out);
  namedChanges('network', a.networks, b.networks, out);
  serviceChanges(a, b, out);
  updaterChanges(a, b, out);
  taskChanges(a, b, out);
  schedulerMemoryChanges(a, b, out);
  return out;
}
