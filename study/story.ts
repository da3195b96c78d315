/**
 * A story: a scenario in docker CLI syntax run through the scenario runner, keeping the state after
 * every line (the cards' sequence diagram needs to know which node each task was on, and checks read
 * the state at a chosen line). Runs only through scenario/ and model/index.ts, like `swarm-model run`.
 *
 * A line the docker CLI itself would refuse (`--replicas` with `--mode global`) is an input error in
 * the scenario language (exit 2); a story keeps that error as its outcome instead of throwing, since
 * "docker refuses this" is exactly what some claims are about.
 */
import { InputError } from '../cli/errors.ts';
import { emptyState, findNode, findService, type State, type Task } from '../model/index.ts';
import { parseScenario } from '../scenario/index.ts';
import { runSteps, type StepRecord } from '../scenario/run.ts';

export interface Story {
  /** The scenario text (docker commands, faults, `wait`). */
  text: string;
  records: StepRecord[];
  /** `states[i]` is the cluster after `records[i]`. */
  states: State[];
  final: State;
  /** Set when a line is one the docker CLI (or the scenario language) refuses outright. */
  inputError: string | null;
}

/** Runs a scenario line by line (same result as one `runSteps` call, which loops the same way). */
export function tell(text: string, file = 'story.swarm'): Story {
  let steps: ReturnType<typeof parseScenario>;
  try {
    steps = parseScenario(text, file);
  } catch (e) {
    if (e instanceof InputError) return emptyStory(text, e.message);
    throw e;
  }
  const records: StepRecord[] = [];
  const states: State[] = [];
  let s = emptyState();
  for (const st of steps) {
    try {
      const r = runSteps([st], file, s);
      records.push(...r.records);
      states.push(r.state);
      s = r.state;
    } catch (e) {
      if (e instanceof InputError) return { text, records, states, final: s, inputError: e.message };
      throw e;
    }
  }
  return { text, records, states, final: s, inputError: null };
}

function emptyStory(text: string, err: string): Story {
  return { text, records: [], states: [], final: emptyState(), inputError: err };
}

/** Continues a story with more lines (drills: one setup, several probes). */
export function continueStory(base: Story, more: string, file = 'probe.swarm'): Story {
  const offset = base.text.split('\n').length;
  // Line numbers continue after the base text, so records stay distinguishable.
  const padded = `${'\n'.repeat(offset)}${more}`;
  const steps = parseScenario(padded, file);
  let s = base.final;
  const records = [...base.records];
  const states = [...base.states];
  for (const st of steps) {
    const r = runSteps([st], file, s);
    records.push(...r.records);
    states.push(r.state);
    s = r.state;
  }
  return { text: `${base.text}\n${more}`, records, states, final: s, inputError: base.inputError };
}

// ---- reading a story ---------------------------------------------------------------------------

/** The last record whose command starts with `prefix` (commands as written, trimmed). */
export function lineOf(story: Story, prefix: string): { record: StepRecord; state: State } {
  for (let i = story.records.length - 1; i >= 0; i--)
    if (story.records[i].command.startsWith(prefix))
      return { record: story.records[i], state: story.states[i] };
  throw new Error(`story has no line starting with '${prefix}'`);
}

export const hostOf = (s: State, id: string): string => s.nodes.find((n) => n.id === id)?.hostname ?? id;

/** Every task of a service, in creation order. */
export function tasksOf(s: State, service: string): Task[] {
  const svc = findService(s, service);
  if (!svc) return [];
  return s.tasks.filter((t) => t.serviceId === svc.id).sort((a, b) => a.seq - b.seq);
}

export const isRunning = (t: Task): boolean => t.observed === 'running';

/** Tasks of the service running on a node (by hostname). */
export function runningOn(s: State, service: string, host: string): Task[] {
  const n = findNode(s, host);
  return n ? tasksOf(s, service).filter((t) => t.nodeId === n.id && isRunning(t)) : [];
}

export function runningCount(s: State, service: string): number {
  return tasksOf(s, service).filter(isRunning).length;
}

/** `web.2 (t7, running on worker-1)` — how a check's explanation names a task. */
export function taskText(s: State, t: Task): string {
  const svc = s.services.find((x) => x.id === t.serviceId);
  const name = t.slot === 0 ? `${svc?.spec.name}.${hostOf(s, t.nodeId)}` : `${svc?.spec.name}.${t.slot}`;
  const where = t.nodeId ? ` on ${hostOf(s, t.nodeId)}` : ', on no node';
  return `${name} (${t.id}, ${t.observed}${where})`;
}

/** Per node: how many running tasks of the service it holds, e.g. `manager-1: 1, worker-1: 2`. */
export function spreadText(s: State, service: string): string {
  return s.nodes.map((n) => `${n.hostname}: ${runningOn(s, service, n.hostname).length}`).join(', ');
}

/**
 * A task's observed states in order, read from the narration (which records every action, not only
 * the state at the end of each line): `['new', 'pending', 'assigned', …]`.
 */
export function pathOf(story: Story, taskId: string): string[] {
  const path: string[] = [];
  const created = new RegExp(`\\(${taskId}\\) created: (\\w+)`);
  const moved = new RegExp(`\\(${taskId}\\) (\\w+) → (\\w+)`);
  for (const r of story.records)
    for (const e of r.events)
      for (const c of e.changes) {
        const m = created.exec(c);
        if (m) path.push(m[1]);
        const t = moved.exec(c);
        if (t) {
          if (path.length === 0) path.push(t[1]);
          path.push(t[2]);
        }
      }
  return path;
}

/** The actor (SwarmKit component) whose action created the task, from the narration. */
export function creatorOf(story: Story, taskId: string): string | null {
  const created = new RegExp(`\\(${taskId}\\) created:`);
  for (const r of story.records)
    for (const e of r.events) if (e.changes.some((c) => created.test(c))) return e.actor;
  return null;
}

/** Every task id that ever existed in the story (the reaper may have deleted some by the end). */
export function everyTask(story: Story): Map<string, Task> {
  const m = new Map<string, Task>();
  for (const s of story.states) for (const t of s.tasks) m.set(t.id, t);
  return m;
}
