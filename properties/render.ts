/**
 * Counterexamples a person reads at once (anchors.md §B: diff-only traces, replay): the property and
 * its offending values, the shrunk run as numbered steps (actor, docker-like action, only the fields
 * that changed), the seed/path and the commands that replay it. Also the `.swarm` scenario form.
 */
import { type Action, describeAction, type State, type Task } from '../model/index.ts';
import type { UserCommand } from '../model/spec.ts';
import type { Plan } from './arbitraries.ts';
import { nodeById } from './oracle.ts';
import type { RunResult, TraceStep } from './run.ts';

const hostOf = (s: State, id: string): string => (id === '' ? '-' : (nodeById(s, id)?.hostname ?? id));

export function taskName(s: State, t: Task): string {
  const svc = s.services.find((x) => x.id === t.serviceId);
  const name = svc ? svc.spec.name : t.serviceId;
  return t.slot !== 0 ? `${name}.${t.slot}` : `${name}.${hostOf(s, t.nodeId)}`;
}

/** describeAction with ids replaced by the names docker shows (web.2 (t7), worker-1, web). */
export function describe(a: Action, before: State, after: State): string {
  if (a.actor === 'user') return `user: ${describeCommandLine(a.command)}`;
  return describeAction(a).replace(/\b([nst])(\d+)\b/g, (m, k: string) => {
    for (const s of [before, after]) {
      if (k === 'n') {
        const n = nodeById(s, m);
        if (n) return n.hostname;
      } else if (k === 's') {
        const v = s.services.find((x) => x.id === m);
        if (v) return v.spec.name;
      } else {
        const t = s.tasks.find((x) => x.id === m);
        if (t) return `${taskName(s, t)} (${m})`;
      }
    }
    return m;
  });
}

const show = (v: unknown): string => (typeof v === 'string' ? (v === '' ? "''" : v) : JSON.stringify(v));

/** Only what changed between two states, one line per entity, in docker's vocabulary. */
export function diffStates(a: State, b: State): string[] {
  const out: string[] = [];
  if (a.raft.leader !== b.raft.leader)
    out.push(
      `leader: ${a.raft.leader === '' ? '(none)' : hostOf(a, a.raft.leader)} → ${b.raft.leader === '' ? '(none)' : hostOf(b, b.raft.leader)}`,
    );
  if (a.raft.voters.join() !== b.raft.voters.join())
    out.push(
      `managers (raft voters): ${a.raft.voters.map((x) => hostOf(b, x)).join(' ')} → ${b.raft.voters.map((x) => hostOf(b, x)).join(' ')}`,
    );
  if (a.now !== b.now) out.push(`clock: ${a.now / 1000}s → ${b.now / 1000}s`);
  if (a.nodes !== b.nodes) {
    const old = new Map(a.nodes.map((n) => [n.id, n]));
    for (const n of b.nodes) {
      const o = old.get(n.id);
      old.delete(n.id);
      if (!o) {
        out.push(
          `+ node ${n.hostname} (${n.role}, ${n.availability}, ${n.status}${Object.keys(n.labels).length ? `, labels ${show(n.labels)}` : ''})`,
        );
        continue;
      }
      if (o === n) continue;
      const ch: string[] = [];
      for (const k of ['role', 'availability', 'status', 'up', 'group', 'left', 'labels'] as const)
        if (show(o[k]) !== show(n[k]))
          ch.push(`${k === 'up' ? 'machine up' : k} ${show(o[k])} → ${show(n[k])}`);
      if (ch.length) out.push(`node ${n.hostname}: ${ch.join(', ')}`);
    }
    for (const o of old.values()) out.push(`- node ${o.hostname} removed`);
  }
  if (a.services !== b.services) {
    const old = new Map(a.services.map((x) => [x.id, x]));
    for (const v of b.services) {
      const o = old.get(v.id);
      old.delete(v.id);
      if (!o) {
        out.push(
          `+ service ${v.spec.name} (${v.spec.mode}${v.spec.mode === 'replicated' ? ` ${v.spec.replicas}` : ''})`,
        );
        continue;
      }
      if (o === v) continue;
      const ch: string[] = [];
      if (o.spec.replicas !== v.spec.replicas) ch.push(`replicas ${o.spec.replicas} → ${v.spec.replicas}`);
      if (show(o.spec.task) !== show(v.spec.task)) {
        for (const k of Object.keys(v.spec.task) as (keyof typeof v.spec.task)[])
          if (show(o.spec.task[k]) !== show(v.spec.task[k]))
            ch.push(`${k} ${show(o.spec.task[k])} → ${show(v.spec.task[k])}`);
      }
      if (show(o.updateStatus) !== show(v.updateStatus))
        ch.push(`update ${o.updateStatus?.state ?? '-'} → ${v.updateStatus?.state ?? '-'}`);
      if (ch.length) out.push(`service ${v.spec.name}: ${ch.join(', ')}`);
    }
    for (const o of old.values()) out.push(`- service ${o.spec.name} removed`);
  }
  if (a.tasks !== b.tasks) {
    const old = new Map(a.tasks.map((t) => [t.id, t]));
    for (const t of b.tasks) {
      const o = old.get(t.id);
      old.delete(t.id);
      if (!o) {
        out.push(
          `+ task ${taskName(b, t)} (${t.id}): ${t.observed}, desired ${t.desired}, node ${hostOf(b, t.nodeId)}`,
        );
        continue;
      }
      if (o === t) continue;
      const ch: string[] = [];
      if (o.observed !== t.observed) ch.push(`${o.observed} → ${t.observed}`);
      if (o.desired !== t.desired) ch.push(`desired ${o.desired} → ${t.desired}`);
      if (o.nodeId !== t.nodeId) ch.push(`node ${hostOf(a, o.nodeId)} → ${hostOf(b, t.nodeId)}`);
      if (o.err !== t.err && t.err !== '') ch.push(`err "${t.err}"`);
      if (o.exitCode !== t.exitCode) ch.push(`exit code ${t.exitCode}`);
      if (show(o.delayed) !== show(t.delayed))
        ch.push(t.delayed ? `start delayed until ${t.delayed.startAt / 1000}s` : 'delay cleared');
      if (ch.length) out.push(`task ${taskName(b, t)} (${t.id}): ${ch.join(', ')}`);
    }
    for (const o of old.values()) out.push(`- task ${taskName(a, o)} (${o.id}) deleted`);
  }
  return out;
}

/** `docker service ps`-like table of the current tasks (history omitted). */
export function taskTable(s: State): string[] {
  const rows = s.tasks.map(
    (t) =>
      `${`${taskName(s, t)} (${t.id})`.padEnd(22)} ${hostOf(s, t.nodeId).padEnd(11)} ${t.observed.padEnd(9)} desired ${t.desired}`,
  );
  return rows.length ? rows : ['(no tasks)'];
}

export function clusterSummary(s: State): string[] {
  return s.nodes.map((n) => {
    const labels = Object.entries(n.labels).map(([k, v]) => `${k}=${v}`);
    const lead = s.raft.leader === n.id ? ' leader' : '';
    return `${n.hostname.padEnd(10)} ${n.role}${lead} ${n.availability}/${n.status}${n.up ? '' : ' (crashed)'} ${n.nanoCpus / 1e9} CPU ${n.memoryBytes / 2 ** 30} GiB${labels.length ? ` ${labels.join(',')}` : ''}`;
  });
}

export function serviceLine(s: State, id: string): string {
  const v = s.services.find((x) => x.id === id);
  if (!v) return id;
  return describeCommandLine({ kind: 'service.create', spec: v.spec });
}

/** A numbered item of the rendered trace: one step, or one collapsed fair-scheduling burst. */
interface Item {
  from: number;
  to: number;
}

function items(steps: TraceStep[], start: number, end: number): Item[] {
  const out: Item[] = [];
  let i = start;
  while (i < end) {
    const s = steps[i];
    let j = i + 1;
    if (s.settle)
      while (j < end && steps[j].settle && steps[j].event === s.event && steps[j].phase === s.phase) j++;
    out.push({ from: i, to: j });
    i = j;
  }
  return out;
}

export interface Failure {
  property: string;
  message: string;
  kind: 'safety' | 'liveness';
}

export interface RenderInput {
  failure: Failure;
  plan: Plan;
  run: RunResult;
  seed?: number;
  path?: string;
  numShrinks?: number;
  /** The command lines that replay it. */
  replay: string[];
  saved?: string[];
  plant?: string;
}

export function renderCounterexample(r: RenderInput): string {
  const { run } = r;
  const st = (i: number): State => (i < 0 ? run.initial : run.states[i]);
  const L: string[] = [];
  L.push(`✗ Property '${r.failure.property}' failed${r.plant ? ` (planted bug: ${r.plant})` : ''}`);
  L.push(`  ${r.failure.message}`);
  const setup = run.setupEnd;
  L.push('');
  L.push(
    `Cluster and services after setup (${setup} steps collapsed: swarm init, joins, service creates, settle):`,
  );
  const afterSetup = st(setup - 1);
  for (const l of clusterSummary(afterSetup)) L.push(`  ${l}`);
  for (const v of afterSetup.services)
    L.push(`  ${describeCommandLine({ kind: 'service.create', spec: v.spec })}`);
  for (const l of taskTable(afterSetup)) L.push(`    ${l}`);
  L.push('');
  const last = run.violation ? run.violation.step + 1 : run.steps.length;
  const its = items(run.steps, setup, last);
  L.push(`Trace (${its.length} steps after setup; only changed fields shown):`);
  let n = 0;
  for (const it of its) {
    n++;
    const first = run.steps[it.from];
    const before = st(it.from - 1);
    const after = st(it.to - 1);
    const phase = first.phase === 'prefix' ? '' : ` [${first.phase}]`;
    if (it.to - it.from === 1) {
      const desc = describe(first.action, before, after);
      L.push(`${String(n).padStart(3)}. ${desc}${phase}${first.ok ? '' : `  → refused: ${first.error}`}`);
    } else {
      const count = new Map<string, number>();
      for (let i = it.from; i < it.to; i++) {
        const a = run.steps[i].action;
        count.set(a.actor, (count.get(a.actor) ?? 0) + 1);
      }
      const who = [...count].map(([k, v]) => `${k} ×${v}`).join(', ');
      L.push(
        `${String(n).padStart(3)}. settle: components run fairly, ${it.to - it.from} steps (${who})${phase}`,
      );
      // The burst's last step is named when the violation happened inside it.
      if (run.violation && it.to - 1 === run.violation.step)
        L.push(`       last: ${describe(run.steps[it.to - 1].action, st(it.to - 2), after)}`);
    }
    for (const d of diffStates(before, after)) L.push(`       ${d}`);
  }
  L.push('');
  if (r.failure.kind === 'liveness') {
    L.push('Final state (tasks):');
    for (const l of taskTable(run.final)) L.push(`    ${l}`);
    L.push('');
  }
  const meta: string[] = [];
  if (r.seed !== undefined) meta.push(`seed ${r.seed}`);
  if (r.path !== undefined) meta.push(`path "${r.path}"`);
  if (r.numShrinks !== undefined) meta.push(`shrunk ${r.numShrinks} times`);
  if (meta.length) L.push(meta.join(', '));
  L.push('Replay:');
  for (const c of r.replay) L.push(`  ${c}`);
  if (r.saved?.length) L.push(`Saved: ${r.saved.join(', ')}`);
  return L.join('\n');
}

// ---------------------------------------------------------------- .swarm scenario

const dur = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);
const cpus = (n: number): string => String(n / 1e9);
const bytes = (n: number): string =>
  n % 2 ** 30 === 0 ? `${n / 2 ** 30}g` : n % 2 ** 20 === 0 ? `${n / 2 ** 20}m` : String(n);

/** A user command as a docker line in the scenario language (scenario/parse.ts). */
export function describeCommandLine(c: UserCommand): string {
  switch (c.kind) {
    case 'swarm.init':
    case 'swarm.join': {
      const n = c.node;
      const parts = [
        c.kind === 'swarm.init' ? 'docker swarm init' : 'docker swarm join',
        `--hostname ${n.hostname}`,
      ];
      if (c.kind === 'swarm.join') parts.push(`--token ${n.role}`);
      if (n.availability !== 'active') parts.push(`--availability ${n.availability}`);
      for (const [k, v] of Object.entries(n.labels)) parts.push(`--label ${k}=${v}`);
      parts.push(`--cpus ${cpus(n.nanoCpus)}`, `--memory ${bytes(n.memoryBytes)}`);
      return parts.join(' ');
    }
    case 'service.create': {
      const s = c.spec;
      const p = ['docker service create', `--name ${s.name}`];
      if (s.mode === 'global') p.push('--mode global');
      else p.push(`--replicas ${s.replicas ?? 1}`);
      for (const x of s.task.placement.constraints) p.push(`--constraint ${x}`);
      for (const x of s.task.placement.preferences) p.push(`--placement-pref ${x}`);
      if (s.task.placement.maxReplicas > 0) p.push(`--replicas-max-per-node ${s.task.placement.maxReplicas}`);
      if (s.task.reservations.nanoCpus > 0) p.push(`--reserve-cpu ${cpus(s.task.reservations.nanoCpus)}`);
      if (s.task.reservations.memoryBytes > 0)
        p.push(`--reserve-memory ${bytes(s.task.reservations.memoryBytes)}`);
      const r = s.task.restart;
      if (r.condition !== 'any') p.push(`--restart-condition ${r.condition}`);
      if (r.delayMs !== 5000) p.push(`--restart-delay ${dur(r.delayMs)}`);
      if (r.maxAttempts !== 0) p.push(`--restart-max-attempts ${r.maxAttempts}`);
      if (r.windowMs !== 0) p.push(`--restart-window ${dur(r.windowMs)}`);
      // published omitted = let Swarm pick one (docker/cli:opts/swarmopts/port.go).
      for (const port of s.endpoint.ports)
        p.push(
          `--publish ${port.publishedPort === 0 ? '' : `published=${port.publishedPort},`}target=${port.targetPort},protocol=${port.protocol},mode=${port.mode}`,
        );
      p.push(s.task.image);
      return p.join(' ');
    }
    case 'service.update': {
      const u = c.update;
      const p = ['docker service update'];
      if (u.image !== undefined) p.push(`--image ${u.image}`);
      if (u.force) p.push('--force');
      for (const x of u.constraintAdd ?? []) p.push(`--constraint-add ${x}`);
      for (const x of u.constraintRm ?? []) p.push(`--constraint-rm ${x}`);
      if (u.rollbackRequest) p.push('--rollback');
      p.push(c.service);
      return p.join(' ');
    }
    case 'node.update': {
      const p = ['docker node update'];
      if (c.availability) p.push(`--availability ${c.availability}`);
      for (const [k, v] of Object.entries(c.labelAdd ?? {})) p.push(`--label-add ${k}=${v}`);
      for (const k of c.labelRm ?? []) p.push(`--label-rm ${k}`);
      p.push(c.node);
      return p.join(' ');
    }
    case 'node.promote':
      return `docker node promote ${c.node}`;
    case 'node.demote':
      return `docker node demote ${c.node}`;
    case 'service.scale':
      return `docker service scale ${c.scales.map((x) => `${x.service}=${x.replicas}`).join(' ')}`;
    case 'service.rollback':
      return `docker service rollback ${c.service}`;
    case 'service.rm':
      return `docker service rm ${c.service}`;
    default:
      return `# (not expressible here) ${c.kind}`;
  }
}

/**
 * The run as a `.swarm` scenario. Docker commands and faults carry over exactly; the scenario
 * language has no verb for "this one component step", so each run of component steps becomes a
 * comment listing them followed by `settle`-free continuation — the scenario runner settles after
 * every line anyway. The scenario therefore shows the story; the JSON trace replays it exactly.
 */
export function toScenario(run: RunResult, header: string[]): string {
  const L: string[] = header.map((h) => `# ${h}`);
  const st = (i: number): State => (i < 0 ? run.initial : run.states[i]);
  let pendingComponents: string[] = [];
  const flush = () => {
    if (pendingComponents.length === 0) return;
    const shown = pendingComponents.slice(0, 6);
    L.push(
      `# components: ${shown.join('; ')}${pendingComponents.length > 6 ? `; … (${pendingComponents.length} steps)` : ''}`,
    );
    pendingComponents = [];
  };
  const last = run.violation ? run.violation.step + 1 : run.steps.length;
  for (let i = 0; i < last; i++) {
    const s = run.steps[i];
    const a = s.action;
    const before = st(i - 1);
    if (a.actor === 'user') {
      flush();
      L.push(describeCommandLine(a.command) + (s.ok ? '' : `   # refused: ${s.error}`));
    } else if (a.actor === 'fault') {
      flush();
      const host = (id: string) => hostOf(before, id);
      const task = (id: string) => {
        const t = before.tasks.find((x) => x.id === id);
        return t ? taskName(before, t) : id;
      };
      if (a.kind === 'crash' || a.kind === 'restart') L.push(`${a.kind} ${host(a.node)}`);
      else if (a.kind === 'heal') L.push('heal');
      else if (a.kind === 'partition')
        L.push(`partition ${a.groups.map((g) => g.map(host).join(' ')).join(' | ')}`);
      else if (a.kind === 'exit') L.push(`exit ${task(a.task)} ${a.code}`);
      else if (a.kind === 'reject') L.push(`reject ${task(a.task)}`);
    } else if (a.actor === 'clock' && a.kind === 'advance') {
      flush();
      L.push(`wait ${dur(a.to - before.now)}`);
    } else pendingComponents.push(describe(a, before, st(i)));
  }
  flush();
  return `${L.join('\n')}\n`;
}
