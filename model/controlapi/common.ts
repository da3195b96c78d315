/**
 * Validation shared by the control API handlers: moby/swarmkit:manager/controlapi/common.go and the
 * docker CLI/daemon checks that run before a request reaches SwarmKit.
 */
import type { State } from '../state.ts';

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

export const noSuchService = (ref: string) => `service ${ref} not found`;
export const noSuchNode = (ref: string) => `node ${ref} not found`;

export function nodeByRef(s: State, ref: string) {
  return s.nodes.find((n) => n.id === ref) ?? s.nodes.find((n) => n.hostname === ref);
}
