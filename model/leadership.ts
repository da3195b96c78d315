import type { State } from './state.ts';

export function becomeLeader(s: State, id: string): State {
  return { ...s, raft: { ...s.raft, leader: id, term: s.raft.term + 1 } };
}
