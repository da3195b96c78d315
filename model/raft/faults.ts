/**
 * Crash and restart of a manager. What survives is what etcd and SwarmKit persist: the HardState (term,
 * vote, commit) and the WAL (the log). Everything else is rebuilt (moby/swarmkit:manager/state/raft/
 * storage.go (loadAndStart), raft.go (Run)).
 */
import { applyNext } from './apply.ts';
import { hup, loseLeadership } from './election.ts';
import type { Member, RaftOptions, RaftState } from './types.ts';

export function crash(s: RaftState, m: Member): void {
  if (m.role === 'leader') loseLeadership(s, m);
  m.up = false;
  // Its connections go with it: whatever was on the way to it is lost.
  s.network = s.network.filter((msg) => msg.to !== m.id);
}

/**
 * Restart keeps term, vote, log and commit index and loses the rest. The store and the membership are
 * rebuilt by replaying the committed prefix, which SwarmKit does from its snapshot and WAL before the node
 * takes part again; the model replays it at once. A manager that finds itself the only member campaigns
 * immediately (moby/swarmkit:raft.go (Run: campaignWhenAble)).
 */
export function restart(s: RaftState, m: Member, opts: RaftOptions): void {
  m.up = true;
  m.role = 'follower';
  m.lead = null;
  m.electionElapsed = 0;
  m.heartbeatElapsed = 0;
  m.randomizedTimeout = null;
  m.votes = {};
  m.progress = {};
  m.pendingConfIndex = 0;
  m.signalledLeader = false;
  m.ticksWithNoLeader = 0;
  // A new transport: no peer is known to be active until a send to it succeeds (transport/peer.go).
  const active: Record<string, boolean> = {};
  for (const x of s.members) if (x.id !== m.id) active[x.id] = false;
  m.active = active;
  m.voters = [...s.bootstrap];
  m.removed = [];
  m.appliedIndex = 0;
  while (m.appliedIndex < m.commitIndex && !m.stopped) applyNext(s, m, opts);
  if (m.stopped) return;
  if (m.voters.length === 1 && m.voters[0] === m.id) hup(s, m, opts);
}
