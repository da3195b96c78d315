/**
 * Validation shared by the control API handlers: moby/swarmkit:manager/controlapi/common.go and the
 * docker CLI/daemon checks that run before a request reaches SwarmKit.
 */
import { nodeName, resolveRef, serviceName, unresolved } from '../lookup.ts';
import type { Node, Service, State } from '../state.ts';

// moby/swarmkit:manager/controlapi/common.go (validateAnnotations, isValidDNSName).
const DNS_NAME = /^[a-zA-Z0-9](?:[-_]*[A-Za-z0-9]+)*$/;

export function validateName(name: string): string | null {
  if (name === '') return 'meta: name must be provided';
  if (!DNS_NAME.test(name)) return 'name must be valid as a DNS name component';
  if (name.length > 63) return 'name must be 63 characters or fewer';
  return null;
}

// moby/swarmkit:manager/controlapi/common.go (validateConfigOrSecretAnnotations).
const OBJECT_NAME = /^[a-zA-Z0-9]+(?:[a-zA-Z0-9-_.]*[a-zA-Z0-9])?$/;
export function validateObjectName(name: string): string | null {
  if (name === '') return 'name must be provided';
  if (name.length > 64 || !OBJECT_NAME.test(name))
    return `invalid name, only 64 [a-zA-Z0-9-_.] characters allowed, and the start and end character must be [a-zA-Z0-9]`;
  return null;
}

/** A docker command's node reference, resolved as the daemon does (model/lookup.ts), or its error. */
export function resolveNode(s: State, ref: string): Node | string {
  const r = resolveRef(s.nodes, ref, nodeName);
  return typeof r === 'number' ? unresolved('node', ref, r) : r;
}

/** A docker command's service reference, resolved as the daemon does (model/lookup.ts), or its error. */
export function resolveService(s: State, ref: string): Service | string {
  const r = resolveRef(s.services, ref, serviceName);
  return typeof r === 'number' ? unresolved('service', ref, r) : r;
}

/**
 * The machine a `docker swarm init/leave` runs on, named by its hostname (the scenario's `--hostname`):
 * a local operation of that machine's daemon, not a reference the manager resolves.
 */
export function machine(s: State, hostname: string): Node | undefined {
  return s.nodes.find((n) => n.hostname === hostname);
}
