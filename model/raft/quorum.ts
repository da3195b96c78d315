/**
 * Majority arithmetic: etcd-raft:quorum/majority.go (VoteResult, CommittedIndex). Both count the voters of
 * the configuration in effect, up or down.
 */
import type { MemberId, Mutations } from './types.ts';

/** ⌊n/2⌋+1. The `quorumCeilHalf` mutation plants the classic off-by-one ⌈n/2⌉. */
export function majority(n: number, mutations?: Mutations): number {
  if (mutations?.quorumCeilHalf) return Math.max(1, Math.ceil(n / 2));
  return Math.floor(n / 2) + 1;
}

export type VoteResult = 'won' | 'lost' | 'pending';

/** etcd-raft:quorum/majority.go (VoteResult). An empty configuration wins (by convention in etcd). */
export function voteResult(
  voters: readonly MemberId[],
  votes: Record<MemberId, boolean>,
  mutations?: Mutations,
): VoteResult {
  if (voters.length === 0) return 'won';
  const q = majority(voters.length, mutations);
  let yes = 0;
  let missing = 0;
  for (const v of voters) {
    const x = votes[v];
    if (x === undefined) missing++;
    else if (x) yes++;
  }
  if (yes >= q) return 'won';
  if (yes + missing >= q) return 'pending';
  return 'lost';
}

/**
 * etcd-raft:quorum/majority.go (CommittedIndex): the largest index that a majority of voters have stored,
 * i.e. the q-th largest match.
 */
export function committedIndex(
  voters: readonly MemberId[],
  matchOf: (id: MemberId) => number,
  mutations?: Mutations,
): number {
  if (voters.length === 0) return Number.MAX_SAFE_INTEGER;
  const ms = voters.map(matchOf).sort((a, b) => b - a);
  return ms[majority(voters.length, mutations) - 1];
}
