/**
 * `docker node ls`, `docker service ls` and `docker service ps` as tables read from the model's
 * State, with docker's columns and capitalisation. Times are model time ("Running 10s ago").
 */
import { type Node, type Service, type State, type Task, taskName } from '../model/index.ts';
import { rank } from '../model/taskState.ts';
import { formatDuration } from './values.ts';

const cap = (s: string): string => (s === '' ? s : s[0].toUpperCase() + s.slice(1));

/** Columns padded to their widest cell, separated by three spaces, trailing blanks trimmed. */
export function renderTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('   ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/**
 * MANAGER STATUS as docker shows it: Leader, Reachable (the leader can reach it), Unreachable;
 * blank for workers (moby/swarmkit:api/types.proto (RaftMemberStatus.Reachability)).
 */
export function reachability(s: State, n: Node): 'leader' | 'reachable' | 'unreachable' | '' {
  if (n.role !== 'manager') return '';
  if (s.raft.leader === n.id) return 'leader';
  const leader = s.nodes.find((x) => x.id === s.raft.leader);
  if (leader && n.up && !n.left && leader.group === n.group) return 'reachable';
  return 'unreachable';
}

export function nodeLs(s: State): string[] {
  const rows = s.nodes.map((n) => [
    n.id,
    n.hostname,
    cap(n.status),
    cap(n.availability),
    cap(reachability(s, n)),
  ]);
  return renderTable(['ID', 'HOSTNAME', 'STATUS', 'AVAILABILITY', 'MANAGER STATUS'], rows);
}

/** A task counts as running for REPLICAS when its container runs and Swarm still wants it. */
const isRunning = (t: Task): boolean => t.observed === 'running' && rank(t.desired) <= rank('running');

export function replicasColumn(s: State, svc: Service): string {
  const tasks = s.tasks.filter((t) => t.serviceId === svc.id);
  const running = tasks.filter(isRunning).length;
  const desired =
    svc.spec.mode === 'global'
      ? tasks.filter((t) => rank(t.desired) <= rank('running')).length
      : (svc.spec.replicas ?? 1);
  return `${running}/${desired}`;
}

export function serviceLs(s: State): string[] {
  const rows = s.services.map((svc) => [
    svc.id,
    svc.spec.name,
    svc.spec.mode,
    replicasColumn(s, svc),
    svc.spec.task.image,
    svc.ports
      .map((p) => `*:${p.publishedPort}->${p.targetPort}/${p.protocol}${p.mode === 'host' ? ' (host)' : ''}`)
      .join(', '),
  ]);
  return renderTable(['ID', 'NAME', 'MODE', 'REPLICAS', 'IMAGE', 'PORTS'], rows);
}

/** Order of `docker service ps`: by slot (or node for global tasks), newest task of a slot first. */
export function psOrder(s: State, tasks: Task[]): Task[] {
  return [...tasks].sort((x, y) => {
    if (x.slot !== y.slot) return x.slot - y.slot;
    const nx = taskName(s, x);
    const ny = taskName(s, y);
    if (nx !== ny) return nx < ny ? -1 : 1;
    return y.seq - x.seq;
  });
}

export function servicePs(s: State, svc: Service): string[] {
  const tasks = psOrder(
    s,
    s.tasks.filter((t) => t.serviceId === svc.id),
  );
  let prev = '';
  const rows = tasks.map((t) => {
    const name = taskName(s, t);
    const shown = name === prev ? ` \\_ ${name}` : name;
    prev = name;
    const node = t.nodeId ? (s.nodes.find((n) => n.id === t.nodeId)?.hostname ?? t.nodeId) : '';
    // Host-mode ports exist only where a task was placed.
    const ports = (t.nodeId ? t.ports : [])
      .filter((p) => p.mode === 'host')
      .map((p) => `*:${p.publishedPort}->${p.targetPort}/${p.protocol}`)
      .join(', ');
    return [
      t.id,
      shown,
      t.spec.image,
      node,
      cap(t.desired),
      `${cap(t.observed)} ${formatDuration(s.now - t.statusAt)} ago`,
      t.err ? `"${t.err}"` : '',
      ports,
    ];
  });
  return renderTable(
    ['ID', 'NAME', 'IMAGE', 'NODE', 'DESIRED STATE', 'CURRENT STATE', 'ERROR', 'PORTS'],
    rows,
  );
}
