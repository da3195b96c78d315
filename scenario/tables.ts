/**
 * `docker node ls`, `docker service ls` and `docker service ps` as tables read from the model's
 * State, with docker's columns and capitalisation. Times are model time ("Running 10s ago").
 */
import { managerStatus, type Node, type Service, type State, type Task, taskName } from '../model/index.ts';
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

/** MANAGER STATUS as docker shows it (the rule is the model's: model/controlplane.ts (managerStatus)). */
export function reachability(s: State, n: Node): 'leader' | 'reachable' | 'unreachable' | '' {
  return managerStatus(s, n);
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
    servicePorts(svc),
  ]);
  return renderTable(['ID', 'NAME', 'MODE', 'REPLICAS', 'IMAGE', 'PORTS'], rows);
}

/**
 * The PORTS column of `docker service ls` (docker/cli:cli/command/service/formatter.go
 * (serviceContext.Ports)): the endpoint's ingress ports only (host-mode ones show in `docker service
 * ps`), sorted by protocol then published port, consecutive published and target ports folded into
 * one range (`*:30000-30001->80-81/tcp`).
 */
export function servicePorts(svc: Service): string {
  const ports = [...svc.ports].sort((a, b) =>
    a.protocol === b.protocol ? a.publishedPort - b.publishedPort : a.protocol < b.protocol ? -1 : 1,
  );
  const out: string[] = [];
  let r: { pStart: number; pEnd: number; tStart: number; tEnd: number; protocol: string } | null = null;
  const show = (x: NonNullable<typeof r>) =>
    `*:${x.pEnd > x.pStart ? `${x.pStart}-${x.pEnd}` : x.pStart}->${x.tEnd > x.tStart ? `${x.tStart}-${x.tEnd}` : x.tStart}/${x.protocol}`;
  for (const p of ports) {
    if (p.mode !== 'ingress') continue;
    const isRange = r !== null && r.tEnd !== r.tStart;
    if (
      r === null ||
      p.protocol !== r.protocol ||
      // uint32 in Go: a smaller port wraps around and starts a new range too.
      (p.publishedPort - r.pEnd) >>> 0 > 1 ||
      (p.targetPort - r.tEnd) >>> 0 > 1 ||
      (isRange && p.targetPort <= r.tEnd)
    ) {
      if (r !== null && r.pStart > 0) out.push(show(r));
      r = {
        pStart: p.publishedPort,
        pEnd: p.publishedPort,
        tStart: p.targetPort,
        tEnd: p.targetPort,
        protocol: p.protocol,
      };
      continue;
    }
    r.pEnd = p.publishedPort;
    r.tEnd = p.targetPort;
  }
  if (r !== null && r.pStart > 0) out.push(show(r));
  return out.join(', ');
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
