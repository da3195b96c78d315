/**
 * @xstate/graph over every machine: a shortest path reaches every atomic state, and every transition
 * written in a machine fires somewhere in the reachable graph (no dead edges, no dead states).
 *
 * Traversal pitfalls (research/tooling.md §3) handled here: `events` replaces the derived event list, so
 * it lists every event with every payload variant (a function of the snapshot, for the Raft member's
 * relative terms); `serializeState` keeps only what guards read (the unbounded Raft term is left out,
 * its events being relative to it); traversal stops at done (a deleted task).
 */
import { getAdjacencyMap, getShortestPaths } from '@xstate/graph';
import { describe, expect, test } from 'vitest';
import type { AnyMachineSnapshot, AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { ADAPTERS, type Adapter } from '../../machines/conformance.ts';
import { describeMachine } from '../../machines/describe.ts';

/** Guard-relevant state only. */
function serializer(a: Adapter<unknown, { type: string }>): (x: AnyMachineSnapshot) => string {
  if (a.name === 'raftMember')
    return (x) => JSON.stringify([x.value, (x.context as { inLease: boolean }).inLease]);
  return (x) => JSON.stringify([x.value, x.context]);
}

function options(a: Adapter<unknown, { type: string }>) {
  return {
    events: (x: AnyMachineSnapshot) => [...a.events(a.project(x))],
    serializeState: serializer(a),
    stopWhen: (x: AnyMachineSnapshot) => x.status === 'done',
  };
}

/** Shortest number of events to each atomic state. */
function shortest(a: Adapter<unknown, { type: string }>): Map<string, string[]> {
  const best = new Map<string, string[]>();
  for (const p of getShortestPaths(a.machine, options(a) as never)) {
    const events = p.steps.slice(1).map((s) => s.event.type); // steps[0] is the initial state (xstate.init)
    for (const atom of a.atoms(a.project(p.state as AnyMachineSnapshot))) {
      const known = best.get(atom);
      if (!known || events.length < known.length) best.set(atom, events);
    }
  }
  return best;
}

describe('reachability (@xstate/graph)', () => {
  for (const a of ADAPTERS as readonly Adapter<unknown, { type: string }>[]) {
    const d = describeMachine(a.machine);

    test(`${a.name}: a shortest path reaches every state`, () => {
      const paths = shortest(a);
      expect(d.atomic.map((s) => s.key).filter((k) => !paths.has(k))).toEqual([]);
    });

    test(`${a.name}: every transition fires somewhere in the reachable graph`, () => {
      const adj = getAdjacencyMap(a.machine, options(a) as never);
      const fired = new Set<unknown>();
      for (const { state, transitions } of Object.values(adj)) {
        for (const { event } of Object.values(transitions) as { event: unknown }[]) {
          for (const def of a.machine.getTransitionData(state as never, event as never)) fired.add(def);
        }
      }
      const all = collect(a.machine.root);
      expect(all).toHaveLength(d.transitions.length);
      const dead = all
        .filter((t) => !fired.has(t))
        .map((t) => `${t.source.path.join('.') || '(root)'} ${t.eventType}`);
      expect(dead).toEqual([]);
    });
  }

  test('shortest paths read as SwarmKit: NEW → RUNNING takes the seven component steps', () => {
    const task = shortest(ADAPTERS[0] as never);
    expect(task.get('running')).toEqual([
      'ALLOCATE',
      'ASSIGN',
      'RESOLVED',
      'PREPARE',
      'PREPARED',
      'START',
      'STARTED',
    ]);
    expect(task.get('orphaned')).toEqual(['NODE_REMOVED']); // even a NEW global task, preassigned to a node
    const node = shortest(ADAPTERS[1] as never);
    expect(node.get('manager')).toEqual(['PROMOTE', 'ROLE_RECONCILED', 'RAFT_JOINED']);
    const raft = shortest(ADAPTERS[2] as never);
    expect(raft.get('leader')).toEqual(['TIMEOUT', 'WIN_ELECTION']);
  });
});

/** Every TransitionDefinition of a state node and its descendants. */
function collect(n: AnyStateNode): AnyTransitionDefinition[] {
  const own = [...n.transitions.values()].flat();
  return [...own, ...Object.values(n.states).flatMap((c) => collect(c as AnyStateNode))];
}
