/** Test helpers: build clusters through the public API only. */
import { defaultNode, defaultServiceSpec } from '../../model/defaults.ts';
import { type Action, emptyState, type State, settle, step, wait } from '../../model/index.ts';
import type { NodeDescription, ServiceSpec, UserCommand } from '../../model/spec.ts';

export function run(s: State, command: UserCommand): State {
  const r = step(s, { actor: 'user', kind: 'command', command });
  if (!r.ok) throw new Error(`command refused: ${r.error}`);
  return r.state;
}

export function refuse(s: State, command: UserCommand): string {
  const r = step(s, { actor: 'user', kind: 'command', command });
  if (r.ok) throw new Error('command unexpectedly accepted');
  return r.error;
}

export function act(s: State, a: Action): State {
  const r = step(s, a);
  if (!r.ok) throw new Error(`action refused: ${r.error}`);
  return r.state;
}

/** A swarm: the first node is the manager that ran init; others join. Settled. */
export function cluster(nodes: (Partial<NodeDescription> & { hostname: string })[]): State {
  let s = emptyState();
  nodes.forEach((d, i) => {
    const node = { ...defaultNode(d.hostname, i === 0 ? 'manager' : 'worker'), ...d };
    s = run(s, i === 0 ? { kind: 'swarm.init', node } : { kind: 'swarm.join', node });
  });
  return settle(s).state;
}

export function service(
  name: string,
  patch: Partial<ServiceSpec> = {},
  task: Partial<ServiceSpec['task']> = {},
): ServiceSpec {
  const d = defaultServiceSpec(name, 'nginx');
  return { ...d, ...patch, task: { ...d.task, ...task } };
}

export function create(s: State, spec: ServiceSpec): State {
  return settle(run(s, { kind: 'service.create', spec })).state;
}

export const settled = (s: State) => settle(s).state;
export const waited = (s: State, ms: number) => wait(s, ms).state;

export function nodeId(s: State, hostname: string): string {
  const n = s.nodes.find((x) => x.hostname === hostname);
  if (!n) throw new Error(`no node ${hostname}`);
  return n.id;
}

export function serviceTasks(s: State, name: string) {
  const svc = s.services.find((x) => x.spec.name === name);
  return svc ? s.tasks.filter((t) => t.serviceId === svc.id) : [];
}

/** Running tasks of a service per node hostname. */
export function runningPerNode(s: State, name: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of serviceTasks(s, name)) {
    if (t.observed !== 'running') continue;
    const h = s.nodes.find((n) => n.id === t.nodeId)?.hostname ?? t.nodeId;
    out[h] = (out[h] ?? 0) + 1;
  }
  return out;
}

export function findBy(s: State, hostname: string) {
  return s.nodes.find((n) => n.hostname === hostname)!;
}
