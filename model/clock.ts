/**
 * Time: the clock jumps to the next deadline, so that every timer becomes an ordinary enabled action
 * of its component when due (heartbeat expiry, restart delay, the 1-minute old-task timeout, 24 h
 * orphaning). No wall clock anywhere.
 */
import type { Action } from './actions.ts';
import { updaterDeadlines } from './orchestrator/updater.ts';
import { NO_DEADLINE, type State } from './state.ts';

/** The earliest deadline strictly after now, or -1. Deadlines of leader-only timers count only with a leader. */
export function nextDeadline(s: State): number {
  let best = NO_DEADLINE;
  const consider = (d: number) => {
    if (d > s.now && (best === NO_DEADLINE || d < best)) best = d;
  };
  if (s.raft.leader === '') return best;
  for (const n of s.nodes) {
    if (n.status !== 'down') consider(n.dispatcher.heartbeatDeadline);
    else consider(n.dispatcher.orphanAt);
  }
  for (const t of s.tasks) {
    const d = t.delayed;
    if (d === null) continue;
    consider(d.startAt);
    if (d.oldTaskId !== '') consider(d.timeoutAt);
  }
  updaterDeadlines(s, consider);
  return best;
}

export function clockEnabled(s: State, out: Action[]): void {
  const d = nextDeadline(s);
  if (d !== NO_DEADLINE) out.push({ actor: 'clock', kind: 'advance', to: d });
}

export function clockStep(s: State, a: Action & { actor: 'clock' }): State | string {
  if (!Number.isInteger(a.to) || a.to < s.now) return `the clock cannot go back to ${a.to}`;
  return a.to === s.now ? s : { ...s, now: a.to };
}
