/**
 * State diagrams of the machines, generated from their definitions (machines/describe.ts), never drawn
 * by hand: Graphviz DOT, Mermaid stateDiagram-v2 (GitHub renders it in markdown), and SVG rendered from
 * the DOT by Graphviz compiled to WebAssembly (no browser).
 *
 * Every edge reads `EVENT [guard] / actor`; edges are coloured by actor. A transition written on a
 * compound state is one edge leaving that state's box; a transition written on the machine root leaves
 * the "any state" pseudo-node. Output is deterministic: same machines, same bytes.
 */
import { Graphviz } from '@hpcc-js/wasm-graphviz';
import type { AnyStateMachine } from 'xstate';
import {
  describeMachine,
  enterAtomic,
  type MachineDescription,
  type StateInfo,
  type TransitionInfo,
} from './describe.ts';
import type { GuardLabeler } from './meta.ts';
import { nodeGuardLabel, nodeMachine } from './node.ts';
import { raftGuardLabel, raftMemberMachine } from './raftMember.ts';
import { taskGuardLabel, taskMachine } from './task.ts';
import { updateStatusGuardLabel, updateStatusMachine } from './updateStatus.ts';

export interface DiagramSpec {
  /** File stem under reports/diagrams/. */
  name: string;
  title: string;
  machine: AnyStateMachine;
  guardLabel: GuardLabeler;
  /** Box titles for compound states, by path. */
  clusterLabels: Record<string, string>;
  /** Atomic-state captions (e.g. SwarmKit's numeric value), by key. */
  captions?: Record<string, string>;
  rankdir: 'TB' | 'LR';
}

const TASK_VALUES: Record<string, string> = {
  new: '0',
  pending: '64',
  assigned: '192',
  accepted: '256',
  preparing: '320',
  ready: '384',
  starting: '448',
  running: '512',
  complete: '576',
  shutdown: '640',
  failed: '704',
  rejected: '768',
  orphaned: '832',
  deleted: 'task object gone',
};

export const DIAGRAMS: readonly DiagramSpec[] = [
  {
    name: 'task',
    title: 'Task lifecycle (observed state; desired state in context)',
    machine: taskMachine,
    guardLabel: taskGuardLabel,
    clusterLabels: {
      live: 'live: observed ≤ running',
      'live.onNode': 'on a node: assigned..running',
      'live.onNode.beforeStart': 'before start',
      'live.onNode.started': 'started',
      ended: 'ended: observed > running',
    },
    captions: TASK_VALUES,
    rankdir: 'LR',
  },
  {
    name: 'node',
    title: 'Node: availability × status × role',
    machine: nodeMachine,
    guardLabel: nodeGuardLabel,
    clusterLabels: {
      availability: 'availability (user)',
      status: 'status (dispatcher)',
      role: 'role (desired role, role, Raft membership)',
    },
    rankdir: 'TB',
  },
  {
    name: 'raftMember',
    title: 'Raft member (CheckQuorum on, PreVote off)',
    machine: raftMemberMachine,
    guardLabel: raftGuardLabel,
    clusterLabels: { up: 'up' },
    rankdir: 'LR',
  },
  {
    name: 'updateStatus',
    title: 'Service UpdateStatus',
    machine: updateStatusMachine,
    guardLabel: updateStatusGuardLabel,
    clusterLabels: {},
    rankdir: 'TB',
  },
];

/** One colour per actor, fixed, so that the same component reads the same in every diagram. */
const ACTOR_COLOUR: Record<string, string> = {
  orchestrator: '#6a3d9a',
  allocator: '#b15928',
  scheduler: '#1f78b4',
  agent: '#33a02c',
  dispatcher: '#e31a1c',
  'constraint-enforcer': '#ff7f00',
  controlapi: '#a6761d',
  reaper: '#555555',
  user: '#1f78b4',
  updater: '#33a02c',
  'role-manager': '#6a3d9a',
  raft: '#1f78b4',
  fault: '#e31a1c',
};

/** `EVENT [guard] / actor`. */
export function edgeLabel(t: TransitionInfo, guardLabel: GuardLabeler): string {
  const guard = t.guard ? ` [${guardLabel(t.guard)}]` : '';
  return `${t.event}${guard} / ${t.actor}`;
}

const ANY = '__any';
const MERMAID_ANY = 'any_state';
const NOTE = 'shape=note, style=filled, fillcolor="#ffffff", color="#888888", class="any", fontsize=10';

/** A long `EVENT [guard] / actor` on up to three lines (DOT only; the text is the same). */
const wrap = (label: string) =>
  label.length <= 28 ? label : label.replace(' [', '\\n[').replace(' / ', '\\n/ ');
const q = (s: string) => `"${s.replace(/"/g, '\\"')}"`;
const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const nodeId = (s: StateInfo) => s.path;
const clusterId = (path: string) => `cluster_${path.replace(/\./g, '_')}`;

/** The "any state in this box" note of a compound state, for its transitions that stay inside it. */
const anyIn = (path: string) => `__any_${path}`;
const staysInside = (t: TransitionInfo) =>
  t.source !== '' && t.target !== undefined && t.target.startsWith(`${t.source}.`);

/**
 * Where an edge is drawn from: an atomic state; for a compound state, its box (the edge leaves from its
 * last atomic state, clipped at the box), or its "any state in ..." note when the target is inside the box.
 */
function endpoint(d: MachineDescription, t: TransitionInfo): { node: string; cluster?: string } {
  const path = t.source;
  if (path === '') return { node: ANY };
  if (staysInside(t)) return { node: anyIn(path) };
  const s = d.states.find((x) => x.path === path)!;
  if (s.type === 'atomic' || s.type === 'final') return { node: s.path };
  const inside = d.atomic.filter((a) => a.path.startsWith(`${path}.`));
  return { node: inside[inside.length - 1].path, cluster: clusterId(path) };
}

/** Start markers: the root's initial state, or one per region of a parallel root. */
function starts(d: MachineDescription): { id: string; target: string; region?: string }[] {
  const root = d.states.find((s) => s.path === '')!;
  if (root.type === 'parallel') {
    return d.states
      .filter((s) => s.parent === '')
      .map((r) => ({ id: `__start_${r.path}`, target: enterAtomic(d, r.path).path, region: r.path }));
  }
  return [{ id: '__start', target: enterAtomic(d, '').path }];
}

/** Graphviz DOT. */
export function toDot(spec: DiagramSpec): string {
  const d = describeMachine(spec.machine);
  const lines: string[] = [];
  const out = (depth: number, s: string) => lines.push(`${'  '.repeat(depth)}${s}`);
  out(0, `digraph ${q(spec.name)} {`);
  out(
    1,
    `graph [rankdir=${spec.rankdir}, compound=true, fontname="Helvetica,Arial,sans-serif", fontsize=16, labelloc=t, label=${q(spec.title)}, nodesep=0.5, ranksep=0.5, newrank=true];`,
  );
  out(
    1,
    'node [shape=box, style="rounded,filled", fillcolor="#f7f7f7", color="#444444", fontname="Helvetica,Arial,sans-serif", fontsize=12, margin="0.2,0.05"];',
  );
  out(1, 'edge [fontname="Helvetica,Arial,sans-serif", fontsize=9, arrowsize=0.7];');
  const startList = starts(d);
  const regionStart = new Map(startList.filter((s) => s.region).map((s) => [s.region!, s]));
  const startNode = (depth: number, s: { id: string }) =>
    out(depth, `${q(s.id)} [shape=point, width=0.12, label="", class="initial", fillcolor="#000000"];`);

  const emit = (s: StateInfo, depth: number) => {
    if (s.type === 'atomic' || s.type === 'final') {
      const caption = spec.captions?.[s.key];
      const label = caption
        ? `<<b>${html(s.key)}</b><br/><font point-size="9" color="#666666">${html(caption)}</font>>`
        : `<<b>${html(s.key)}</b>>`;
      const style = s.type === 'final' ? ', peripheries=2, fillcolor="#e8e8e8"' : '';
      out(depth, `${q(nodeId(s))} [label=${label}${style}];`);
      return;
    }
    const children = d.states.filter((c) => c.parent === s.path);
    if (s.path === '') {
      for (const c of children) emit(c, depth);
      return;
    }
    out(depth, `subgraph ${clusterId(s.path)} {`);
    const title = spec.clusterLabels[s.path] ?? s.key;
    out(
      depth + 1,
      `label=${q(title)}; style="rounded,dashed"; color="#888888"; fontname="Helvetica,Arial,sans-serif"; fontsize=11;`,
    );
    const rs = regionStart.get(s.path);
    if (rs) startNode(depth + 1, rs);
    if (d.transitions.some((t) => t.source === s.path && staysInside(t)))
      out(depth + 1, `${q(anyIn(s.path))} [label=${q(`any state in ${s.key}`)}, ${NOTE}];`);
    for (const c of children) emit(c, depth + 1);
    out(depth, '}');
  };
  emit(d.states.find((s) => s.path === '')!, 1);
  for (const s of startList) {
    if (!s.region) startNode(1, s);
    out(1, `${q(s.id)} -> ${q(s.target)} [class="initial"];`);
  }
  if (d.transitions.some((t) => t.source === '')) {
    out(1, `${q(ANY)} [label="any state", ${NOTE}];`);
  }
  const loops = new Map<string, number>();
  for (const t of d.transitions) {
    const from = endpoint(d, t);
    const to = t.target === undefined ? from : { node: enterAtomic(d, t.target).path };
    const colour = ACTOR_COLOUR[t.actor] ?? '#000000';
    const attrs = [
      `label=${q(wrap(edgeLabel(t, spec.guardLabel)))}`,
      `color=${q(colour)}`,
      `fontcolor=${q(colour)}`,
    ];
    if (from.cluster) attrs.push(`ltail=${from.cluster}`);
    if (from.node === to.node) {
      // Several self-loops on one state: put each on its own side, so that their labels do not collide.
      const n = loops.get(from.node) ?? 0;
      loops.set(from.node, n + 1);
      const side = ['n', 's', 'e', 'w'][n % 4];
      attrs.push(`tailport=${side}`, `headport=${side}`);
    }
    out(1, `${q(from.node)} -> ${q(to.node)} [${attrs.join(', ')}];`);
  }
  out(0, '}');
  return `${lines.join('\n')}\n`;
}

/** Mermaid stateDiagram-v2 (GitHub renders it natively). */
export function toMermaid(spec: DiagramSpec): string {
  const d = describeMachine(spec.machine);
  const keys = d.states.filter((s) => s.path !== '').map((s) => s.key);
  if (new Set(keys).size !== keys.length)
    throw new Error(`${spec.name}: state keys must be unique to draw Mermaid`);
  const id = (path: string) => (path === '' ? MERMAID_ANY : d.states.find((s) => s.path === path)!.key);
  const lines = ['stateDiagram-v2'];
  if (spec.rankdir === 'LR') lines.push('  direction LR');
  const root = d.states.find((s) => s.path === '')!;
  const emit = (s: StateInfo, depth: number) => {
    const pad = '  '.repeat(depth);
    const children = d.states.filter((c) => c.parent === s.path);
    if (children.length === 0) {
      lines.push(`${pad}${s.key}`);
      return;
    }
    const title = spec.clusterLabels[s.path];
    lines.push(title ? `${pad}state "${title}" as ${s.key} {` : `${pad}state ${s.key} {`);
    if (root.type === 'parallel' && s.parent === '')
      lines.push(`${pad}  [*] --> ${enterAtomic(d, s.path).key}`);
    for (const c of children) emit(c, depth + 1);
    lines.push(`${pad}}`);
  };
  // Declare every state (and its box) before any edge mentions it, so that Mermaid does not create a
  // second, top-level state of the same name.
  for (const c of d.states.filter((s) => s.parent === '')) emit(c, 1);
  if (root.type !== 'parallel') lines.push(`  [*] --> ${enterAtomic(d, '').key}`);
  if (d.transitions.some((t) => t.source === '')) lines.push(`  state "any state" as ${MERMAID_ANY}`);
  for (const t of d.transitions) {
    const from = id(t.source);
    const to = t.target === undefined ? from : id(t.target);
    lines.push(`  ${from} --> ${to} : ${edgeLabel(t, spec.guardLabel)}`);
  }
  return `${lines.join('\n')}\n`;
}

let graphviz: Promise<Graphviz> | undefined;

/** SVG from DOT, with the one variable part (Graphviz's version comment) removed. */
export async function renderSvg(dot: string): Promise<string> {
  graphviz ??= Graphviz.load();
  const svg = (await graphviz).dot(dot, 'svg');
  return `${svg
    .replace(/<!-- Generated by graphviz version [^>]*-->\n/, '')
    .replace(/\r\n/g, '\n')
    .trimEnd()}\n`;
}

/** Every diagram file, by file name (`task.dot`, `task.mmd`, `task.svg`, ...), in a fixed order. */
export async function generateDiagrams(
  specs: readonly DiagramSpec[] = DIAGRAMS,
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const spec of specs) {
    const dot = toDot(spec);
    files.set(`${spec.name}.dot`, dot);
    files.set(`${spec.name}.mmd`, toMermaid(spec));
    files.set(`${spec.name}.svg`, await renderSvg(dot));
  }
  return files;
}

export const README_BEGIN =
  '<!-- diagrams:task:begin (generated by `npm run diagrams` from reports/diagrams/task.mmd) -->';
export const README_END = '<!-- diagrams:task:end -->';

/** README.md with the block between the markers replaced by the task machine's Mermaid diagram. */
export function withReadmeDiagram(readme: string, taskMmd: string): string {
  const begin = readme.indexOf(README_BEGIN);
  const end = readme.indexOf(README_END);
  if (begin < 0 || end < begin) throw new Error('README.md lacks the diagrams:task markers');
  const block = `${README_BEGIN}\n\`\`\`mermaid\n${taskMmd.trimEnd()}\n\`\`\`\n${README_END}`;
  return readme.slice(0, begin) + block + readme.slice(end + README_END.length);
}
