/**
 * The network between managers: in-flight messages, blocked links, and SwarmKit's transport view of which
 * peers are reachable (moby/swarmkit:manager/state/raft/transport/peer.go).
 *
 * Modelling choices, each sound for safety (they only remove behaviours a real network also allows):
 * - A send over a blocked link, or to a member that is down or stopped, fails at once and is not queued;
 *   the sender's transport marks the peer inactive (peer.go: send failure -> active = false). A successful
 *   send marks it active.
 * - A send identical to a message already in flight is not queued again: the copy might as well have been
 *   lost, and loss is a fault the model has anyway. Copies come only from the `duplicate` fault.
 * - A message whose link becomes blocked stays in flight but cannot be delivered until the link heals
 *   (it may still be dropped). Messages to a member that crashes are lost with its connections.
 */
import type { Member, MemberId, Message, RaftState } from './types.ts';

export function linkKey(from: MemberId, to: MemberId): string {
  return `${from}>${to}`;
}

export function isBlocked(s: RaftState, from: MemberId, to: MemberId): boolean {
  return s.blocked.length > 0 && s.blocked.includes(linkKey(from, to));
}

export function memberOf(s: RaftState, id: MemberId): Member | undefined {
  for (const m of s.members) if (m.id === id) return m;
  return undefined;
}

/** The receiver can get a message from `from` now: it runs and the link is open. */
export function reachable(s: RaftState, from: MemberId, to: MemberId): boolean {
  const t = memberOf(s, to);
  return t?.up === true && !t.stopped && !isBlocked(s, from, to);
}

function sameMessage(a: Message, b: Message): boolean {
  if (a.type !== b.type || a.from !== b.from || a.to !== b.to || a.term !== b.term) return false;
  switch (a.type) {
    case 'vote': {
      const x = b as typeof a;
      return a.lastIndex === x.lastIndex && a.lastTerm === x.lastTerm;
    }
    case 'voteResp':
      return a.reject === (b as typeof a).reject;
    case 'app': {
      const x = b as typeof a;
      if (a.prevIndex !== x.prevIndex || a.prevTerm !== x.prevTerm || a.commit !== x.commit) return false;
      if (a.entries.length !== x.entries.length) return false;
      for (let i = 0; i < a.entries.length; i++) {
        const e = a.entries[i];
        const f = x.entries[i];
        if (
          e !== f &&
          (e.term !== f.term || e.index !== f.index || e.payload !== f.payload || e.kind !== f.kind)
        )
          return false;
      }
      return true;
    }
    case 'appResp': {
      const x = b as typeof a;
      return (
        a.index === x.index &&
        a.reject === x.reject &&
        a.hintIndex === x.hintIndex &&
        a.hintTerm === x.hintTerm
      );
    }
    case 'heartbeat':
      return a.commit === (b as typeof a).commit;
    case 'heartbeatResp':
      return true;
  }
}

/**
 * Sends `msg` from its sender; false when the send failed at once (a draft member of the draft state `s`), updating the sender's transport
 * view. Mutates the drafts: callers pass states they own (see step.ts).
 */
export function send(s: RaftState, sender: Member, msg: Message): boolean {
  const ok = reachable(s, msg.from, msg.to);
  if (sender.active[msg.to] !== ok) {
    sender.active = { ...sender.active, [msg.to]: ok };
  }
  if (!ok) return false;
  for (const m of s.network) if (sameMessage(m, msg)) return true;
  s.network.push(msg);
  return true;
}

export function messageKey(m: Message): string {
  return JSON.stringify(m);
}

/** Blocked links of a partition into groups: every ordered pair across two different groups. */
export function partitionLinks(groups: MemberId[][]): string[] {
  const out: string[] = [];
  for (let i = 0; i < groups.length; i++)
    for (let j = 0; j < groups.length; j++)
      if (i !== j) for (const a of groups[i]) for (const b of groups[j]) out.push(linkKey(a, b));
  return out.sort();
}

/**
 * Every split of `ids` into two non-empty groups, each once (the group holding ids[0] comes first).
 * 2^(n-1)-1 of them.
 */
export function bipartitions(ids: readonly MemberId[]): MemberId[][][] {
  const out: MemberId[][][] = [];
  const n = ids.length;
  for (let mask = 1; mask < 1 << (n - 1); mask++) {
    const a: MemberId[] = [ids[0]];
    const b: MemberId[] = [];
    for (let i = 1; i < n; i++) (mask & (1 << (i - 1)) ? b : a).push(ids[i]);
    out.push([a, b]);
  }
  return out;
}
