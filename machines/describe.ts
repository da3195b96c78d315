/**
 * Reads an xstate machine's definition (not its config text) into plain lists of states and transitions.
 * Diagrams, the ownership meta-checks and the reachability tests all work from this one reading, so a
 * transition is counted the same way everywhere: one entry per (source state node, event, guard, target)
 * as written in the machine, a transition of a compound state counting once.
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import type { GuardRef, TransitionMeta } from './meta.ts';

export interface StateInfo {
  /** Dotted path from the root, e.g. `live.onNode.started.running`; '' for the root. */
  path: string;
  key: string;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  /** Path of the parent, undefined for the root. */
  parent: string | undefined;
  /** Key of the initial child (compound states only). */
  initial: string | undefined;
}

export interface TransitionInfo {
  /** Path of the state node that declares it ('' = the machine root: "from any state"). */
  source: string;
  event: string;
  guard: GuardRef | undefined;
  /** Path of the target state node; undefined for a targetless transition (context only). */
  target: string | undefined;
  actor: string;
  /** `moby/swarmkit:path (Func)`: the code that performs it. */
  code: string;
}

export interface MachineDescription {
  id: string;
  states: StateInfo[];
  /** Atomic and final states: what a diagram draws as nodes. */
  atomic: StateInfo[];
  transitions: TransitionInfo[];
}

const pathOf = (n: AnyStateNode): string => n.path.join('.');

function guardRef(g: unknown): GuardRef | undefined {
  if (g === undefined) return undefined;
  if (typeof g === 'string') return { type: g };
  if (typeof g === 'object' && g !== null && typeof (g as GuardRef).type === 'string') {
    const { type, params } = g as GuardRef;
    return params === undefined ? { type } : { type, params };
  }
  throw new Error(`guard is not serialisable (a function?): ${String(g)}`);
}

export function describeMachine(machine: AnyStateMachine): MachineDescription {
  const states: StateInfo[] = [];
  const transitions: TransitionInfo[] = [];
  const walk = (n: AnyStateNode, parent: string | undefined) => {
    const path = pathOf(n);
    const initial = n.type === 'compound' ? (n.config.initial as string | undefined) : undefined;
    states.push({ path, key: n.key, type: n.type, parent, initial });
    for (const [event, defs] of n.transitions) {
      for (const d of defs) {
        const meta = d.meta as TransitionMeta | undefined;
        if (!meta?.actor)
          throw new Error(`${machine.id}: transition ${path || '(root)'} ${event} has no meta.actor`);
        if ((d.target?.length ?? 0) > 1)
          throw new Error(`${machine.id}: multi-target transitions are not drawn`);
        transitions.push({
          source: path,
          event,
          guard: guardRef(d.guard),
          target: d.target?.[0] ? pathOf(d.target[0]) : undefined,
          actor: meta.actor,
          code: meta.source,
        });
      }
    }
    for (const child of Object.values(n.states) as AnyStateNode[]) walk(child, path);
  };
  walk(machine.root, undefined);
  return {
    id: machine.id,
    states,
    atomic: states.filter((s) => s.type === 'atomic' || s.type === 'final'),
    transitions,
  };
}

/** The atomic states at or below `path` (the root's path is ''), in document order. */
export function atomicUnder(d: MachineDescription, path: string): StateInfo[] {
  return d.atomic.filter((s) => path === '' || s.path === path || s.path.startsWith(`${path}.`));
}

/** The atomic state a transition into `path` lands in: follow initial children down. */
export function enterAtomic(d: MachineDescription, path: string): StateInfo {
  let s = d.states.find((x) => x.path === path);
  while (s && s.type === 'compound') {
    const next: string = s.path ? `${s.path}.${s.initial}` : (s.initial ?? '');
    s = d.states.find((x) => x.path === next);
  }
  if (!s || (s.type !== 'atomic' && s.type !== 'final')) throw new Error(`${d.id}: cannot enter ${path}`);
  return s;
}

/** A transition written once on a compound state, spelled out per atomic source state. */
export interface AtomicStep {
  from: string;
  to: string;
  event: string;
  guard: GuardRef | undefined;
  actor: string;
  code: string;
}

/**
 * Every (atomic source, atomic target) step the machine's transitions allow, one per declared transition
 * and atomic source below its declaring node. A targetless transition gives from === to.
 */
export function atomicSteps(d: MachineDescription): AtomicStep[] {
  const steps: AtomicStep[] = [];
  for (const t of d.transitions) {
    const target = t.target === undefined ? undefined : enterAtomic(d, t.target);
    for (const s of atomicUnder(d, t.source)) {
      if (s.type === 'final') continue; // nothing leaves a final state (xstate would, at the root: see tooling.md §2)
      steps.push({
        from: s.key,
        to: target ? target.key : s.key,
        event: t.event,
        guard: t.guard,
        actor: t.actor,
        code: t.code,
      });
    }
  }
  return steps;
}
