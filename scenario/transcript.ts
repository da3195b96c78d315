/**
 * The two renderings of a run: the narrated transcript (what `swarm-model run FILE` prints and what
 * fixtures/*.out hold) and the JSON state (`--json`, DESIGN.md §4). Both are pure functions of the
 * run, so the same scenario prints the same bytes every time.
 */
import type { State } from '../model/index.ts';
import { taskName } from '../model/index.ts';
import type { RunResult } from './run.ts';
import { nodeLs, reachability, serviceLs, servicePs } from './tables.ts';
import { formatDuration } from './values.ts';

const ACTOR_WIDTH = 13;

export function transcript(run: RunResult): string {
  const out: string[] = [];
  for (const r of run.records) {
    out.push(`line ${r.line} (t=${formatDuration(r.at)}): ${r.command}`);
    for (const e of r.events) for (const c of e.changes) out.push(`  ${e.actor.padEnd(ACTOR_WIDTH)} ${c}`);
    for (const t of r.tables) for (const l of t) out.push(`    ${l}`);
    out.push('');
  }
  out.push(...finalTables(run.state));
  return `${out.join('\n')}\n`;
}

export function finalTables(s: State): string[] {
  const out = [`final state (t=${formatDuration(s.now)})`];
  if (!s.initialized) {
    out.push('  no swarm');
    return out;
  }
  // Without a leader docker would refuse these commands; the tables show the last committed store.
  if (s.raft.leader === '')
    out.push('  (no leader: docker would refuse these commands; this is the last committed state)');
  const indent = (ls: string[]) => ls.map((l) => `    ${l}`);
  out.push('  docker node ls', ...indent(nodeLs(s)));
  if (s.services.length) {
    out.push('  docker service ls', ...indent(serviceLs(s)));
    for (const svc of s.services)
      out.push(`  docker service ps ${svc.spec.name}`, ...indent(servicePs(s, svc)));
  }
  return out;
}

/** The JSON state of DESIGN.md §4. Field names and meanings are a contract: extend, never change. */
export interface JsonState {
  time: number;
  nodes: {
    id: string;
    hostname: string;
    role: string;
    availability: string;
    status: string;
    leader: boolean;
    /** Managers only: whether the leader reaches it (the leader itself is reachable); null for workers. */
    reachability: 'reachable' | 'unreachable' | null;
    labels: Record<string, string>;
  }[];
  services: {
    id: string;
    name: string;
    mode: string;
    replicas: number | null;
    image: string;
    updateStatus: string | null;
  }[];
  tasks: {
    id: string;
    name: string;
    service: string;
    slot: number | null;
    node: string | null;
    state: string;
    desiredState: string;
    error: string;
  }[];
  raft: { leader: string | null; term: number; hasQuorum: boolean };
  secrets: { id: string; name: string }[];
  configs: { id: string; name: string }[];
  steps: { line: number; command: string; outcome: 'ok' | 'error'; message: string }[];
}

export function jsonState(run: RunResult): JsonState {
  const s = run.state;
  const host = (id: string) => s.nodes.find((n) => n.id === id)?.hostname ?? id;
  const tasks = [...s.tasks].sort((a, b) => a.seq - b.seq);
  return {
    time: s.now,
    nodes: s.nodes.map((n) => ({
      id: n.id,
      hostname: n.hostname,
      role: n.role,
      availability: n.availability,
      status: n.status,
      leader: s.raft.leader === n.id,
      reachability:
        n.role !== 'manager' ? null : reachability(s, n) === 'unreachable' ? 'unreachable' : 'reachable',
      labels: n.labels,
    })),
    services: s.services.map((svc) => ({
      id: svc.id,
      name: svc.spec.name,
      mode: svc.spec.mode,
      replicas: svc.spec.mode === 'global' ? null : (svc.spec.replicas ?? 1),
      image: svc.spec.task.image,
      updateStatus: svc.updateStatus ? svc.updateStatus.state : null,
    })),
    tasks: tasks.map((t) => ({
      id: t.id,
      name: taskName(s, t),
      service: s.services.find((x) => x.id === t.serviceId)?.spec.name ?? t.serviceId,
      slot: t.slot === 0 ? null : t.slot,
      node: t.nodeId ? host(t.nodeId) : null,
      state: t.observed,
      desiredState: t.desired,
      error: t.err,
    })),
    raft: {
      leader: s.raft.leader ? host(s.raft.leader) : null,
      term: s.raft.term,
      hasQuorum: s.raft.leader !== '',
    },
    secrets: s.secrets.map((x) => ({ id: x.id, name: x.name })),
    configs: s.configs.map((x) => ({ id: x.id, name: x.name })),
    steps: run.records.map((r) => ({
      line: r.line,
      command: r.command,
      outcome: r.outcome,
      message: r.message,
    })),
  };
}
