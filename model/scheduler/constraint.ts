/**
 * Placement constraints: parsing and matching, as moby/swarmkit:manager/constraint/constraint.go
 * (Parse, Match, NodeMatches). Used by the control API (validation), the scheduler's constraint
 * filter, the global orchestrator and the constraint enforcer.
 */
import type { Node } from '../state.ts';

export interface Constraint {
  key: string;
  op: 'eq' | 'noteq';
  exp: string;
}

// moby/swarmkit:manager/constraint/constraint.go (alphaNumeric, valuePattern).
const KEY = /^[a-z_][a-z0-9\-_.]+$/i;
const VALUE = /^[a-z0-9:\-_\s.*()?+[\]\\^$|/]+$/i;
const NODE_LABEL_PREFIX = 'node.labels.';
const ENGINE_LABEL_PREFIX = 'engine.labels.';

const cache = new Map<string, Constraint[] | string>();

/**
 * Parse constraint expressions; returns SwarmKit's error text on failure. `==` is tried before `!=`,
 * so `a==b!=c` is key `a`, value `b!=c` (then rejected by the value pattern).
 * moby/swarmkit:manager/constraint/constraint.go (Parse).
 */
export function parseConstraints(exprs: readonly string[]): Constraint[] | string {
  const key = exprs.join('\u0000');
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const out: Constraint[] = [];
  let result: Constraint[] | string = out;
  for (const e of exprs) {
    let found = false;
    for (const [op, name] of [
      ['==', 'eq'],
      ['!=', 'noteq'],
    ] as const) {
      const at = e.indexOf(op);
      if (at < 0) continue;
      const k = e.slice(0, at).trim();
      if (!KEY.test(k)) {
        result = `key '${k}' is invalid`;
        break;
      }
      const v = e.slice(at + 2).trim();
      if (!VALUE.test(v)) {
        result = `value '${v}' is invalid`;
        break;
      }
      out.push({ key: k, op: name, exp: v });
      found = true;
      break;
    }
    if (typeof result === 'string') break;
    if (!found) {
      result = 'constraint expected one operator from ==, !=';
      break;
    }
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(key, result);
  return result;
}

/** Whole-string, case-insensitive comparison (moby/swarmkit:manager/constraint/constraint.go (Match)). */
function match(c: Constraint, what: string): boolean {
  const m = c.exp.toLowerCase() === what.toLowerCase();
  return c.op === 'eq' ? m : !m;
}

const IPV4 = /^(\d{1,3})(\.\d{1,3}){3}$/;
const CIDR4 = /^(\d{1,3})(\.\d{1,3}){3}\/\d{1,2}$/;

/**
 * moby/swarmkit:manager/constraint/constraint.go (NodeMatches). Node addresses are not modelled, so
 * `node.ip` compares against "no address": `node.ip==<ip>` and `node.ip==<cidr>` fail, `!=` passes,
 * an unparsable value fails.
 */
export function nodeMatches(cs: readonly Constraint[], n: Node): boolean {
  for (const c of cs) {
    const k = c.key.toLowerCase();
    if (k === 'node.id') {
      if (!match(c, n.id)) return false;
    } else if (k === 'node.hostname') {
      if (!match(c, n.hostname)) return false;
    } else if (k === 'node.ip') {
      if (IPV4.test(c.exp) || CIDR4.test(c.exp) || c.exp.includes(':')) {
        if (c.op === 'eq') return false;
      } else return false;
    } else if (k === 'node.role') {
      if (!match(c, n.role)) return false;
    } else if (k === 'node.platform.os') {
      if (!match(c, n.os)) return false;
    } else if (k === 'node.platform.arch') {
      if (!match(c, n.arch)) return false;
    } else if (k.length > NODE_LABEL_PREFIX.length && k.startsWith(NODE_LABEL_PREFIX)) {
      // Label keys are case-sensitive: the part after the prefix is used as typed.
      if (!match(c, n.labels[c.key.slice(NODE_LABEL_PREFIX.length)] ?? '')) return false;
    } else if (k.length > ENGINE_LABEL_PREFIX.length && k.startsWith(ENGINE_LABEL_PREFIX)) {
      if (!match(c, n.engineLabels[c.key.slice(ENGINE_LABEL_PREFIX.length)] ?? '')) return false;
    } else {
      return false;
    }
  }
  return true;
}

/** Parse then match; an unparsable set matches nothing that needs it (the control API refuses it first). */
export function nodeMatchesExprs(exprs: readonly string[], n: Node): boolean {
  if (exprs.length === 0) return true;
  const cs = parseConstraints(exprs);
  return typeof cs === 'string' ? true : nodeMatches(cs, n);
}

/** The label value a spread preference reads from a node (moby/swarmkit:manager/scheduler/nodeset.go (tree)); null = not a spread descriptor SwarmKit understands. */
export function spreadValue(descriptor: string, n: Node): string | null {
  const d = descriptor.toLowerCase();
  if (d.length > NODE_LABEL_PREFIX.length && d.startsWith(NODE_LABEL_PREFIX))
    return n.labels[descriptor.slice(NODE_LABEL_PREFIX.length)] ?? '';
  if (d.length > ENGINE_LABEL_PREFIX.length && d.startsWith(ENGINE_LABEL_PREFIX))
    return n.engineLabels[descriptor.slice(ENGINE_LABEL_PREFIX.length)] ?? '';
  return null;
}
