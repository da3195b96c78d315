/**
 * A story as a conversation between the user, the managers and each node's agent: the Mermaid
 * sequenceDiagram on a card, and the compact narration next to it.
 *
 * Who talks to whom follows SwarmKit's architecture: every docker command goes to the leader's control
 * API; the leader's components (orchestrators, restart supervisor, allocator, scheduler, dispatcher,
 * reaper) act on the store inside the leader; the scheduler's assignment travels to the node's agent
 * through the dispatcher; an agent reports its task's new state back to the leader. Faults and time
 * are notes. The text of each message is the scenario runner's narration (only the changed fields).
 */
import type { Event } from '../scenario/run.ts';
import { formatDuration } from '../scenario/values.ts';
import { everyTask, type Story } from './story.ts';

const CHAIN = /^(\S+ \((t\d+)\)) (\w+) → (\w+)$/;

/**
 * Joins each task's consecutive agent steps into one line: `web.1 (t6) assigned → accepted → … → running`.
 * While the cluster settles, one task's agent steps are interleaved with other tasks' steps; a chain
 * stays open across events that do not mention its task, so nothing is reordered relative to an
 * event about the same task.
 */
export function compactEvents(events: Event[]): Event[] {
  const out: Event[] = [];
  const open = new Map<string, Event>();
  for (const e of events) {
    const m = e.actor === 'agent' && e.changes.length === 1 ? CHAIN.exec(e.changes[0]) : null;
    if (m) {
      const prev = open.get(m[2]);
      if (prev?.changes[0].endsWith(` → ${m[3]}`)) {
        prev.changes[0] += ` → ${m[4]}`;
        continue;
      }
    }
    const copy: Event = { actor: e.actor, changes: [...e.changes] };
    for (const c of e.changes) for (const id of c.match(/\(t\d+\)/g) ?? []) open.delete(id.slice(1, -1));
    if (m) open.set(m[2], copy);
    out.push(copy);
  }
  return out;
}

/** The transcript of a story, in `swarm-model run`'s format, with each task's agent steps joined. */
export function narrate(story: Story): string[] {
  const out: string[] = [];
  for (const r of story.records) {
    out.push(`line ${r.line} (t=${formatDuration(r.at)}): ${r.command}`);
    for (const e of compactEvents(r.events))
      for (const c of e.changes) out.push(`  ${e.actor.padEnd(13)} ${c}`);
    for (const t of r.tables) for (const l of t) out.push(`    ${l}`);
  }
  if (story.inputError) out.push(`docker: ${story.inputError.replace(/^[^:]+:\d+:\d+: /, '')}`);
  return out;
}

interface Msg {
  from: string;
  to: string;
  /** '->>' a request, '-->>' an answer, 'note' a note over `from` (and `to`). */
  arrow: '->>' | '-->>' | 'note';
  text: string;
}

const MAX_LINES = 6;

/** Mermaid-safe message text: no `;` or `#` (statement separator, entity escape). */
function safe(s: string): string {
  return s
    .replace(/;/g, ',')
    .replace(/#/g, 'no. ')
    .replace(/[<>]/g, (c) => (c === '<' ? '‹' : '›'));
}

export function sequenceDiagram(story: Story): string {
  const s0 = story.states;
  const all = story.final;
  const hosts = new Map<string, string>();
  for (const st of s0) for (const n of st.nodes) hosts.set(n.id, n.hostname);
  const tasks = everyTask(story);
  const managers = new Set<string>();
  for (const st of s0) for (const n of st.nodes) if (n.role === 'manager') managers.add(n.hostname);

  const ids = new Map<string, string>();
  const order: string[] = ['user'];
  const label = new Map<string, string>([['user', 'user']]);
  const pid = (kind: 'mgr' | 'agent', host: string): string => {
    const key = `${kind}:${host}`;
    let id = ids.get(key);
    if (!id) {
      id = `${kind === 'mgr' ? 'M' : 'A'}${ids.size + 1}`;
      ids.set(key, id);
      label.set(id, kind === 'mgr' ? host : `agent ${host}`);
    }
    return id;
  };
  const used = new Set<string>(['user']);
  const touch = (id: string) => {
    used.add(id);
    return id;
  };
  // Declare managers first, then agents, in join order.
  for (const n of [...hosts.values()]) if (managers.has(n)) order.push(pid('mgr', n));
  for (const n of [...hosts.values()]) order.push(pid('agent', n));

  let leader = '';
  const msgs: Msg[] = [];
  const taskHost = (text: string): string | null => {
    const m = /\((t\d+)\)/.exec(text);
    if (!m) return null;
    const on = / on (\S+)/.exec(text);
    if (on && hosts.size && [...hosts.values()].includes(on[1])) return on[1];
    const t = tasks.get(m[1]);
    return t?.nodeId ? (hosts.get(t.nodeId) ?? null) : null;
  };
  // Without a leader a docker command goes to whichever manager the user's CLI talks to: an up one.
  let upManager = [...managers][0] ?? 'manager-1';
  const control = () => touch(pid('mgr', leader || upManager));

  // The swarm being built (init and joins before anything else) is one note, not a dozen messages.
  let setup = 0;
  while (setup < story.records.length && /^docker swarm (init|join)\b/.test(story.records[setup].command))
    setup++;
  if (setup > 0) {
    const joined = story.records.slice(0, setup).map((r) => /--hostname (\S+)/.exec(r.command)?.[1] ?? '?');
    const first = touch(pid('mgr', joined[0]));
    msgs.push({
      from: first,
      to: first,
      arrow: 'note',
      text: `setup: swarm init on ${joined[0]}${joined.length > 1 ? `, then ${joined.slice(1).join(', ')} join` : ''}`,
    });
    leader = s0[setup - 1]?.raft.leader ? (hosts.get(s0[setup - 1].raft.leader) ?? '') : '';
  }

  story.records.forEach((r, i) => {
    if (i < setup) return;
    const before = i === 0 ? null : s0[i - 1];
    const up = before?.nodes.find((n) => n.role === 'manager' && n.up);
    if (up) upManager = up.hostname;
    leader = before?.raft.leader ? (hosts.get(before.raft.leader) ?? '') : leader && before ? '' : leader;
    const isDocker = r.command.startsWith('docker ');
    if (isDocker) {
      const to = r.command.startsWith('docker swarm init')
        ? touch(pid('mgr', /--hostname (\S+)/.exec(r.command)?.[1] ?? 'manager-1'))
        : control();
      msgs.push({ from: 'user', to, arrow: '->>', text: r.command.replace(/^docker /, '') });
    } else {
      const who = /^(crash|restart) (\S+)/.exec(r.command);
      const task = /^(exit|reject) (\S+)/.exec(r.command);
      let over = control();
      if (who) over = touch(pid(managers.has(who[2]) ? 'mgr' : 'agent', who[2]));
      if (task) {
        const t = all.tasks.find((x) => r.events.some((e) => e.changes.some((c) => c.includes(`(${x.id})`))));
        over = t?.nodeId ? touch(pid('agent', hosts.get(t.nodeId) ?? t.nodeId)) : over;
      }
      msgs.push({ from: over, to: over, arrow: 'note', text: r.command });
    }
    for (const e of compactEvents(r.events)) {
      for (const c of e.changes) {
        const lead = /^leader (\S+) → (\S+)/.exec(c);
        if (e.actor === 'error' || e.actor === 'docker') {
          msgs.push({
            from: control(),
            to: 'user',
            arrow: '-->>',
            text: e.actor === 'error' ? `error: ${c}` : c,
          });
          continue;
        }
        if (e.actor === 'fault' || e.actor === 'clock') {
          if (lead && lead[2] === '(none)') leader = '';
          continue; // the note for the line says it
        }
        if (e.actor === 'agent') {
          const h = taskHost(c);
          const from = touch(pid('agent', h ?? 'unknown'));
          msgs.push(
            leader
              ? { from, to: control(), arrow: '->>', text: c }
              : { from, to: from, arrow: 'note', text: c },
          );
          continue;
        }
        if (e.actor === 'scheduler' && / on (\S+)/.test(c)) {
          const h = / on (\S+)/.exec(c)![1];
          msgs.push({ from: control(), to: touch(pid('agent', h)), arrow: '->>', text: `scheduler: ${c}` });
          continue;
        }
        if (lead) {
          leader = lead[2] === '(none)' ? '' : lead[2];
          const from = leader ? control() : touch(pid('mgr', lead[1]));
          msgs.push({
            from,
            to: from,
            arrow: 'note',
            text: `${e.actor === 'user' ? 'controlapi' : e.actor}: ${c}`,
          });
          continue;
        }
        // The command's own store write is the control API's (the runner calls its actor `user`).
        const from = control();
        msgs.push({
          from,
          to: from,
          arrow: '->>',
          text: `${e.actor === 'user' ? 'controlapi' : e.actor}: ${c}`,
        });
      }
    }
  });

  // Join consecutive messages between the same two participants.
  const joined: Msg[] = [];
  for (const m of msgs) {
    const p = joined.at(-1);
    if (
      p &&
      p.from === m.from &&
      p.to === m.to &&
      p.arrow === m.arrow &&
      m.arrow !== 'note' &&
      p.text.split('<br/>').length < MAX_LINES
    )
      p.text += `<br/>${safe(m.text)}`;
    else joined.push({ ...m, text: safe(m.text) });
  }
  const lines = ['sequenceDiagram'];
  for (const id of order) if (used.has(id)) lines.push(`  participant ${id} as ${label.get(id)}`);
  for (const m of joined) {
    if (m.arrow === 'note') lines.push(`  Note over ${m.from}: ${m.text}`);
    else lines.push(`  ${m.from}${m.arrow}${m.to}: ${m.text}`);
  }
  return lines.join('\n');
}
