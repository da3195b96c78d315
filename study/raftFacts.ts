/**
 * Facts about the managers' Raft computed by running model/raft, for the claims a docker scenario can
 * only illustrate: quorum arithmetic (by every fault set, via quorumTable) and vote-granting.
 */
import { leaderOf } from '../model/raft/controlPlane.ts';
import { runFair } from '../model/raft/fair.ts';
import { type QuorumRow, quorumRow, steadySwarm } from '../model/raft/quorumTable.ts';
import { step } from '../model/raft/step.ts';
import type { MemberId, RaftAction, RaftState } from '../model/raft/types.ts';

/** A small budget: every fault set, one fair schedule each, one short random schedule where none commits. */
export const QUORUM_BUDGET = { salts: 1, randomSchedules: 1, randomSteps: 100, rounds: 50 };
export const QUORUM_REPLAY = 'npx swarm-model quorum --max 9';

const rows = new Map<number, QuorumRow>();

/** The quorum-table row for N managers, computed once per process. */
export function quorum(n: number): QuorumRow {
  let r = rows.get(n);
  if (!r) {
    r = quorumRow(n, QUORUM_BUDGET);
    rows.set(n, r);
  }
  return r;
}

export const tolerance = (n: number) => quorum(n).tolerance;

export interface RaftRun {
  state: RaftState;
  /** What happened, one line per step, for the card. */
  log: string[];
}

/**
 * Who wins an election: a voter grants its vote on the candidate's last log entry (term, index), not
 * on what it knows to be committed. Three managers; the leader commits a write and tells only m-A
 * (by heartbeat) that it is committed, then crashes. m-B, whose log is as long but whose commit index
 * is behind, times out first and wins with m-A's vote.
 */
export function electionByLastEntry(): RaftRun & {
  winner: MemberId | null;
  voter: MemberId;
  commitA: number;
  commitB: number;
} {
  const log: string[] = [];
  let s = steadySwarm(3);
  const lead = leaderOf(s)!;
  const [a, b] = s.members.map((m) => m.id).filter((id) => id !== lead);
  const mem = (id: MemberId) => s.members.find((m) => m.id === id)!;
  const act = (x: RaftAction) => {
    s = step(s, x);
  };
  const deliver = (pred: (m: RaftState['network'][number]) => boolean) => {
    const i = s.network.findIndex(pred);
    if (i < 0) throw new Error('raft story: expected message not in flight');
    act({ type: 'deliver', msg: i });
  };
  log.push(`three managers ${lead} (leader), ${a}, ${b}; one write committed everywhere`);
  act({ type: 'propose', member: lead });
  deliver((m) => m.type === 'app' && m.to === a);
  deliver((m) => m.type === 'app' && m.to === b);
  deliver((m) => m.type === 'appResp' && m.from === a);
  deliver((m) => m.type === 'appResp' && m.from === b);
  log.push(
    `${lead} replicates a new write to ${a} and ${b}; both acknowledge; ${lead} commits it (commit index ${mem(lead).commitIndex})`,
  );
  // Drop everything in flight, then one heartbeat that tells only `a` the new commit index.
  while (s.network.length) act({ type: 'drop', msg: 0 });
  act({ type: 'tick', member: lead });
  deliver((m) => m.type === 'heartbeat' && m.to === a);
  while (s.network.length) act({ type: 'drop', msg: 0 });
  log.push(
    `a heartbeat tells only ${a} (commit index ${mem(a).commitIndex}); ${b} still has commit index ${mem(b).commitIndex}`,
  );
  act({ type: 'crash', member: lead });
  log.push(`${lead} crashes`);
  // `a` ticks without timing out (its leader lease runs out, so it will listen to a candidate) ...
  for (let i = 0; i < 10; i++) act({ type: 'tick', member: a, fire: false });
  // ... while `b` times out first and campaigns.
  for (let i = 0; i < 19 && mem(b).role !== 'candidate'; i++) act({ type: 'tick', member: b, fire: true });
  log.push(
    `${b} times out first and asks for votes (last entry term ${mem(b).log.at(-1)?.term}, index ${mem(b).log.length})`,
  );
  deliver((m) => m.type === 'vote' && m.to === a);
  deliver((m) => m.type === 'voteResp' && m.to === b);
  const commitA = mem(a).commitIndex;
  const commitB = mem(b).commitIndex;
  s = runFair(s, { rounds: 3 }).state;
  const winner = leaderOf(s);
  log.push(
    `${a} compares last entries, finds ${b}'s as up to date as its own and votes for it: leader ${winner}`,
  );
  return { state: s, log, winner, voter: a, commitA, commitB };
}
