/**
 * Runs a parsed scenario against the model, only through its public API (model/index.ts), and
 * records a transcript: for each line, the outcome and every model action it led to.
 *
 * How a line runs (the README's "Scenarios" section says the same):
 * - A docker command is one user action per object it names. If Swarm refuses it (control API
 *   validation, no leader), the line's outcome is `error` with Swarm's message and the run goes on.
 *   Otherwise the cluster then settles: every component acts until only timers and faults are left,
 *   which is what a docker user sees when the command returns and they look again. No time passes.
 * - A fault (crash, restart, partition, heal, exit, reject) is one fault action, then the cluster
 *   settles the same way.
 * - `wait D` advances the model clock by D, firing every timer that falls due and settling after each.
 * - `settle` keeps firing the next timer until none is left (bounded): "and then, eventually".
 * - A node, service or task the line names that does not exist when it runs is an input error
 *   (file:line:col, exit 2): the scenario itself is wrong, not the swarm.
 */
import { InputError } from '../cli/errors.ts';
import {
  type Action,
  enabled,
  findService,
  findTask,
  nodeName,
  resolveRef,
  type SettleResult,
  type State,
  serviceName,
  settle,
  step,
  unresolved,
  wait,
} from '../model/index.ts';
import type { UserCommand } from '../model/spec.ts';
import { diffStates } from './narrate.ts';
import { printable } from './parse.ts';
import type { Ref, Step } from './steps.ts';
import { nodeLs, serviceLs, servicePs } from './tables.ts';

/** What one model action changed, with its actor. */
export interface Event {
  actor: string;
  changes: string[];
}

export interface StepRecord {
  line: number;
  /** The line as written. */
  command: string;
  /** Model time when the line started (ms). */
  at: number;
  outcome: 'ok' | 'error';
  /** Swarm's refusal (outcome error), or a note from the model; '' otherwise. */
  message: string;
  events: Event[];
  /** Tables the line asked for (`docker node ls`, `docker service ps`). */
  tables: string[][];
}

export interface RunResult {
  state: State;
  records: StepRecord[];
}

/** How many timers `settle` fires before it gives up and says so. */
export const SETTLE_TIMER_BOUND = 1000;

export function runSteps(steps: Step[], file: string, initial: State): RunResult {
  let s = initial;
  const records: StepRecord[] = [];
  for (const st of steps) {
    const rec: StepRecord = {
      line: st.line,
      command: st.text,
      at: s.now,
      outcome: 'ok',
      message: '',
      events: [],
      tables: [],
    };
    records.push(rec);
    const fail = (msg: string) => {
      if (rec.outcome === 'ok') {
        rec.outcome = 'error';
        rec.message = msg;
      } else rec.message += `; ${msg}`;
      rec.events.push({ actor: 'error', changes: [msg] });
    };
    const record = (actor: string, before: State, after: State) => {
      const changes = diffStates(before, after);
      if (changes.length) rec.events.push({ actor, changes });
    };
    const absorb = (r: SettleResult) => {
      let prev = s;
      for (const x of r.steps) {
        record(x.action.actor, prev, x.state);
        prev = x.state;
      }
      s = r.state;
      if (r.hitBound) fail('the model did not settle within its step bound (a livelock in the model?)');
    };
    const apply = (a: Action): boolean => {
      const r = step(s, a);
      if (!r.ok) {
        fail(r.error);
        return false;
      }
      record(a.actor, s, r.state);
      s = r.state;
      // A note is what the docker CLI would print ("Swarm initialized: …").
      if (r.note) rec.events.push({ actor: a.actor === 'user' ? 'docker' : a.actor, changes: [r.note] });
      absorb(settle(s));
      return true;
    };
    /** `docker`: a name fitting several objects is left to the command, which refuses it in its own words. */
    const resolve = (r: Ref, docker = false): string => {
      // Nodes and services as the daemon resolves them (model/lookup.ts): id, exact name, id prefix.
      const found =
        r.kind === 'node'
          ? resolveRef(s.nodes, r.name, nodeName)
          : r.kind === 'service'
            ? resolveRef(s.services, r.name, serviceName)
            : (findTask(s, r.name) ?? 0);
      if (typeof found === 'number' && !(docker && found > 1))
        throw new InputError(
          file,
          st.line,
          r.col,
          printable(found === 0 ? `no such ${r.kind}: ${r.name}` : unresolved(r.kind, r.name, found)),
        );
      return typeof found === 'number' ? r.name : found.id;
    };

    switch (st.kind) {
      case 'docker': {
        // Before `docker swarm init` every command is Swarm's to refuse ("not a swarm manager").
        if (s.initialized) for (const r of st.refs) resolve(r, true);
        for (const c of st.commands) {
          if (apply({ actor: 'user', kind: 'command', command: c })) rec.tables.push(...tablesFor(s, c));
        }
        break;
      }
      case 'crash':
      case 'restart':
        apply({ actor: 'fault', kind: st.kind, node: resolve(st.node) });
        break;
      case 'partition':
        apply({ actor: 'fault', kind: 'partition', groups: st.groups.map((g) => g.map((r) => resolve(r))) });
        break;
      case 'heal':
        apply({ actor: 'fault', kind: 'heal' });
        break;
      case 'exit':
        apply({ actor: 'fault', kind: 'exit', task: resolve(st.task), code: st.code });
        break;
      case 'reject':
        apply({ actor: 'fault', kind: 'reject', task: resolve(st.task) });
        break;
      case 'wait':
        absorb(wait(s, st.ms));
        break;
      case 'settle': {
        absorb(settle(s));
        let fired = 0;
        for (;;) {
          const tick = enabled(s).find((a) => a.actor === 'clock');
          if (!tick) break;
          if (++fired > SETTLE_TIMER_BOUND) {
            fail(`settle gave up after ${SETTLE_TIMER_BOUND} timers`);
            break;
          }
          if (!apply(tick)) break;
        }
        break;
      }
    }
  }
  return { state: s, records };
}

function tablesFor(s: State, c: UserCommand): string[][] {
  if (c.kind === 'node.ls') return [nodeLs(s)];
  if (c.kind === 'service.ls') return [serviceLs(s)];
  if (c.kind === 'service.ps') {
    const svc = findService(s, c.service);
    return svc ? [servicePs(s, svc)] : [];
  }
  return [];
}
