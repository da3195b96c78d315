/**
 * One Raft member (a manager's etcd raft node, as SwarmKit configures it: CheckQuorum on, PreVote off),
 * as far as its role and term go. Log replication, votes granted and commit live in the cluster model;
 * this machine is the per-member legality: which role changes exist, and what they do to the term.
 *
 * Context:
 * - term: the current term (persisted in HardState, so it survives a crash).
 * - inLease: etcd's "leader lease" (lead ≠ none and electionElapsed < ElectionTick). A member in lease
 *   ignores a higher-term vote request entirely (CheckQuorum is on). A leader is always in lease: its
 *   electionElapsed is reset at every CheckQuorum round.
 *   etcd-io/raft:raft.go (Step: inLease)
 *
 * Not modelled: PreVote (off in SwarmKit), leadership transfer (TimeoutNow bypasses the lease: the
 * target campaigns like TIMEOUT), "signalled leadership" (SwarmKit starts the leader's components only
 * once the new-term entry is applied: moby/swarmkit:manager/state/raft/raft.go (Run)).
 */
import { assign, setup } from 'xstate';
import type { GuardRef, TransitionMeta } from './meta.ts';

export type RaftActor = 'raft' | 'fault';
export const RAFT_ACTORS: readonly RaftActor[] = ['raft', 'fault'];

export const RAFT_ROLES = ['follower', 'candidate', 'leader', 'crashed'] as const;
export type RaftRole = (typeof RAFT_ROLES)[number];

export interface RaftContext {
  term: number;
  inLease: boolean;
}

export type RaftEvent =
  /** Election timeout (randomized, 10..19 ticks) elapsed without hearing from a leader: campaign. */
  | { type: 'TIMEOUT' }
  /** A quorum (⌊n/2⌋+1 voters, itself included) granted its vote in this term. */
  | { type: 'WIN_ELECTION' }
  /** A quorum rejected it in this term. */
  | { type: 'LOSE_ELECTION' }
  /** A message with a term above ours: a vote request from a candidate, or append/heartbeat from a leader. */
  | { type: 'HIGHER_TERM'; term: number; from: 'candidate' | 'leader' }
  /** Append/heartbeat from the leader of our own term (a candidate learns it lost; a follower renews its lease). */
  | { type: 'LEADER_MESSAGE'; term: number }
  /** ElectionTick ticks without hearing from the leader: the lease is over (the election timeout may not be yet). */
  | { type: 'LEASE_EXPIRED' }
  /** At an ElectionTick boundary, fewer than a quorum of voters were recently active. */
  | { type: 'CHECK_QUORUM_FAILED' }
  /** The manager's process stops (crash, daemon stop, host down). */
  | { type: 'CRASH' }
  /** It starts again from its persisted state (term and vote kept) as a follower. */
  | { type: 'RESTART' };

export type RaftEventType = RaftEvent['type'];

type Meta = TransitionMeta<RaftActor>;
type T = { target?: string; guard?: any; actions?: any; reenter?: boolean; meta: Meta };

const ETCD = 'etcd-io/raft:raft.go';

export const raftMemberMachine = setup({
  types: {
    context: {} as RaftContext,
    events: {} as RaftEvent,
    transitionMeta: {} as Meta,
  },
  guards: {
    // Step: m.Term > r.Term; a vote request inside the lease is dropped with no term change.
    stepsDown: ({ context, event }) =>
      event.type === 'HIGHER_TERM' &&
      event.term > context.term &&
      !(event.from === 'candidate' && context.inLease),
    sameTerm: ({ context, event }) => event.type === 'LEADER_MESSAGE' && event.term === context.term,
    inLease: ({ context }) => context.inLease,
  },
  actions: {
    // becomeCandidate: term + 1, vote for self, lead = none.
    campaign: assign({ term: ({ context }) => context.term + 1, inLease: false }),
    // becomeFollower(m.Term, lead): lead is the sender for a leader's message, none for a vote request.
    adoptTerm: assign({
      term: ({ context, event }) => (event.type === 'HIGHER_TERM' ? event.term : context.term),
      inLease: ({ event }) => event.type === 'HIGHER_TERM' && event.from === 'leader',
    }),
    followLeader: assign({ inLease: true }),
    loseLease: assign({ inLease: false }),
  },
}).createMachine({
  id: 'raftMember',
  initial: 'up',
  context: { term: 0, inLease: false }, // plain data; other starting terms via resolveState
  states: {
    up: {
      initial: 'follower',
      on: {
        HIGHER_TERM: {
          target: '.follower',
          guard: 'stepsDown',
          actions: 'adoptTerm',
          meta: { actor: 'raft', source: `${ETCD} (Step)` },
        } as T,
        CRASH: {
          target: 'crashed',
          meta: { actor: 'fault', source: 'moby/swarmkit:manager/manager.go (Stop)' },
        },
      },
      states: {
        follower: {
          on: {
            TIMEOUT: {
              target: 'candidate',
              actions: 'campaign',
              meta: { actor: 'raft', source: `${ETCD} (tickElection, campaign)` },
            } as T,
            LEADER_MESSAGE: {
              guard: 'sameTerm',
              actions: 'followLeader',
              meta: { actor: 'raft', source: `${ETCD} (stepFollower)` },
            } as T,
            LEASE_EXPIRED: {
              guard: 'inLease',
              actions: 'loseLease',
              meta: { actor: 'raft', source: `${ETCD} (tickElection: electionElapsed ≥ ElectionTick)` },
            } as T,
          },
        },
        candidate: {
          on: {
            // A split vote: the next timeout starts a new election one term later.
            TIMEOUT: {
              target: 'candidate',
              reenter: true,
              actions: 'campaign',
              meta: { actor: 'raft', source: `${ETCD} (tickElection, campaign)` },
            } as T,
            WIN_ELECTION: {
              target: 'leader',
              actions: 'followLeader',
              meta: { actor: 'raft', source: `${ETCD} (stepCandidate: poll, becomeLeader)` },
            } as T,
            LOSE_ELECTION: {
              target: 'follower',
              actions: 'loseLease',
              meta: { actor: 'raft', source: `${ETCD} (stepCandidate: poll, becomeFollower)` },
            } as T,
            LEADER_MESSAGE: {
              target: 'follower',
              guard: 'sameTerm',
              actions: 'followLeader',
              meta: { actor: 'raft', source: `${ETCD} (stepCandidate: MsgApp/MsgHeartbeat)` },
            } as T,
          },
        },
        leader: {
          on: {
            // Steps down at the same term with lead = none.
            CHECK_QUORUM_FAILED: {
              target: 'follower',
              actions: 'loseLease',
              meta: { actor: 'raft', source: `${ETCD} (stepLeader: MsgCheckQuorum)` },
            } as T,
          },
        },
      },
    },
    // Term and vote are persisted (HardState in the WAL): a restart keeps the term.
    crashed: {
      on: {
        RESTART: {
          target: 'up.follower',
          actions: 'loseLease',
          meta: {
            actor: 'fault',
            source: 'moby/swarmkit:manager/state/raft/raft.go (JoinAndStart: restart from WAL)',
          },
        },
      },
    },
  },
});

export function raftGuardLabel(g: GuardRef): string {
  switch (g.type) {
    case 'stepsDown':
      return 'term > current, not a vote request in lease';
    case 'sameTerm':
      return 'term = current';
    case 'inLease':
      return 'in lease';
    default:
      throw new Error(`raft member machine: no label for guard '${g.type}'`);
  }
}

/** The role (atomic state) of a raft-member snapshot value. */
export function raftRoleOf(value: unknown): RaftRole {
  if (typeof value === 'string') return value as RaftRole;
  return (value as { up: RaftRole }).up;
}

/**
 * Every event for a member whose current term is `term`, with the payload variants that matter: a
 * lower, equal and higher term, from a candidate and from a leader.
 */
export function raftEventsAt(term: number): RaftEvent[] {
  const events: RaftEvent[] = [
    { type: 'TIMEOUT' },
    { type: 'WIN_ELECTION' },
    { type: 'LOSE_ELECTION' },
    { type: 'LEASE_EXPIRED' },
    { type: 'CHECK_QUORUM_FAILED' },
    { type: 'CRASH' },
    { type: 'RESTART' },
  ];
  for (const d of [-1, 0, 1, 2]) {
    events.push({ type: 'HIGHER_TERM', term: term + d, from: 'candidate' });
    events.push({ type: 'HIGHER_TERM', term: term + d, from: 'leader' });
    events.push({ type: 'LEADER_MESSAGE', term: term + d });
  }
  return events;
}
