/**
 * Networking as the control plane sees it (raft notes §5): the ingress network and the routing mesh,
 * host-mode ports, VIPs per attached network, dnsrr. Queries over State; the rules that refuse specs
 * are in model/controlapi/service.ts (validateEndpointSpec, checkPortConflicts, validateNetworks) and
 * port allocation is in model/allocator.ts (portallocator.go).
 *
 * [model] The data plane is abstracted: a connection to a published port reaches a task iff the task
 * is observed RUNNING and its machine is up and in the same partition group as the receiving node
 * (the ingress overlay carries it). IP addresses and IPVS scheduling are not modelled.
 */
import type { Protocol } from './spec.ts';
import type { Node, Service, State, Task } from './state.ts';
import { rank } from './taskState.ts';

const RUNNING = rank('running');

/** Test-only switches that plant a bug, to show the properties catch it (properties/network.test.ts). */
export const PLANTED_NET = {
  /** Routing mesh broken: only nodes that run a task of the service answer on its ingress port. */
  meshOnlyOnTaskNodes: false,
  /** The scheduler's HostPortFilter lets every node pass (model/scheduler/pipeline.ts). */
  ignoreHostPorts: false,
};

// A node that left the swarm is never up again (model/invariants.ts), so `up` covers "still in the swarm".
const reachable = (s: State, from: Node, t: Task): boolean => {
  const n = s.nodes.find((x) => x.id === t.nodeId);
  return n !== undefined && n.up && n.group === from.group;
};

/** A node takes part in the routing mesh while it is in the swarm, up and READY (it has its ingress attachment). */
export function meshNode(s: State, n: Node): boolean {
  return n.up && n.status === 'ready' && s.networks.some((w) => w.ingress);
}

/** The service publishing `port/protocol` in ingress mode (ports are unique swarm-wide), if any. */
export function ingressService(s: State, port: number, protocol: Protocol = 'tcp'): Service | undefined {
  return s.services.find((svc) =>
    svc.ports.some((p) => p.mode === 'ingress' && p.publishedPort === port && p.protocol === protocol),
  );
}

/**
 * The routing mesh: the tasks a connection to `port` on `node` can reach. Every mesh node listens on
 * every ingress-published port, with or without a task of that service on it, and IPVS forwards to
 * any running task of the service over the ingress overlay ("Use Swarm mode routing mesh").
 */
export function ingressAnswers(
  s: State,
  nodeRef: string,
  port: number,
  protocol: Protocol = 'tcp',
): Set<string> {
  const out = new Set<string>();
  const n = s.nodes.find((x) => x.id === nodeRef || x.hostname === nodeRef);
  const svc = ingressService(s, port, protocol);
  if (!n || !svc || !meshNode(s, n)) return out;
  for (const t of s.tasks)
    if (t.serviceId === svc.id && t.observed === 'running' && reachable(s, n, t)) out.add(t.id);
  if (
    PLANTED_NET.meshOnlyOnTaskNodes &&
    ![...out].some((id) => s.tasks.some((t) => t.id === id && t.nodeId === n.id))
  )
    out.clear();
  return out;
}

/** Host mode: only the node's own running task holding `port` answers (no mesh). */
export function hostPortAnswers(
  s: State,
  nodeRef: string,
  port: number,
  protocol: Protocol = 'tcp',
): Set<string> {
  const out = new Set<string>();
  const n = s.nodes.find((x) => x.id === nodeRef || x.hostname === nodeRef);
  if (!n?.up) return out;
  for (const t of s.tasks)
    if (
      t.nodeId === n.id &&
      t.observed === 'running' &&
      t.ports.some((p) => p.mode === 'host' && p.publishedPort === port && p.protocol === protocol)
    )
      out.add(t.id);
  return out;
}

/**
 * The VIPs a service gets from the allocator: endpoint mode vip → one per network it is attached to,
 * plus one on ingress when it publishes ingress-mode ports; none without networks or ports; dnsrr →
 * none (DNS returns the task IPs). moby/moby:daemon/libnetwork/cnmallocator/networkallocator.go (AllocateService).
 */
export function serviceVips(s: State, svc: Service): string[] {
  if (svc.spec.endpoint.mode === 'dnsrr') return [];
  const ids: string[] = [];
  for (const ref of svc.spec.task.networks) {
    const w = s.networks.find((x) => x.id === ref || x.name === ref);
    if (w && !ids.includes(w.id)) ids.push(w.id);
  }
  const ingress = s.networks.find((w) => w.ingress);
  if (ingress && svc.ports.some((p) => p.mode === 'ingress')) ids.push(ingress.id);
  return ids;
}

/**
 * The overlay networks a node is attached to: the networks of its tasks not yet past RUNNING (an
 * overlay extends to a node only while a task there uses it), each once, in task order, then ingress
 * (every node in the swarm has an ingress attachment). moby/swarmkit:manager/allocator/network.go
 * (getNodeNetworks).
 */
export function nodeNetworks(s: State, nodeId: string): string[] {
  const ids: string[] = [];
  const n = s.nodes.find((x) => x.id === nodeId);
  if (!n || n.left) return ids;
  for (const t of s.tasks) {
    if (t.nodeId !== nodeId || rank(t.observed) > RUNNING) continue;
    for (const ref of t.spec.networks) {
      const w = s.networks.find((x) => x.id === ref || x.name === ref);
      if (w && !ids.includes(w.id)) ids.push(w.id);
    }
  }
  const ingress = s.networks.find((w) => w.ingress);
  if (ingress) ids.push(ingress.id);
  return ids;
}
