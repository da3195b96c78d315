/**
 * Raft's safety properties (Raft paper, Figure 3) and the cheap supporting invariants of semantics §1.11,
 * checked after every step. History-based where the paper's statement is about history (leaders per term,
 * entries ever committed or applied), so a violation is caught even if the evidence later disappears.
 *
 * The checker computes majorities with its own arithmetic, ⌊n/2⌋+1, never with the model's code, so a
 * planted quorum bug in the model cannot hide from it.
 */
import { lastIndex, sameEntry } from '../../model/raft/log.ts';
import { majority as modelMajority } from '../../model/raft/quorum.ts';
import {
  ELECTION_TICK,
  type Entry,
  type Member,
  type MemberId,
  type RaftAction,
  type RaftOptions,
  type RaftState,
} from '../../model/raft/types.ts';

export const PROPERTY_NAMES = [
  'ElectionSafety',
  'LeaderAppendOnly',
  'LogMatching',
  'LeaderCompleteness',
  'StateMachineSafety',
  'CommitNeedsMajority',
  'IndexOrder',
  'PersistedStateMonotone',
  'OneVotePerTerm',
  'LeaderCommitsOwnTerm',
  'CommittedNeverTruncated',
  'OneUnappliedConfChange',
  'RemovedNeverShrinksNorVotes',
  'ClientOkImpliesCommitted',
  'MajoritiesIntersect',
  'CheckQuorumStepDown',
  'NoPanic',
] as const;
export type PropertyName = (typeof PROPERTY_NAMES)[number];

export interface Violation {
  property: PropertyName;
  message: string;
}

const majority = (n: number) => Math.floor(n / 2) + 1;

/** What the checker remembers across steps. Not part of the model state. */
export class History {
  leadersByTerm = new Map<number, Set<MemberId>>();
  /** index -> the entry committed there and the lowest term in which it was seen committed. */
  committed = new Map<number, { entry: Entry; term: number }>();
  applied = new Map<number, Entry>();
  votes = new Map<string, MemberId>();
  /** Per leader (id:term): own ticks since a majority last answered, and who answered since. */
  lease = new Map<string, { ticks: number; answered: Set<MemberId> }>();
  /** Properties not reported (to show which *other* property catches a planted bug). */
  skip: Set<PropertyName>;
  constructor(skip: Iterable<PropertyName> = []) {
    this.skip = new Set(skip);
  }
  /** Which properties were exercised non-vacuously (a witness count per property). */
  witnessed = new Map<PropertyName, number>();

  see(p: PropertyName): void {
    this.witnessed.set(p, (this.witnessed.get(p) ?? 0) + 1);
  }
}

function byId(s: RaftState): Map<MemberId, Member> {
  return new Map(s.members.map((m) => [m.id, m]));
}

/** Records the initial state into the history and checks it. */
export function checkInitial(s: RaftState, h: History, opts: RaftOptions = {}): Violation | null {
  return checkState(s, h, opts) ?? recordState(null, s, h);
}

/** Checks one step `prev --a--> next`. */
export function checkStep(
  prev: RaftState,
  a: RaftAction,
  next: RaftState,
  h: History,
  opts: RaftOptions = {},
): Violation | null {
  return checkTransition(prev, a, next, h) ?? checkState(next, h, opts) ?? recordState(prev, next, h);
}

function checkTransition(prev: RaftState, a: RaftAction, next: RaftState, h: History): Violation | null {
  const before = byId(prev);
  for (const m of next.members) {
    const p = before.get(m.id);
    if (p === undefined) continue;
    // PersistedStateMonotone: term and commit are in the HardState, so not even a crash lowers them.
    if (m.term < p.term || m.commitIndex < p.commitIndex) {
      if (!h.skip.has('PersistedStateMonotone'))
        return v(
          'PersistedStateMonotone',
          `${m.id}: term ${p.term}->${m.term}, commit ${p.commitIndex}->${m.commitIndex} after ${a.type}`,
        );
    }
    // LeaderAppendOnly: a leader that stays leader in the same term only appends.
    if (p.role === 'leader' && m.role === 'leader' && p.term === m.term && p.up && m.up) {
      if (!isPrefix(p.log, m.log))
        if (!h.skip.has('LeaderAppendOnly'))
          return v('LeaderAppendOnly', `${m.id} (term ${m.term}) rewrote its log`);
      if (m.log.length > p.log.length) h.see('LeaderAppendOnly');
    }
    // CommittedNeverTruncated: nobody removes or changes an entry at or below its commit index.
    if (!isPrefix(p.log.slice(0, p.commitIndex), m.log)) {
      if (!h.skip.has('CommittedNeverTruncated'))
        return v(
          'CommittedNeverTruncated',
          `${m.id} changed its log at or below commit index ${p.commitIndex}`,
        );
    }
    if (m.log.length < p.log.length || (p.log.length > 0 && !isPrefix(p.log, m.log)))
      h.see('CommittedNeverTruncated');
    // LeaderCommitsOwnTerm: a leader advances its commit only to an entry of its own term.
    if (p.role === 'leader' && m.role === 'leader' && p.term === m.term && m.commitIndex > p.commitIndex) {
      const e = m.log[m.commitIndex - 1];
      if (e.term !== m.term) {
        if (!h.skip.has('LeaderCommitsOwnTerm'))
          return v(
            'LeaderCommitsOwnTerm',
            `${m.id} (term ${m.term}) committed index ${e.index} of term ${e.term}`,
          );
      }
      h.see('LeaderCommitsOwnTerm');
    }
    // RemovedNeverShrinksNorVotes
    for (const r of p.removed) {
      if (!m.removed.includes(r))
        if (!h.skip.has('RemovedNeverShrinksNorVotes'))
          return v('RemovedNeverShrinksNorVotes', `${m.id} forgot that ${r} was removed`);
    }
  }
  // CheckQuorumStepDown: count each leader's own ticks since a majority of its voters last answered.
  if (a.type === 'tick') {
    const m = next.members.find((x) => x.id === a.member)!;
    const p = before.get(a.member)!;
    if (p.role === 'leader' && m.role === 'leader' && p.term === m.term) {
      const key = `${m.id}:${m.term}`;
      const l = h.lease.get(key) ?? { ticks: 0, answered: new Set<MemberId>() };
      l.ticks++;
      h.lease.set(key, l);
      // A leader that is a majority by itself (a one-voter configuration) never needs an answer.
      if (m.voters.filter((x) => x === m.id || l.answered.has(x)).length >= majority(m.voters.length)) {
        l.ticks = 0;
        l.answered = new Set();
      }
      if (l.ticks > 2 * ELECTION_TICK) {
        if (!h.skip.has('CheckQuorumStepDown'))
          return v(
            'CheckQuorumStepDown',
            `${m.id} is still leader of term ${m.term} after ${l.ticks} of its ticks without answers from a majority`,
          );
      }
    }
  } else if (a.type === 'deliver') {
    const msg = prev.network[a.msg];
    const m = next.members.find((x) => x.id === msg.to);
    if (
      m &&
      m.role === 'leader' &&
      msg.term === m.term &&
      (msg.type === 'appResp' || msg.type === 'heartbeatResp')
    ) {
      const key = `${m.id}:${m.term}`;
      const l = h.lease.get(key) ?? { ticks: 0, answered: new Set<MemberId>() };
      if (m.voters.includes(msg.from)) l.answered.add(msg.from);
      const n = m.voters.filter((x) => x === m.id || l.answered.has(x)).length;
      if (n >= majority(m.voters.length)) {
        l.ticks = 0;
        l.answered = new Set();
      }
      h.lease.set(key, l);
    }
  }
  return null;
}

function checkState(s: RaftState, h: History, opts: RaftOptions): Violation | null {
  const ms = s.members;
  for (const m of ms) {
    // IndexOrder
    const last = lastIndex(m.log);
    if (!(m.appliedIndex <= m.commitIndex && m.commitIndex <= last)) {
      if (!h.skip.has('IndexOrder'))
        return v('IndexOrder', `${m.id}: applied ${m.appliedIndex}, commit ${m.commitIndex}, last ${last}`);
    }
    for (let i = 0; i < m.log.length; i++) {
      if (m.log[i].index !== i + 1)
        if (!h.skip.has('IndexOrder'))
          return v('IndexOrder', `${m.id}: log[${i + 1}] carries index ${m.log[i].index}`);
      if (i > 0 && m.log[i].term < m.log[i - 1].term)
        if (!h.skip.has('IndexOrder')) return v('IndexOrder', `${m.id}: terms decrease at index ${i + 1}`);
    }
    // MajoritiesIntersect: two quorums of the same voter set always share a member.
    const n = m.voters.length;
    if (n > 0 && 2 * modelMajority(n, opts.mutations) <= n) {
      if (!h.skip.has('MajoritiesIntersect'))
        return v(
          'MajoritiesIntersect',
          `${m.id}: two quorums of ${modelMajority(n, opts.mutations)} out of ${n} can be disjoint`,
        );
    }
    for (const r of m.removed) {
      if (m.voters.includes(r))
        if (!h.skip.has('RemovedNeverShrinksNorVotes'))
          return v('RemovedNeverShrinksNorVotes', `${m.id}: removed ${r} is still a voter`);
    }
    // LeaderCompleteness: every leader has every entry committed in an earlier (or its own) term.
    if (m.role === 'leader' && m.up && !m.stopped) {
      for (const [index, c] of h.committed) {
        if (c.term <= m.term && !sameEntry(m.log[index - 1], c.entry)) {
          if (!h.skip.has('LeaderCompleteness'))
            return v(
              'LeaderCompleteness',
              `leader ${m.id} (term ${m.term}) lacks entry ${index} (term ${c.entry.term}, ${c.entry.payload || c.entry.kind}) committed in term ${c.term}`,
            );
        }
      }
      if (h.committed.size > 0 && m.term > 1) h.see('LeaderCompleteness');
      // OneUnappliedConfChange (etcd's pendingConfIndex): at most one conf change of its own term unapplied.
      let pending = 0;
      for (let i = m.appliedIndex; i < m.log.length; i++) {
        if (m.log[i].kind === 'conf' && m.log[i].term === m.term) pending++;
      }
      if (pending > 1)
        if (!h.skip.has('OneUnappliedConfChange'))
          return v('OneUnappliedConfChange', `leader ${m.id} has ${pending} unapplied conf changes`);
    }
  }
  // LogMatching: same index and term => identical prefixes.
  for (let i = 0; i < ms.length; i++) {
    for (let j = i + 1; j < ms.length; j++) {
      const a = ms[i].log;
      const b = ms[j].log;
      let k = Math.min(a.length, b.length);
      while (k > 0 && a[k - 1].term !== b[k - 1].term) k--;
      for (let x = 0; x < k; x++) {
        if (!sameEntry(a[x], b[x])) {
          if (!h.skip.has('LogMatching'))
            return v(
              'LogMatching',
              `${ms[i].id} and ${ms[j].id} agree on (index ${k}, term ${a[k - 1].term}) but differ at index ${x + 1}`,
            );
        }
      }
      if (k > 1) h.see('LogMatching');
    }
  }
  // ClientOkImpliesCommitted
  for (const w of s.writes) {
    if (w.status !== 'ok') continue;
    const c = h.committed.get(w.index);
    const committedNow = ms.some(
      (m) =>
        m.commitIndex >= w.index &&
        m.log[w.index - 1]?.payload === w.payload &&
        m.log[w.index - 1]?.term === w.term,
    );
    if (!committedNow && !(c && c.entry.payload === w.payload && c.entry.term === w.term)) {
      if (!h.skip.has('ClientOkImpliesCommitted'))
        return v(
          'ClientOkImpliesCommitted',
          `write ${w.payload} reported ok but index ${w.index} is not committed`,
        );
    }
  }
  return null;
}

/** Updates the history with `next`, checking the history-based properties as it goes. */
function recordState(prev: RaftState | null, next: RaftState, h: History): Violation | null {
  const before = prev ? byId(prev) : new Map<MemberId, Member>();
  for (const m of next.members) {
    const p = before.get(m.id);
    // ElectionSafety (history form): at most one member ever becomes leader in a term.
    if (m.role === 'leader' && (p === undefined || p.role !== 'leader' || p.term !== m.term)) {
      const set = h.leadersByTerm.get(m.term) ?? new Set<MemberId>();
      set.add(m.id);
      h.leadersByTerm.set(m.term, set);
      if (set.size > 1)
        if (!h.skip.has('ElectionSafety'))
          return v('ElectionSafety', `term ${m.term} had leaders ${[...set].sort().join(', ')}`);
      h.see('ElectionSafety');
    }
    // OneVotePerTerm
    if (m.votedFor !== null) {
      const key = `${m.id}:${m.term}`;
      const was = h.votes.get(key);
      if (was !== undefined && was !== m.votedFor) {
        if (!h.skip.has('OneVotePerTerm'))
          return v('OneVotePerTerm', `${m.id} voted for ${was} and then ${m.votedFor} in term ${m.term}`);
      }
      h.votes.set(key, m.votedFor);
    }
    // CommitNeedsMajority: the first time an index is committed anywhere, a majority of the committing
    // member's voters hold that very entry.
    const fromCommit = p ? p.commitIndex : 0;
    for (let k = fromCommit + 1; k <= m.commitIndex; k++) {
      const e = m.log[k - 1];
      const c = h.committed.get(k);
      if (c === undefined) {
        const holders = m.voters.filter((id) => {
          const x = next.members.find((y) => y.id === id);
          return x !== undefined && sameEntry(x.log[k - 1], e);
        });
        if (holders.length < majority(m.voters.length)) {
          if (!h.skip.has('CommitNeedsMajority'))
            return v(
              'CommitNeedsMajority',
              `${m.id} committed index ${k} held by ${holders.length} of ${m.voters.length} voters (${holders.join(',') || 'none'})`,
            );
        }
        h.committed.set(k, { entry: e, term: m.term });
        h.see('CommitNeedsMajority');
      } else if (!sameEntry(c.entry, e)) {
        if (!h.skip.has('StateMachineSafety'))
          return v(
            'StateMachineSafety',
            `index ${k} committed as ${c.entry.payload || c.entry.kind} (term ${c.entry.term}) and later as ${e.payload || e.kind} (term ${e.term}) by ${m.id}`,
          );
      } else if (m.term < c.term) c.term = m.term;
    }
    // StateMachineSafety: no two members ever apply different entries at the same index.
    const fromApplied = p && p.appliedIndex <= m.appliedIndex ? p.appliedIndex : 0;
    for (let k = fromApplied + 1; k <= m.appliedIndex; k++) {
      const e = m.log[k - 1];
      const was = h.applied.get(k);
      if (was === undefined) h.applied.set(k, e);
      else if (!sameEntry(was, e)) {
        if (!h.skip.has('StateMachineSafety'))
          return v(
            'StateMachineSafety',
            `${m.id} applied ${e.payload || e.kind} (term ${e.term}) at index ${k}, where ${was.payload || was.kind} (term ${was.term}) was applied`,
          );
      } else h.see('StateMachineSafety');
    }
  }
  return null;
}

function isPrefix(a: readonly Entry[], b: readonly Entry[]): boolean {
  if (a.length > b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !sameEntry(a[i], b[i])) return false;
  return true;
}

function v(property: PropertyName, message: string): Violation {
  return { property, message };
}
