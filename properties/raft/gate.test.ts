/**
 * The atomic gate agrees with what the message-level Raft can commit.
 *
 * From states reached by random fault prefixes (no membership changes, so every member's voter set is the
 * bootstrap one):
 * - gate yes (`hasLeaderWithQuorum`): a fair run with no new faults commits a client write;
 * - no reachable majority (`quorumReachable` false): a fair run that keeps the faults — with a client
 *   retrying at any signalled leader — never commits an entry that did not already exist somewhere;
 * - the gate never says yes without a reachable majority.
 * Both sides are witnessed, so neither implication is vacuous.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import {
  canCommitWrite,
  hasLeaderWithQuorum,
  leaderOf,
  quorumReachable,
} from '../../model/raft/controlPlane.ts';
import { runFair } from '../../model/raft/fair.ts';
import { sameEntry } from '../../model/raft/log.ts';
import { enabled, initialState, step } from '../../model/raft/step.ts';
import type { Entry, RaftState } from '../../model/raft/types.ts';
import { baseSeed, envInt, Rng } from './rng.ts';
import { chooseAction } from './runner.ts';

function randomPrefix(seed: number, n: number, steps: number): RaftState {
  const rng = new Rng(seed);
  let s = initialState(n);
  for (let i = 0; i < steps; i++) {
    const acts = enabled(s, { membership: false, maxWrites: 6, maxNetwork: 40 });
    s = step(s, chooseAction(s, acts, rng));
  }
  return s;
}

/** Every entry present in some member's log at `s`, keyed by index and term. */
function presentAt(s: RaftState): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const m of s.members) for (const e of m.log) out.set(`${e.index}:${e.term}`, e);
  return out;
}

/**
 * Under frozen faults, does any member commit an entry that did not exist anywhere at the start? (Entries
 * that existed may legitimately commit: a member that has since crashed or been cut off may already have
 * stored and acknowledged them.)
 */
function commitsSomethingNew(s: RaftState, salt: number): string | null {
  const old = presentAt(s);
  let bad: string | null = null;
  runFair(s, {
    rounds: 45,
    salt,
    before: (x) => {
      const id = leaderOf(x);
      return id === null ? null : { type: 'propose', member: id };
    },
    until: (x) => {
      for (const m of x.members) {
        for (let k = 1; k <= m.commitIndex; k++) {
          const e = m.log[k - 1];
          if (!sameEntry(old.get(`${e.index}:${e.term}`), e)) {
            bad = `${m.id} committed new entry ${k} (${e.payload || e.kind}, term ${e.term})`;
            return true;
          }
        }
      }
      return false;
    },
  });
  return bad;
}

test('Raft: hasLeaderWithQuorum agrees with what the message-level Raft commits', () => {
  let yes = 0;
  let unreachable = 0;
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 0x7fffffff }),
      fc.constantFrom(2, 3, 4, 5),
      fc.integer({ min: 20, max: 260 }),
      (seed, n, steps) => {
        const s = randomPrefix(seed, n, steps);
        const gate = hasLeaderWithQuorum(s);
        const reach = quorumReachable(s);
        if (gate && !reach) throw new Error('gate says yes without a reachable majority');
        if (gate) {
          yes++;
          if (!canCommitWrite(s, {}, 80, seed & 7))
            throw new Error(`gate yes, but no write committed (seed ${seed})`);
        }
        if (!reach) {
          unreachable++;
          const bad = commitsSomethingNew(s, seed & 7);
          if (bad) throw new Error(`no reachable majority, yet ${bad} (seed ${seed})`);
          if (canCommitWrite(s, {}, 45, seed & 7))
            throw new Error(`no reachable majority, yet a write committed`);
        }
      },
    ),
    { numRuns: envInt('SWARM_GATE_RUNS', 150), seed: baseSeed() },
  );
  expect(yes).toBeGreaterThan(10);
  expect(unreachable).toBeGreaterThan(10);
});
