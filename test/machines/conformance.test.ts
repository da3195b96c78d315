/**
 * The hot-path tables (machines/tables.ts) agree with the xstate machines: exhaustively for one event
 * from every (state, guard-relevant context) with every event variant, and on random event sequences
 * including every payload variant and random starting snapshots: the table's next state equals what
 * xstate's pure `transition()` computes, and the table has an entry exactly when `snapshot.can(event)`.
 *
 * Budget: SWARM_MACHINE_EVENTS random events per machine (default 10,000; ~0.1–0.3 ms each on a shared
 * 2-core box).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { AnyMachineSnapshot } from 'xstate';
import { ADAPTERS, type Adapter, agree, type Disagreement } from '../../machines/conformance.ts';
import { describeMachine } from '../../machines/describe.ts';

const TARGET = Number(process.env.SWARM_MACHINE_EVENTS ?? 10_000);
const WALK = 100;

const explain = (d: Disagreement) =>
  `${d.machine}: table and machine disagree (${d.what}) in ${JSON.stringify(d.from)} on ${JSON.stringify(d.event)}: table ${JSON.stringify(d.table)}, xstate ${JSON.stringify(d.xstate)}`;

function walk<S, E extends { type: string }>(a: Adapter<S, E>, visited: Set<string>) {
  let events = 0;
  const start = (choice: number): AnyMachineSnapshot =>
    choice % 2 === 0
      ? a.initials[(choice >> 1) % a.initials.length]()
      : a.resolve(a.starts[(choice >> 1) % a.starts.length]);
  const property = fc.property(
    fc.nat(),
    // Two independent unbiased numbers per step: one for jumping, one for the event.
    fc.array(fc.tuple(fc.noBias(fc.nat()), fc.noBias(fc.nat())), { minLength: WALK, maxLength: WALK }),
    (first, choices) => {
      let x = start(first);
      for (const [u, v] of choices) {
        // A done snapshot (a deleted task) still takes root-level transitions in pure transition(): start over.
        // Also jump to a random snapshot one step in four, so that every (state, context) gets tried, not
        // only those a walk reaches often (a task parked at READY with desired READY is rare on a walk).
        if (x.status === 'done' || u % 4 === 0) x = start(u >> 2);
        const s = a.project(x);
        const all = a.events(s);
        // Mostly events the table enables, so that walks get deep; a quarter from the whole alphabet, so
        // that an entry the table lacks is still tried.
        const enabled = all.filter((e) => a.step(s, e) !== undefined);
        const pool = v % 4 !== 0 && enabled.length > 0 ? enabled : all;
        const e = pool[(v >> 2) % pool.length];
        const r = agree(a, x, e);
        events++;
        if ('disagreement' in r) throw new Error(explain(r.disagreement));
        x = r.next;
        for (const atom of a.atoms(a.project(x))) visited.add(atom);
      }
    },
  );
  fc.assert(property, { numRuns: Math.ceil(TARGET / WALK) });
  return events;
}

describe('tables conform to the xstate machines', () => {
  for (const a of ADAPTERS as readonly Adapter<unknown, { type: string }>[]) {
    test(`${a.name}: table == transition() for every event variant from every (state, guard-relevant context)`, () => {
      let checked = 0;
      for (const s of a.starts) {
        const x = a.resolve(s);
        for (const e of a.events(a.project(x))) {
          const r = agree(a, x, e);
          if ('disagreement' in r) throw new Error(explain(r.disagreement));
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(80);
    });

    test(`${a.name}: table == transition() on ≥ ${TARGET} random events`, () => {
      const visited = new Set<string>();
      const events = walk(a, visited);
      expect(events).toBeGreaterThanOrEqual(TARGET);
      // Witness: the walks went everywhere (a property that never reaches a state says nothing about it).
      const atomic = describeMachine(a.machine).atomic.map((s) => s.key);
      expect(atomic.filter((k) => !visited.has(k))).toEqual([]);
    });
  }
});
