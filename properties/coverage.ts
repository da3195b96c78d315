/**
 * Model coverage (anchors.md §B item 3, quint-co/quint#1758, dubzzz/fast-check#342): how often each
 * action kind and each task transition (from → to, with the actor that made it) fired over the runs.
 * A transition that SwarmKit can make but the suite never exercised is a hole in the suite, so the
 * coverage test fails on it unless it is listed in UNREACHABLE with the reason.
 */
import type { Action, State, Task } from '../model/index.ts';

export function actionKey(a: Action): string {
  return a.actor === 'user' ? `user ${a.command.kind}` : `${a.actor} ${a.kind}`;
}

export class Coverage {
  readonly actions = new Map<string, number>();
  readonly refused = new Map<string, number>();
  readonly transitions = new Map<string, number>();
  runs = 0;

  private bump(m: Map<string, number>, k: string): void {
    m.set(k, (m.get(k) ?? 0) + 1);
  }

  refuse(a: Action): void {
    this.bump(this.refused, actionKey(a));
  }

  observe(prev: State, a: Action, next: State): void {
    this.bump(this.actions, actionKey(a));
    if (prev.tasks === next.tasks) return;
    const before = new Map<string, Task>();
    for (const t of prev.tasks) before.set(t.id, t);
    for (const t of next.tasks) {
      const p = before.get(t.id);
      before.delete(t.id);
      if (p === undefined) {
        this.bump(this.transitions, `${a.actor}: create (new, desired ${t.desired})`);
        continue;
      }
      if (p === t) continue;
      if (p.observed !== t.observed) this.bump(this.transitions, `${a.actor}: ${p.observed} → ${t.observed}`);
      if (p.desired !== t.desired)
        this.bump(this.transitions, `${a.actor}: desired ${p.desired} → ${t.desired}`);
    }
    for (let i = 0; i < before.size; i++) this.bump(this.transitions, `${a.actor}: delete`);
  }

  merge(o: Coverage): void {
    for (const [m, n] of [
      [this.actions, o.actions],
      [this.refused, o.refused],
      [this.transitions, o.transitions],
    ] as const)
      for (const [k, v] of n) m.set(k, (m.get(k) ?? 0) + v);
    this.runs += o.runs;
  }
}

/**
 * What the suite must exercise: every task-machine transition SwarmKit's components make
 * (orchestration.md §1.3, from the code) and every action kind of model/actions.ts.
 */
export const EXPECTED_TRANSITIONS: string[] = [
  'orchestrator: create (new, desired running)',
  'restart: create (new, desired ready)',
  'allocator: new → pending',
  'scheduler: pending → assigned',
  'agent: assigned → accepted',
  'agent: accepted → preparing',
  'agent: preparing → ready',
  'agent: ready → starting',
  'agent: starting → running',
  'agent: running → shutdown',
  'agent: ready → shutdown',
  'agent: assigned → shutdown',
  'fault: running → failed',
  'fault: running → complete',
  'fault: assigned → rejected',
  'orchestrator: running → rejected',
  'dispatcher: running → orphaned',
  'orchestrator: desired running → shutdown',
  'orchestrator: desired running → remove',
  'restart: desired running → shutdown',
  'restart: desired ready → running',
  'reaper: delete',
  'scheduler: pending → shutdown',
  'user: running → orphaned',
  'agent: running → failed',
  'fault: ready → rejected',
  'dispatcher: assigned → orphaned',
  'orchestrator: pending → rejected',
  'orchestrator: delete',
  'user: desired running → remove',
  'updater: create (new, desired ready)',
];

/** Transitions SwarmKit has that this suite does not reach, each with the reason. */
export const UNREACHABLE: Record<string, string> = {
  'user: running → orphaned':
    'docker node rm (orphans the node’s tasks) is not generated: removal needs a demoted, down node',
  'updater: create (new, desired ready)':
    'the rolling updater is not modelled yet (model/orchestrator/replicated.ts)',
};

export const EXPECTED_ACTIONS: string[] = [
  'user swarm.init',
  'user swarm.join',
  'user service.create',
  'user service.scale',
  'user service.update',
  'user service.rm',
  'user node.update',
  'user node.promote',
  'user node.demote',
  'orchestrator reconcile-service',
  'orchestrator reconcile-node',
  'orchestrator shutdown-task',
  'orchestrator enforce',
  'restart restart-task',
  'restart start-task',
  'allocator allocate',
  'scheduler schedule',
  'agent progress',
  'dispatcher register',
  'dispatcher heartbeat-expired',
  'dispatcher orphan',
  'reaper reap',
  'raft elect',
  'fault crash',
  'fault restart',
  'fault partition',
  'fault heal',
  'fault exit',
  'fault reject',
  'clock advance',
];

export interface CoverageReport {
  table: string;
  missing: string[];
}

export function coverageReport(c: Coverage): CoverageReport {
  const L: string[] = [];
  const missing: string[] = [];
  const row = (k: string, n: number, note = '') => `  ${String(n).padStart(8)}  ${k}${note}`;
  L.push(`Model coverage over ${c.runs} runs`);
  L.push('Action kinds (applied):');
  const actions = new Set([...EXPECTED_ACTIONS, ...c.actions.keys()]);
  for (const k of [...actions].sort()) {
    const n = c.actions.get(k) ?? 0;
    if (n === 0 && !(k in UNREACHABLE)) missing.push(k);
    L.push(row(k, n, n === 0 ? '   ← NEVER' : ''));
  }
  L.push('Task transitions (actor: from → to):');
  const trans = new Set([...EXPECTED_TRANSITIONS, ...c.transitions.keys()]);
  for (const k of [...trans].sort()) {
    const n = c.transitions.get(k) ?? 0;
    const why = UNREACHABLE[k];
    if (n === 0 && why === undefined) missing.push(k);
    const note =
      n === 0
        ? why
          ? `   (unreachable here: ${why})`
          : '   ← NEVER'
        : EXPECTED_TRANSITIONS.includes(k)
          ? ''
          : '   (not in the expected list)';
    L.push(row(k, n, note));
  }
  L.push('Refused commands and faults (Swarm said no; part of the traces):');
  for (const [k, n] of [...c.refused].sort()) L.push(row(k, n));
  return { table: L.join('\n'), missing };
}
