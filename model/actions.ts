/**
 * Every step of the cluster is one Action, and every Action names the SwarmKit component that takes
 * it (its actor). This is what makes TransitionsOK checkable (model/invariants.ts) and traces readable.
 *
 * Component actions are coarse where SwarmKit's component does one store transaction (a scheduler
 * pass, a reconcile of one service, one Restart call) and fine where the order between components is
 * arbitrary in real life (which task an agent advances first, which timer fires first).
 */
import type { UserCommand } from './spec.ts';
import type { Task } from './state.ts';
import type { ObservedState } from './taskState.ts';

export type Actor =
  | 'user'
  | 'orchestrator'
  | 'restart'
  | 'updater'
  | 'allocator'
  | 'scheduler'
  | 'agent'
  | 'dispatcher'
  | 'reaper'
  | 'raft'
  | 'fault'
  | 'clock';

export type Action =
  // A docker command (model/controlapi/).
  | { actor: 'user'; kind: 'command'; command: UserCommand }
  // Replicated or global orchestrator reconciles one service (model/orchestrator/replicated.ts, global.ts).
  | { actor: 'orchestrator'; kind: 'reconcile-service'; service: string }
  // Global orchestrator reacts to a node change (global.go (reconcileOneNode)).
  | { actor: 'orchestrator'; kind: 'reconcile-node'; node: string }
  // Global orchestrator shuts down a failed task on a paused/non-matching node, no restart (global.go (handleTaskChange)).
  | { actor: 'orchestrator'; kind: 'shutdown-task'; task: string }
  // Constraint enforcer evicts non-compliant tasks from one node (model/orchestrator/constraintEnforcer.ts).
  | { actor: 'orchestrator'; kind: 'enforce'; node: string }
  // Restart supervisor: Restart(task) (old task desired SHUTDOWN, maybe a replacement) (model/orchestrator/restart.ts).
  | { actor: 'restart'; kind: 'restart-task'; task: string }
  // Restart supervisor: StartNow after the delay (replacement desired READY → RUNNING).
  | { actor: 'restart'; kind: 'start-task'; task: string }
  // Rolling updater (model/orchestrator/updater.ts): one action per point where SwarmKit's updater goroutines wake up.
  | { actor: 'updater'; kind: 'update-start'; service: string }
  | { actor: 'updater'; kind: 'update-slot'; service: string; worker: number }
  | { actor: 'updater'; kind: 'update-slot-done'; service: string; worker: number }
  | { actor: 'updater'; kind: 'update-failure'; service: string; task: string }
  | { actor: 'updater'; kind: 'update-monitor'; service: string }
  | { actor: 'updater'; kind: 'update-complete'; service: string }
  // Allocator: every NEW task → PENDING, in one batch as the allocator handles a commit (model/allocator.ts).
  | { actor: 'allocator'; kind: 'allocate' }
  // One scheduler pass over every pending task (model/scheduler/scheduler.ts).
  | { actor: 'scheduler'; kind: 'schedule' }
  // An agent moves one of its tasks one step, per the gating rules of controller.go (Do) (model/agent.ts).
  | { actor: 'agent'; kind: 'progress'; task: string; to: ObservedState }
  // Dispatcher: a node's agent opens a session (→ READY).
  | { actor: 'dispatcher'; kind: 'register'; node: string }
  // Dispatcher: a node missed its heartbeat deadline (→ DOWN).
  | { actor: 'dispatcher'; kind: 'heartbeat-expired'; node: string }
  // Dispatcher: a node has been DOWN for 24 h (its tasks → ORPHANED).
  | { actor: 'dispatcher'; kind: 'orphan'; node: string }
  // Task reaper pass (model/taskReaper.ts).
  | { actor: 'reaper'; kind: 'reap' }
  // The control-plane gate recognises a new leader (model/controlplane.ts).
  | { actor: 'raft'; kind: 'elect'; node: string }
  // A manager node (promoted, or back after --force-new-cluster) joins the Raft group (model/controlplane.ts).
  | { actor: 'raft'; kind: 'join'; node: string }
  // Faults: the environment.
  | { actor: 'fault'; kind: 'crash'; node: string }
  | { actor: 'fault'; kind: 'restart'; node: string }
  /** groups: node ids per group; nodes not listed join group 0 with the first group. */
  | { actor: 'fault'; kind: 'partition'; groups: string[][] }
  | { actor: 'fault'; kind: 'heal' }
  | { actor: 'fault'; kind: 'exit'; task: string; code: number }
  | { actor: 'fault'; kind: 'reject'; task: string }
  // Clock: advance to `to` (the next deadline).
  | { actor: 'clock'; kind: 'advance'; to: number };

export type StepResult =
  | { ok: true; state: import('./state.ts').State; note?: string }
  | { ok: false; error: string };

/**
 * The list `enabled` builds, one step after another. Emptied by resetting a count: clearing a real
 * array (`length = 0`) gives its storage back, and each of the next step's pushes then regrows it;
 * that was about a twentieth of a random run's time (bench/model.ts). Slots at and past `length`
 * hold earlier steps' actions and are never read.
 */
export class ActionList {
  readonly items: Action[] = [];
  length = 0;
  push(a: Action): void {
    this.items[this.length++] = a;
  }
  clear(): void {
    this.length = 0;
  }
  toArray(): Action[] {
    return this.items.slice(0, this.length);
  }
}

/**
 * The actions of one (actor, kind), interned by target id: `enabled` lists the same immutable action
 * values step after step, and allocating them anew each time was a good part of the model's garbage.
 * An action is fully determined by its id here, so sharing it is invisible.
 */
export class Interned {
  private readonly byId = new Map<string, Action>();
  constructor(private readonly make: (id: string) => Action) {}
  of(id: string): Action {
    let a = this.byId.get(id);
    if (a === undefined) {
      a = this.make(id);
      // Ids are never reused within a run; bound what very long sessions keep.
      if (this.byId.size > 100_000) this.byId.clear();
      this.byId.set(id, a);
    }
    return a;
  }
}

/**
 * The actions a part of `enabled` listed last time, keyed by the identities of the immutable inputs
 * it reads (a pure function of them): when a step left those inputs alone, the list is replayed
 * instead of recomputed. The caller names every input it reads in the key.
 */
export class LastActions<A extends object, B extends object> {
  private a: A | null = null;
  private b: B | null = null;
  // Counted like ActionList, so that remembering does not give the storage back each time.
  private readonly actions: Action[] = [];
  private n = 0;

  /** Push the actions remembered for (a, b) onto `out`; false if (a, b) is not the remembered key. */
  replay(a: A, b: B, out: ActionList): boolean {
    if (a !== this.a || b !== this.b) return false;
    for (let i = 0; i < this.n; i++) out.push(this.actions[i]);
    return true;
  }

  /** Remember `out[from..]` as the actions for (a, b). */
  remember(a: A, b: B, out: ActionList, from: number): void {
    this.a = a;
    this.b = b;
    this.n = 0;
    for (let i = from; i < out.length; i++) this.actions[this.n++] = out.items[i];
  }
}

/**
 * Per-task results of a pure function of (task, key), remembered by position in the task list: a
 * step replaces a few task objects in place or appends some, so most positions of the next list hold
 * the very same objects. `at(j, t)` is the result remembered for position j if it held `t` last pass
 * under the same key (by identity), else undefined. One pass: `begin`, then `at`/`put` in increasing
 * j, then `end`.
 */
export class ByTaskPosition<K extends object, R> {
  private tasks: readonly Task[] = [];
  private key: K | null = null;
  private readonly results: R[] = [];

  begin(key: K): void {
    if (key !== this.key) this.tasks = [];
    this.key = key;
  }
  at(j: number, t: Task): R | undefined {
    return j < this.tasks.length && this.tasks[j] === t ? this.results[j] : undefined;
  }
  /** Record the result for position j (read before written: later positions are untouched). */
  put(j: number, r: R): void {
    this.results[j] = r;
  }
  end(tasks: readonly Task[]): void {
    this.tasks = tasks;
    if (this.results.length > tasks.length) this.results.length = tasks.length;
  }
}
