/**
 * The allocator (leader only): moby/swarmkit:manager/allocator/network.go. A task is moved NEW →
 * PENDING ("pending task scheduling") once its networks and endpoint are allocated; IP addresses are
 * not modelled. Ingress published ports of a service (0 → a free port in 30000–32767) are allocated
 * at service create/update (allocator/portallocator.go), folded into the control API's transaction here.
 */
import type { Action } from './actions.ts';
import { DYNAMIC_PORT_END, DYNAMIC_PORT_START } from './defaults.ts';
import type { PortConfig } from './spec.ts';
import type { Service, State } from './state.ts';
import { Tx } from './tx.ts';

const ALLOCATE: Action = { actor: 'allocator', kind: 'allocate' };

export function allocatorEnabled(s: State, out: Action[]): void {
  const tasks = s.tasks;
  for (let i = 0; i < tasks.length; i++)
    if (tasks[i].observed === 'new') {
      out.push(ALLOCATE);
      return;
    }
}

/**
 * One allocator batch: every NEW task becomes PENDING. SwarmKit's allocator handles the tasks of a
 * commit together (allocator/network.go (allocateTasks)), and the scheduler debounces its passes, so
 * the tasks an orchestrator creates in one reconcile reach the scheduler as one group.
 */
export function allocatorStep(s: State, _a: Action & { actor: 'allocator' }): State | string {
  const tx = new Tx(s);
  let n = 0;
  for (const t of s.tasks)
    if (t.observed === 'new') {
      tx.setObserved(t.id, 'pending', 'pending task scheduling');
      n++;
    }
  if (n === 0) return 'no new task to allocate';
  return tx.commit();
}

/** Give ingress ports published as 0 the lowest free dynamic port (portallocator.go); host-mode 0 stays 0. */
export function allocateServicePorts(
  services: readonly Service[],
  selfId: string,
  ports: readonly PortConfig[],
): PortConfig[] {
  const used = new Set<string>();
  for (const svc of services)
    if (svc.id !== selfId)
      for (const p of svc.ports) if (p.publishedPort !== 0) used.add(`${p.protocol}/${p.publishedPort}`);
  for (const p of ports) if (p.publishedPort !== 0) used.add(`${p.protocol}/${p.publishedPort}`);
  return ports.map((p) => {
    if (p.mode !== 'ingress' || p.publishedPort !== 0) return p;
    for (let port = DYNAMIC_PORT_START; port <= DYNAMIC_PORT_END; port++) {
      const k = `${p.protocol}/${port}`;
      if (!used.has(k)) {
        used.add(k);
        return { ...p, publishedPort: port };
      }
    }
    return p;
  });
}
