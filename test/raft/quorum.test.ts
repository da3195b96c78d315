/**
 * The quorum table computed by running the model equals the documented one
 * (Docs: "Administer and maintain a swarm of Docker Engines"; semantics §2.1), and the two classic
 * witnesses: 4 managers losing 2, and 2 managers losing 1, have no leader.
 */
import { describe, expect, test } from 'vitest';
import { leaderOf, managerStatus, proposeAndCommit, raftLeaderOf } from '../../model/raft/controlPlane.ts';
import { runFair } from '../../model/raft/fair.ts';
import { quorumTable, steadySwarm, takeAway } from '../../model/raft/quorumTable.ts';
import type { RaftState } from '../../model/raft/types.ts';

// The documented table, transcribed (not computed): managers -> [majority, fault tolerance].
const DOCUMENTED: Record<number, [number, number]> = {
  1: [1, 0],
  2: [2, 0],
  3: [2, 1],
  4: [3, 1],
  5: [3, 2],
  6: [4, 2],
  7: [4, 3],
  8: [5, 3],
  9: [5, 4],
};

describe('Raft: quorum', () => {
  test('the table computed from runs matches the documented one for 1..9 managers', () => {
    const rows = quorumTable(9, { salts: 1, rounds: 50, randomSchedules: 1, randomSteps: 200 });
    for (const r of rows) {
      expect([r.majority, r.tolerance], `${r.n} managers`).toEqual(DOCUMENTED[r.n]);
      // The evidence: every set of `tolerance` lost managers committed, and some larger loss committed nothing.
      expect(r.byFaults.filter((b) => b.f <= r.tolerance).every((b) => b.allCommitted)).toBe(true);
      expect(r.byFaults.at(-1)).toMatchObject({ f: r.tolerance + 1, noneCommitted: true });
    }
  });

  /** After the faults, many election timeouts of fair scheduling: was there ever a leader after the first 20 ticks? */
  function leaderlessAfter(s: RaftState): { everLeader: boolean; last: RaftState } {
    let everLeader = false;
    const r = runFair(s, {
      rounds: 120,
      until: (x, round) => {
        if (round > 20 && raftLeaderOf(x) !== null) everLeader = true;
        return false;
      },
    });
    return { everLeader, last: r.state };
  }

  for (const kind of ['crash', 'cut'] as const) {
    test(`4 managers losing 2 (${kind}) have no leader, and a write fails`, () => {
      const s0 = steadySwarm(4);
      const leader = leaderOf(s0)!;
      const other = s0.members.map((m) => m.id).find((id) => id !== leader)!;
      // Lose the leader and one follower: the remaining two cannot win 3 votes.
      const s = takeAway(s0, [leader, other], kind);
      const { everLeader, last } = leaderlessAfter(s);
      expect(everLeader).toBe(false);
      const w = proposeAndCommit(last);
      expect(w.result).toBe('failedNotApplied');
      expect(w.result === 'failedNotApplied' && w.message).toMatch(/does not have a leader/);
      expect(managerStatus(last).ok).toBe(false);
    });

    test(`2 managers losing 1 (${kind}) have no leader`, () => {
      const s0 = steadySwarm(2);
      for (const id of ['m1', 'm2']) {
        const { everLeader } = leaderlessAfter(takeAway(s0, [id], kind));
        expect(everLeader, `losing ${id}`).toBe(false);
      }
    });
  }

  test('4 managers split 2|2: the old leader steps down within 2 ElectionTicks, then no leader at all', () => {
    const s0 = steadySwarm(4);
    const l = leaderOf(s0)!;
    const ids = s0.members.map((m) => m.id);
    const mates = [l, ids.find((x) => x !== l)!];
    const s = takeAway(
      s0,
      ids.filter((x) => !mates.includes(x)),
      'cut',
    );
    expect(raftLeaderOf(s)?.id).toBe(l);
    let stepDownRound = -1;
    runFair(
      { ...s },
      {
        rounds: 60,
        until: (x, round) => {
          if (stepDownRound < 0 && raftLeaderOf(x) === null) stepDownRound = round;
          return false;
        },
      },
    );
    expect(stepDownRound).toBeGreaterThan(0);
    expect(stepDownRound).toBeLessThanOrEqual(20);
  });
});
