/**
 * Time: the clock jumps to the next deadline, so that every timer becomes an ordinary enabled action
 * of its component when due (heartbeat expiry, restart delay, the 1-minute old-task timeout, 24 h
 * orphaning). No wall clock anywhere.
 */
import type { Action, ActionList } from './actions.ts';
import { updaterDeadlines } from './orchestrator/updater.ts';
import { NO_DEADLINE, type State } from './state.ts';
import { mergeState } from './tx.ts';

/**
 * The earliest deadline strictly after now, or -1. Deadlines of leader-only timers count only with a
 * leader; none while a dispatcher timer is overdue (see below).
 */
export function nextDeadline(s: State): number {
  let best = NO_DEADLINE;
  if (s.raft.leader === '') return best;
  const now = s.now;
  const nodes = s.nodes;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    const d = n.status !== 'down' ? n.dispatcher.heartbeatDeadline : n.dispatcher.orphanAt;
    // The dispatcher's timers are urgent: time does not move past a heartbeat deadline or an
    // orphaning that is due, until the node has re-registered (a reachable node does so well within
    // its grace) or been marked DOWN / its tasks orphaned. Otherwise a crashed node could stay READY
    // for a day while the clock runs on (found by the property cut-off-node-loses-heartbeat).
    // moby/swarmkit:manager/dispatcher/dispatcher.go (markNodeNotReady, moveTasksToOrphaned).
    if (d !== NO_DEADLINE && d <= now) return NO_DEADLINE;
    if (d > now && (best === NO_DEADLINE || d < best)) best = d;
  }
  const tasks = s.tasks;
  for (let i = 0; i < tasks.length; i++) {
    const d = tasks[i].delayed;
    if (d === null) continue;
    if (d.startAt > now && (best === NO_DEADLINE || d.startAt < best)) best = d.startAt;
    if (d.oldTaskId !== '' && d.timeoutAt > now && (best === NO_DEADLINE || d.timeoutAt < best))
      best = d.timeoutAt;
  }
  if (s.updaters.length > 0)
    updaterDeadlines(s, (d) => {
      if (d > now && (best === NO_DEADLINE || d < best)) best = d;
    });
  return best;
}

export function clockEnabled(s: State, out: ActionList): void {
  const d = nextDeadline(s);
  if (d !== NO_DEADLINE) out.push({ actor: 'clock', kind: 'advance', to: d });
}

export function clockStep(s: State, a: Action & { actor: 'clock' }): State | string {
  if (!Number.isInteger(a.to) || a.to < s.now) return `the clock cannot go back to ${a.to}`;
  return a.to === s.now ? s : mergeState(s, { now: a.to });
}
