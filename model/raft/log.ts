/**
 * Log helpers: etcd-raft:log.go. Index 1 is `log[0]`; index 0 has term 0 (the empty log's sentinel, which
 * also stands for the snapshot at index 0 that holds the initial membership).
 */
import { type Entry, RaftPanic } from './types.ts';

export function lastIndex(log: readonly Entry[]): number {
  return log.length;
}

/** Term at `index`, 0 for index 0, -1 beyond the log (etcd returns an error there). */
export function termAt(log: readonly Entry[], index: number): number {
  if (index === 0) return 0;
  const e = log[index - 1];
  return e === undefined ? -1 : e.term;
}

export function lastTerm(log: readonly Entry[]): number {
  return log.length === 0 ? 0 : log[log.length - 1].term;
}

/** etcd-raft:log.go (isUpToDate): the candidate's last entry is at least as recent as ours. */
export function isUpToDate(log: readonly Entry[], candLastIndex: number, candLastTerm: number): boolean {
  const ourTerm = lastTerm(log);
  return candLastTerm > ourTerm || (candLastTerm === ourTerm && candLastIndex >= log.length);
}

export function matchTerm(log: readonly Entry[], index: number, term: number): boolean {
  return termAt(log, index) === term;
}

/**
 * etcd-raft:log.go (findConflictByTerm): the largest index ≤ `index` whose term is ≤ `term`, with that term.
 * Used in reject hints so a leader skips a follower's divergent tail in one round trip.
 */
export function findConflictByTerm(log: readonly Entry[], index: number, term: number): [number, number] {
  let i = Math.min(index, log.length);
  while (i > 0 && termAt(log, i) > term) i--;
  return [i, termAt(log, i)];
}

export function sameEntry(a: Entry | undefined, b: Entry | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  return (
    a.term === b.term &&
    a.index === b.index &&
    a.kind === b.kind &&
    a.payload === b.payload &&
    a.conf?.op === b.conf?.op &&
    a.conf?.id === b.conf?.id
  );
}

/**
 * etcd-raft:log.go (maybeAppend, findConflict): the AppendEntries consistency check and conflict
 * truncation. Returns the new log and the last new index, or null when (prevIndex, prevTerm) does not
 * match. A conflict at or below the commit index is an etcd panic; the model throws RaftPanic.
 */
export function maybeAppend(
  log: Entry[],
  commitIndex: number,
  prevIndex: number,
  prevTerm: number,
  entries: readonly Entry[],
  skipPrevCheck = false,
): { log: Entry[]; lastNew: number } | null {
  if (!skipPrevCheck && !matchTerm(log, prevIndex, prevTerm)) return null;
  const lastNew = prevIndex + entries.length;
  // findConflict: the first incoming entry whose term differs from ours (or that we lack).
  let conflict = 0;
  for (const e of entries) {
    if (!matchTerm(log, e.index, e.term)) {
      conflict = e.index;
      break;
    }
  }
  if (conflict === 0) return { log, lastNew };
  if (conflict <= commitIndex) {
    throw new RaftPanic(`entry ${conflict} conflicts with committed entry [committed(${commitIndex})]`);
  }
  const next = log.slice(0, Math.min(conflict - 1, log.length));
  // With the consistency check skipped, the log may be shorter than prevIndex: pad is impossible, so
  // append only what keeps indices dense (the mutation still corrupts Log Matching, which is its point).
  for (const e of entries) if (e.index >= conflict && e.index === next.length + 1) next.push(e);
  return { log: next, lastNew: Math.min(lastNew, next.length) };
}
