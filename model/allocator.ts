/**
 * The allocator (leader only): moby/swarmkit:manager/allocator/network.go. A task is moved NEW →
 * PENDING ("pending task scheduling") once its networks and endpoint are allocated; IP addresses are
 * not modelled. Ingress published ports of a service (0 → a free port in 30000–32767) are allocated
 * at service create/update (allocator/portallocator.go), folded into the control API's transaction here.
 */
import type { Action, ActionList } from './actions.ts';
import { DYNAMIC_PORT_END, DYNAMIC_PORT_START } from './defaults.ts';
import type { PortConfig } from './spec.ts';
import type { DynamicPortNext, State } from './state.ts';
import { Tx } from './tx.ts';

const ALLOCATE: Action = { actor: 'allocator', kind: 'allocate' };

export function allocatorEnabled(s: State, out: ActionList): void {
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

// ---- Ingress ports: moby/swarmkit:manager/allocator/portallocator.go ------------------------------

/**
 * One port space per protocol (tcp, udp, sctp). Only ingress ports live in it: host-mode ports are
 * the scheduler's business (per node) and never block an ingress allocation. A port published as 0
 * gets a free port of the dynamic range 30000–32767, searched SERIALLY: from the port after the last
 * one the allocator handed out, wrapping to the lowest free one (moby/swarmkit:internal/idm/idm.go
 * (GetID with serial=true)). That search position is the allocator's memory (`dynamicPortNext`, an
 * offset into the range, 0 = start from the bottom): specific ports and releases leave it alone, and a
 * new leader starts a fresh allocator with it at 0 (model/leadership.ts).
 */
type Used = Set<string>;

/**
 * portallocator.go (allocatedPorts.delState): take out of `held` the port state matching `q` by
 * (protocol, target port) and, when `q` names a published port, by that port; a published-0 `q`
 * matches any held state with a port. Returns it, or undefined.
 */
function delState(held: PortConfig[], q: PortConfig): PortConfig | undefined {
  const i = held.findIndex(
    (p) =>
      p.protocol === q.protocol &&
      p.targetPort === q.targetPort &&
      (q.publishedPort === 0 ? p.publishedPort !== 0 : p.publishedPort === q.publishedPort),
  );
  return i < 0 ? undefined : held.splice(i, 1)[0];
}

/** The search position of a new allocator (a new swarm, a new leader). */
export const FRESH_PORT_ALLOCATOR: DynamicPortNext = Object.freeze({ tcp: 0, udp: 0, sctp: 0 });

const key = (protocol: string, port: number) => `${protocol}/${port}`;

/**
 * portallocator.go (isPortsAllocatedOnInit, onInit false): the endpoint still answers the spec — same
 * number of ports, every explicit ingress port held as asked, every published-0 ingress port held
 * under its (protocol, target port), every host-mode target present. Then the allocator does nothing
 * (network.go (doNetworkAlloc): EventUpdateService on an allocated service), and `service update
 * --force` keeps the service's ports.
 */
function portsAllocated(endpoint: readonly PortConfig[], spec: readonly PortConfig[]): boolean {
  if (endpoint.length !== spec.length) return false;
  const held = endpoint.filter((p) => p.mode === 'ingress');
  const take = (q: PortConfig): boolean => delState(held, q) !== undefined;
  for (const q of spec) if (q.mode === 'ingress' && q.publishedPort !== 0 && !take(q)) return false;
  for (const q of spec) {
    if (q.mode === 'ingress' && q.publishedPort === 0 && !take(q)) return false;
    if (q.mode === 'host' && !endpoint.some((p) => p.mode === 'host' && p.targetPort === q.targetPort))
      return false;
  }
  return true;
}

/**
 * portallocator.go (hostPublishPortsNeedUpdate) and network.go (updatePortsInHostPublishMode): on an
 * allocated service, a host-mode port published as a number the endpoint does not hold replaces the
 * endpoint's host-mode ports with the spec's (appended after the ingress ones). A host port changed
 * to 0 is not noticed: the endpoint keeps the old number.
 */
function hostPortsChanged(endpoint: readonly PortConfig[], spec: readonly PortConfig[]): boolean {
  const held = endpoint.filter((p) => p.mode === 'host');
  for (const q of spec) {
    if (q.mode !== 'host' || q.publishedPort === 0) continue;
    if (delState(held, q) === undefined) return true;
  }
  return false;
}

/**
 * portallocator.go (reconcilePortConfigs): what to allocate. When the endpoint has as many ports as
 * the spec, host-mode and explicit ingress ports come first (spec order), then each published-0
 * ingress port keeps the port it held under the same (protocol, target port) if there is one; when
 * the counts differ (a port added or removed) every published-0 port is allocated afresh, in spec order.
 */
function reconcile(endpoint: readonly PortConfig[], spec: readonly PortConfig[]): PortConfig[] {
  if (endpoint.length !== spec.length) return [...spec];
  // Every ingress state, as reconcilePortConfigs adds them; one still at 0 (the range was exhausted)
  // is never taken, since delState matches a number, or for a 0 only a state with one.
  const held = endpoint.filter((p) => p.mode === 'ingress');
  const drop = (q: PortConfig) => delState(held, q);
  const out: PortConfig[] = [];
  for (const q of spec)
    if (q.mode !== 'ingress') out.push(q);
    else if (q.publishedPort !== 0) {
      drop(q);
      out.push(q);
    }
  for (const q of spec) if (q.mode === 'ingress' && q.publishedPort === 0) out.push(drop(q) ?? q);
  return out;
}

/**
 * The allocator's reaction to a service create, update or rollback (network.go (allocateService) →
 * portallocator.go (serviceAllocatePorts)), folded into the same transaction: returns the service's
 * new endpoint ports (`previous` is its current endpoint, null for a new service) and moves the
 * serial search position in `tx`. The service's own ingress ports are released first, so a port it
 * gives up can come straight back to it only if the search reaches it.
 *
 * Not modelled: an exhausted range (SwarmKit leaves the service unallocated; the port stays 0 here),
 * and the order of an explicit dynamic-range port after a published-0 one in the same fresh spec
 * (SwarmKit can hand the 0 port that number and then fail; here explicit ports are reserved first).
 */
export function allocateServicePorts(
  tx: Tx,
  svcId: string,
  previous: readonly PortConfig[] | null,
  spec: readonly PortConfig[],
): PortConfig[] {
  if (previous !== null && portsAllocated(previous, spec))
    return hostPortsChanged(previous, spec)
      ? [...previous.filter((p) => p.mode !== 'host'), ...spec.filter((p) => p.mode === 'host')]
      : (previous as PortConfig[]);
  const wanted = previous === null ? [...spec] : reconcile(previous, spec);
  const used: Used = new Set();
  for (const svc of tx.services)
    if (svc.id !== svcId)
      for (const p of svc.ports)
        if (p.mode === 'ingress' && p.publishedPort !== 0) used.add(key(p.protocol, p.publishedPort));
  for (const p of wanted)
    if (p.mode === 'ingress' && p.publishedPort !== 0) used.add(key(p.protocol, p.publishedPort));
  let next = tx.dynamicPortNext;
  const size = DYNAMIC_PORT_END - DYNAMIC_PORT_START + 1;
  const out = wanted.map((p) => {
    if (p.mode !== 'ingress' || p.publishedPort !== 0) return p;
    const free = (from: number): number => {
      for (let o = from; o < size; o++) if (!used.has(key(p.protocol, DYNAMIC_PORT_START + o))) return o;
      return -1;
    };
    let o = next[p.protocol] !== 0 ? free(next[p.protocol]) : -1;
    if (o < 0) o = free(0);
    if (o < 0) return p;
    used.add(key(p.protocol, DYNAMIC_PORT_START + o));
    next = { ...next, [p.protocol]: o + 1 < size ? o + 1 : 0 };
    return { ...p, publishedPort: DYNAMIC_PORT_START + o };
  });
  tx.dynamicPortNext = next;
  return out;
}
