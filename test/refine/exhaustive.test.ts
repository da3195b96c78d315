/**
 * The `cluster` profile: the full model explored exhaustively on a tiny configuration, with every
 * model invariant and the refinement check on every step; and a planted bug that breaks refinement,
 * caught with a shortest trace.
 */
import { expect, test } from 'vitest';
import { explore } from '../../explore/explorer.ts';
import { formatTrace } from '../../explore/trace.ts';
import type { Action, State, StepResult } from '../../model/index.ts';
import { step } from '../../model/index.ts';
import { rank } from '../../model/taskState.ts';
import { DEFAULT_CLUSTER } from '../../refine/cluster.ts';
import { clusterModel } from '../../refine/clusterProfile.ts';
import { StateCodec } from '../../refine/encode.ts';
import { varsOf } from '../../refine/projection.ts';

const TINY = { ...DEFAULT_CLUSTER, nodes: 1, services: 1, replicas: 1, maxReplicas: 2, maxEvents: 1 };

test('cluster, 1 node, 1 service, 1 event: every invariant holds and every step refines the spec', () => {
  const m = clusterModel(TINY);
  const r = explore(m, {});
  expect(r.violation).toBeUndefined();
  expect(r.complete).toBe(true);
  // Regression figures of this configuration (not TLC's: the spec has no counterpart).
  expect(r.distinct).toBe(7664);
  expect(r.generated).toBe(23687);
  // On this configuration the model refines the spec with no divergence at all: only stutters,
  // single spec steps and short sequences of them.
  expect([...m.verdicts.keys()].sort()).toEqual(['path', 'step', 'stutter']);
});

test('the encoding is canonical and decodes to a state with the same projection and successors', () => {
  const m = clusterModel({ ...TINY, maxEvents: 0 });
  const codec = new StateCodec();
  const buf = new Int32Array(m.maxWords);
  const buf2 = new Int32Array(m.maxWords);
  let frontier = m.initialStates();
  let checked = 0;
  for (let depth = 0; depth < 8; depth++) {
    const next: typeof frontier = [];
    for (const ps of frontier)
      m.successors(ps, (_a, n) => {
        const len = codec.encode(n, buf);
        const back = codec.decode(buf, 0, len);
        const len2 = codec.encode(back, buf2);
        expect(Array.from(buf2.subarray(0, len2))).toEqual(Array.from(buf.subarray(0, len)));
        const R = m.refinement!;
        expect(varsOf(R.cfg, back.s, back.h!)).toEqual(varsOf(R.cfg, n.s, n.h!));
        next.push(n);
        checked++;
      });
    frontier = next.slice(0, 50);
  }
  expect(checked).toBeGreaterThan(50);
});

/** Planted bug: the task reaper also deletes tasks flagged REMOVE that are still running. */
function reaperDeletesRunning(s: State, a: Action): StepResult {
  const r = step(s, a);
  if (!r.ok || a.actor !== 'reaper') return r;
  const keep = r.state.tasks.filter((t) => !(t.desired === 'remove' && rank(t.observed) <= rank('running')));
  return keep.length === r.state.tasks.length ? r : { ok: true, state: { ...r.state, tasks: keep } };
}

test('a planted bug that breaks refinement is caught with a shortest trace', () => {
  const m = clusterModel({ ...TINY, step: reaperDeletesRunning });
  const r = explore(m, {});
  expect(r.violation?.kind).toBe('action-property');
  expect(r.violation?.name).toBe('RefinesSwarmKitTLA');
  expect(r.violation?.message).toMatch(/^reaper:reap: no spec step/);
  const actions = r.violation!.trace.steps.map((s) => s.action);
  expect(actions.at(-1)).toBe('reaper:reap');
  // Shortest (BFS): the node registers, the task is created, allocated and assigned (owned by the
  // agent from then on), the user removes the service (desired REMOVE), and the reaper deletes it.
  expect(actions).toEqual([
    null,
    'dispatcher:register',
    'orchestrator:reconcile-service',
    'allocator:allocate',
    'scheduler:schedule',
    'user:command',
    'reaper:reap',
  ]);
  expect(formatTrace(m, r.violation!.trace)).toContain('assigned/remove');
});
