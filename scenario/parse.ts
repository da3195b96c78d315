/**
 * The scenario language: one step per line, `#` comments, blank lines ignored. Each line is
 * tokenized like a shell would (scenario/tokenize.ts), then read by the grammar of its command.
 *
 * Every malformed line is an InputError `file:line:col: message` (exit 2) pointing at the word at
 * fault. What the parser cannot know (whether a node, service or task exists when the line runs) is
 * checked by the runner; what Swarm itself refuses (the control API) is the model's business.
 */
import { InputError } from '../cli/errors.ts';
import { defaultNode, defaultServiceSpec } from '../model/defaults.ts';
import type {
  Availability,
  EndpointMode,
  FailureAction,
  NodeDescription,
  PortConfig,
  RestartCondition,
  RestartPolicy,
  Role,
  SecretRef,
  ServiceMode,
  ServiceSpec,
  ServiceUpdate,
  UpdateConfig,
  UpdateOrder,
  UserCommand,
} from '../model/spec.ts';
import { type FlagDef, parseFlags, SyntaxError_ } from './flags.ts';
import type { Ref, Step } from './steps.ts';
import { LexError, type Token, tokenize } from './tokenize.ts';
import {
  parseBytes,
  parseDuration,
  parseGoFloat,
  parseLabel,
  parseNanoCpus,
  parsePort,
  parseSecretRef,
  parseUint,
  ValueError,
} from './values.ts';

/** The hostname `docker swarm init` gives the first node when the line names none. */
export const DEFAULT_INIT_HOSTNAME = 'manager-1';

export const VERBS = ['docker', 'crash', 'restart', 'partition', 'heal', 'exit', 'reject', 'wait', 'settle'];

/** Parses a whole scenario file; the first malformed line throws. */
export function parseScenario(text: string, file: string): Step[] {
  const steps: Step[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const step = parseLine(lines[i], i + 1, file);
    if (step) steps.push(step);
  }
  return steps;
}

/** Control characters a message quotes from the line are escaped: an error stays one visible line. */
export function printable(msg: string): string {
  let out = '';
  for (const c of msg) {
    const code = c.charCodeAt(0);
    if (!isControl(code)) out += c;
    else if (code === 10) out += '\\n';
    else if (code === 13) out += '\\r';
    else if (code === 9) out += '\\t';
    else out += `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return out;
}

/** C0 and C1 controls, DEL, and the Unicode line/paragraph separators. */
export const isControl = (code: number): boolean =>
  code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;

/** Parses one line; null for blank and comment lines. */
export function parseLine(raw: string, line: number, file: string): Step | null {
  const fail = (col: number, msg: string): never => {
    throw new InputError(file, line, col, printable(msg));
  };
  let tokens: Token[];
  try {
    tokens = tokenize(raw);
  } catch (e) {
    if (e instanceof LexError) return fail(e.col, e.detail);
    throw e;
  }
  if (tokens.length === 0) return null;
  const last = tokens[tokens.length - 1];
  // The step as written, up to its last word: the comment after it is not part of the command.
  const text = raw.slice(tokens[0].col - 1, endOfToken(raw, last)).trim();
  try {
    return parseTokens(tokens, line, text, raw.length + 1);
  } catch (e) {
    if (e instanceof SyntaxError_) return fail(e.col, e.detail);
    throw e;
  }
}

/** The index just past a token in the raw line (tokens may contain quotes, so re-scan). */
function endOfToken(raw: string, tok: Token): number {
  let i = tok.col - 1;
  let quote = '';
  while (i < raw.length) {
    const c = raw[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if (/\s/.test(c)) break;
    i++;
  }
  return Math.min(i, raw.length);
}

function parseTokens(tokens: Token[], line: number, text: string, endCol: number): Step {
  const [verb, ...rest] = tokens;
  const base = { line, text };
  switch (verb.text) {
    case 'docker':
      return { ...base, kind: 'docker', ...parseDocker(verb, rest, endCol) };
    case 'crash':
    case 'restart': {
      const [node] = exactArgs(verb.text, verb, rest, 1, 'NODE');
      return { ...base, kind: verb.text, node: ref('node', node) };
    }
    case 'partition':
      return { ...base, kind: 'partition', groups: parsePartition(verb, rest) };
    case 'heal':
      exactArgs('heal', verb, rest, 0, '');
      return { ...base, kind: 'heal' };
    case 'exit': {
      noFlags(rest);
      if (rest.length === 0) throw new SyntaxError_(verb.col, "'exit' requires a task: exit TASK [CODE]");
      if (rest.length > 2)
        throw new SyntaxError_(rest[2].col, "'exit' takes at most 2 arguments: exit TASK [CODE]");
      let code = 0;
      if (rest[1]) {
        if (!/^[0-9]{1,3}$/.test(rest[1].text) || Number(rest[1].text) > 255)
          throw new SyntaxError_(
            rest[1].col,
            `exit code must be a whole number from 0 to 255, got "${rest[1].text}"`,
          );
        code = Number(rest[1].text);
      }
      return { ...base, kind: 'exit', task: ref('task', rest[0]), code };
    }
    case 'reject': {
      const [task] = exactArgs('reject', verb, rest, 1, 'TASK');
      return { ...base, kind: 'reject', task: ref('task', task) };
    }
    case 'wait': {
      const [d] = exactArgs('wait', verb, rest, 1, 'DURATION');
      try {
        return { ...base, kind: 'wait', ms: parseDuration(d.text) };
      } catch (e) {
        if (e instanceof ValueError)
          throw new SyntaxError_(d.col, `invalid duration "${d.text}": ${e.message}`);
        throw e;
      }
    }
    case 'settle':
      exactArgs('settle', verb, rest, 0, '');
      return { ...base, kind: 'settle' };
    default:
      throw new SyntaxError_(
        verb.col,
        `unknown command "${verb.text}" (a step is one of: ${VERBS.join(', ')})`,
      );
  }
}

const ref = (kind: Ref['kind'], t: Token): Ref => ({ kind, name: t.text, col: t.col });

function noFlags(args: Token[]): void {
  const f = args.find((a) => a.text.startsWith('-') && a.text !== '-');
  if (f) throw new SyntaxError_(f.col, `unknown flag: ${f.text.split('=')[0]}`);
}

function exactArgs(name: string, verb: Token, args: Token[], n: number, usage: string): Token[] {
  noFlags(args);
  if (args.length < n)
    throw new SyntaxError_(
      verb.col,
      `'${name}' requires ${n} argument${n === 1 ? '' : 's'}: ${name} ${usage}`,
    );
  if (args.length > n)
    throw new SyntaxError_(
      args[n].col,
      n === 0
        ? `'${name}' accepts no arguments`
        : `'${name}' takes ${n} argument${n === 1 ? '' : 's'}: ${name} ${usage}`,
    );
  return args;
}

/** `partition A B | C D`: node groups split by `|` (as its own word or inside one). */
function parsePartition(verb: Token, args: Token[]): Ref[][] {
  noFlags(args);
  const groups: Ref[][] = [[]];
  for (const t of args) {
    let col = t.col;
    const parts = t.text.split('|');
    parts.forEach((p, k) => {
      if (k > 0) groups.push([]);
      if (p !== '') groups[groups.length - 1].push({ kind: 'node', name: p, col });
      col += p.length + 1;
    });
  }
  if (groups.length < 2)
    throw new SyntaxError_(verb.col, "'partition' needs at least two groups: partition A B | C D");
  for (const g of groups)
    if (g.length === 0)
      throw new SyntaxError_(verb.col, "'partition': every group between '|' needs at least one node");
  return groups;
}

// ---------------------------------------------------------------------------------------------------
// docker …

interface DockerParse {
  commands: UserCommand[];
  refs: Ref[];
}

type Handler = (cmd: Token, args: Token[], path: string, endCol: number) => DockerParse;

const DOCKER: Record<string, Record<string, Handler>> = {
  swarm: { init: swarmInit, join: swarmJoin, leave: swarmLeave },
  node: { update: nodeUpdate, promote: nodeRole, demote: nodeRole, rm: nodeRm, ls: nodeLs },
  service: {
    create: serviceCreate,
    update: serviceUpdate,
    scale: serviceScale,
    rollback: serviceRollback,
    rm: serviceRm,
    ps: servicePs,
    ls: serviceLs,
  },
  secret: { create: objectCreate('secret'), rm: objectRm('secret') },
  config: { create: objectCreate('config'), rm: objectRm('config') },
  network: { create: networkCreate },
};

function parseDocker(docker: Token, args: Token[], endCol: number): DockerParse {
  const [group, cmd, ...rest] = args;
  if (!group)
    throw new SyntaxError_(docker.col, `'docker' needs a command: one of ${Object.keys(DOCKER).join(', ')}`);
  const cmds = DOCKER[group.text];
  if (!cmds)
    throw new SyntaxError_(
      group.col,
      `docker: '${group.text}' is not a docker command modelled here (known: ${Object.keys(DOCKER).join(', ')})`,
    );
  if (!cmd)
    throw new SyntaxError_(
      group.col,
      `'docker ${group.text}' needs a subcommand: one of ${Object.keys(cmds).join(', ')}`,
    );
  const h = Object.hasOwn(cmds, cmd.text) ? cmds[cmd.text] : undefined;
  if (!h)
    throw new SyntaxError_(
      cmd.col,
      `unknown command "${cmd.text}" for "docker ${group.text}" (known: ${Object.keys(cmds).join(', ')})`,
    );
  return h(cmd, rest, `docker ${group.text} ${cmd.text}`, endCol);
}

// docker/cli:cli/required.go wording for argument counts.
function requireArgs(path: string, cmd: Token, pos: Token[], min: number, max: number): void {
  const plural = (n: number) => `${n} argument${n === 1 ? '' : 's'}`;
  if (pos.length < min) {
    const want =
      min === max
        ? plural(min)
        : max === Infinity
          ? `at least ${plural(min)}`
          : `at least ${min} and at most ${plural(max)}`;
    throw new SyntaxError_(cmd.col, `'${path}' requires ${want}`);
  }
  if (pos.length > max) {
    const want =
      max === 0
        ? 'accepts no arguments'
        : min === max
          ? `requires ${plural(max)}`
          : `requires at most ${plural(max)}`;
    throw new SyntaxError_(pos[max].col, `'${path}' ${want}`);
  }
}

const ignoredSwitches = <C>(): FlagDef<C>[] => [
  // Output-only switches of the real CLI: accepted so that pasted commands work, and ignored.
  { name: 'detach', short: 'd', bool: true, set: () => {} },
  { name: 'quiet', short: 'q', bool: true, set: () => {} },
];

// --- docker swarm init | join ----------------------------------------------------------------------

interface NodeCtx {
  node: NodeDescription;
  hostnameSet: boolean;
  forceNewCluster: boolean;
}

function availabilityOf(v: string): Availability {
  if (v === 'active' || v === 'pause' || v === 'drain') return v;
  throw new ValueError(`invalid availability "${v}", only active, pause and drain are supported`);
}

function roleOf(v: string): Role {
  if (v === 'manager' || v === 'worker') return v;
  throw new ValueError('the model stands a join token for the role: use manager or worker');
}

/**
 * The machine's description. Real `docker swarm init/join` learn these from the daemon; scenarios say
 * them on the command line instead (--hostname, --cpus, --memory, --label, --engine-label, --os, --arch).
 */
const NODE_FLAGS: FlagDef<NodeCtx>[] = [
  {
    name: 'hostname',
    set: (c, v) => {
      if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(v))
        throw new ValueError(
          'a hostname is letters, digits, ".", "_" and "-", starting with a letter or digit',
        );
      c.node.hostname = v;
      c.hostnameSet = true;
    },
  },
  {
    name: 'token',
    set: (c, v) => {
      c.node.role = roleOf(v);
    },
  },
  {
    name: 'role',
    set: (c, v) => {
      c.node.role = roleOf(v);
    },
  },
  {
    name: 'availability',
    set: (c, v) => {
      c.node.availability = availabilityOf(v);
    },
  },
  {
    name: 'label',
    set: (c, v) => {
      const [k, val] = parseLabel(v);
      c.node.labels = { ...c.node.labels, [k]: val };
    },
  },
  {
    name: 'engine-label',
    set: (c, v) => {
      const [k, val] = parseLabel(v);
      c.node.engineLabels = { ...c.node.engineLabels, [k]: val };
    },
  },
  {
    name: 'cpus',
    set: (c, v) => {
      c.node.nanoCpus = parseNanoCpus(v);
    },
  },
  {
    name: 'memory',
    set: (c, v) => {
      c.node.memoryBytes = parseBytes(v);
    },
  },
  {
    name: 'os',
    set: (c, v) => {
      c.node.os = v;
    },
  },
  {
    name: 'arch',
    set: (c, v) => {
      c.node.arch = v;
    },
  },
];

function swarmInit(cmd: Token, args: Token[], path: string): DockerParse {
  const ctx: NodeCtx = {
    node: defaultNode(DEFAULT_INIT_HOSTNAME, 'manager'),
    hostnameSet: false,
    forceNewCluster: false,
  };
  const flags: FlagDef<NodeCtx>[] = [
    ...NODE_FLAGS.filter((f) => f.name !== 'token' && f.name !== 'role'),
    {
      name: 'force-new-cluster',
      bool: true,
      set: (c, v) => {
        c.forceNewCluster = v === 'true';
      },
    },
    { name: 'advertise-addr', set: () => {} },
    { name: 'listen-addr', set: () => {} },
  ];
  const p = parseFlags(args, flags, ctx);
  requireArgs(path, cmd, p.positionals, 0, 0);
  const command: UserCommand = ctx.forceNewCluster
    ? { kind: 'swarm.init', node: ctx.node, forceNewCluster: true }
    : { kind: 'swarm.init', node: ctx.node };
  return { commands: [command], refs: [] };
}

function swarmJoin(cmd: Token, args: Token[], path: string): DockerParse {
  const ctx: NodeCtx = { node: defaultNode('', 'worker'), hostnameSet: false, forceNewCluster: false };
  const flags: FlagDef<NodeCtx>[] = [
    ...NODE_FLAGS,
    { name: 'advertise-addr', set: () => {} },
    { name: 'listen-addr', set: () => {} },
  ];
  const p = parseFlags(args, flags, ctx);
  // The manager address (`docker swarm join … HOST:PORT`) may be written, and is not needed.
  requireArgs(path, cmd, p.positionals, 0, 1);
  if (!ctx.hostnameSet)
    throw new SyntaxError_(cmd.col, `'${path}' needs --hostname NAME: it names the joining machine`);
  return { commands: [{ kind: 'swarm.join', node: ctx.node }], refs: [] };
}

/**
 * `docker swarm leave [--force]` runs on the machine that leaves; the model names it with --hostname, as
 * for init and join. A manager needs --force (moby/moby:daemon/cluster/swarm.go (Leave)).
 */
function swarmLeave(cmd: Token, args: Token[], path: string): DockerParse {
  const ctx = { force: false, hostname: '', col: cmd.col };
  const p = parseFlags<typeof ctx>(
    args,
    [
      {
        name: 'force',
        short: 'f',
        bool: true,
        set: (c, v) => {
          c.force = v === 'true';
        },
      },
      {
        name: 'hostname',
        set: (c, v) => {
          c.hostname = v;
        },
      },
    ],
    ctx,
  );
  requireArgs(path, cmd, p.positionals, 0, 0);
  if (ctx.hostname === '')
    throw new SyntaxError_(cmd.col, `'${path}' needs --hostname NAME: it names the machine that leaves`);
  return {
    commands: [{ kind: 'swarm.leave', node: ctx.hostname, force: ctx.force }],
    refs: [{ kind: 'node', name: ctx.hostname, col: cmd.col }],
  };
}

// --- docker node … ---------------------------------------------------------------------------------

interface NodeUpdateCtx {
  availability?: Availability;
  labelAdd?: Record<string, string>;
  labelRm?: string[];
}

function nodeUpdate(cmd: Token, args: Token[], path: string): DockerParse {
  const ctx: NodeUpdateCtx = {};
  const p = parseFlags<NodeUpdateCtx>(
    args,
    [
      {
        name: 'availability',
        set: (c, v) => {
          // moby/moby:daemon/cluster/convert/node.go (NodeSpecToGRPC).
          if (v !== 'active' && v !== 'pause' && v !== 'drain')
            throw new ValueError(`invalid Availability: "${v}"`);
          c.availability = v;
        },
      },
      {
        name: 'label-add',
        set: (c, v) => {
          const [k, val] = parseLabel(v);
          c.labelAdd = { ...c.labelAdd, [k]: val };
        },
      },
      {
        name: 'label-rm',
        set: (c, v) => {
          c.labelRm = [...(c.labelRm ?? []), v];
        },
      },
      {
        name: 'role',
        set: () => {
          throw new ValueError('use docker node promote / demote to change a role');
        },
      },
    ],
    ctx,
  );
  requireArgs(path, cmd, p.positionals, 1, 1);
  const node = p.positionals[0];
  return {
    commands: [{ kind: 'node.update', node: node.text, ...ctx }],
    refs: [ref('node', node)],
  };
}

function nodeRole(cmd: Token, args: Token[], path: string): DockerParse {
  const p = parseFlags(args, [], {});
  requireArgs(path, cmd, p.positionals, 1, Infinity);
  const kind = cmd.text === 'promote' ? 'node.promote' : 'node.demote';
  return {
    commands: p.positionals.map((t) => ({ kind, node: t.text }) as UserCommand),
    refs: p.positionals.map((t) => ref('node', t)),
  };
}

function nodeRm(cmd: Token, args: Token[], path: string): DockerParse {
  const ctx = { force: false };
  const p = parseFlags(
    args,
    [
      {
        name: 'force',
        short: 'f',
        bool: true,
        set: (c: typeof ctx, v) => {
          c.force = v === 'true';
        },
      },
    ],
    ctx,
  );
  requireArgs(path, cmd, p.positionals, 1, Infinity);
  return {
    commands: p.positionals.map((t) => ({ kind: 'node.rm', node: t.text, force: ctx.force }) as UserCommand),
    refs: p.positionals.map((t) => ref('node', t)),
  };
}

function nodeLs(cmd: Token, args: Token[], path: string): DockerParse {
  const p = parseFlags(args, ignoredSwitches(), {});
  requireArgs(path, cmd, p.positionals, 0, 0);
  return { commands: [{ kind: 'node.ls' }], refs: [] };
}

// --- docker service create | update ----------------------------------------------------------------

/** What the update/rollback/restart/resource flags say, shared by create and update. */
interface SpecFlags {
  restart: Partial<RestartPolicy>;
  update: Partial<UpdateConfig>;
  rollback: Partial<UpdateConfig>;
  reservations: { nanoCpus?: number; memoryBytes?: number };
  replicasMaxPerNode?: number;
  replicas?: number;
}

function restartCondition(v: string): RestartCondition {
  // moby/moby:daemon/cluster/convert/service.go (restartPolicyToGRPC).
  if (v === 'none' || v === 'on-failure' || v === 'any') return v;
  throw new ValueError(`invalid RestartCondition: "${v}"`);
}

function updateConfigFlags<C extends SpecFlags>(which: 'update' | 'rollback'): FlagDef<C>[] {
  // moby/moby:daemon/cluster/convert/service.go (updateConfigToGRPC) for the enum wording.
  return [
    {
      name: `${which}-parallelism`,
      set: (c, v) => {
        c[which].parallelism = parseUint(v);
      },
    },
    {
      name: `${which}-delay`,
      set: (c, v) => {
        c[which].delayMs = parseDuration(v);
      },
    },
    {
      name: `${which}-monitor`,
      set: (c, v) => {
        c[which].monitorMs = parseDuration(v);
      },
    },
    {
      name: `${which}-max-failure-ratio`,
      set: (c, v) => {
        c[which].maxFailureRatio = parseGoFloat(v);
      },
    },
    {
      name: `${which}-failure-action`,
      set: (c, v) => {
        if (v !== 'pause' && v !== 'continue' && v !== 'rollback')
          throw new ValueError(`unrecognized update failure action ${v}`);
        c[which].failureAction = v as FailureAction;
      },
    },
    {
      name: `${which}-order`,
      set: (c, v) => {
        if (v !== 'stop-first' && v !== 'start-first') throw new ValueError(`unrecognized update order ${v}`);
        c[which].order = v as UpdateOrder;
      },
    },
  ];
}

function specFlags<C extends SpecFlags>(): FlagDef<C>[] {
  return [
    {
      name: 'replicas',
      set: (c, v) => {
        c.replicas = parseUint(v);
      },
    },
    {
      name: 'restart-condition',
      set: (c, v) => {
        c.restart.condition = restartCondition(v);
      },
    },
    {
      name: 'restart-delay',
      set: (c, v) => {
        c.restart.delayMs = parseDuration(v);
      },
    },
    {
      name: 'restart-max-attempts',
      set: (c, v) => {
        c.restart.maxAttempts = parseUint(v);
      },
    },
    {
      name: 'restart-window',
      set: (c, v) => {
        c.restart.windowMs = parseDuration(v);
      },
    },
    ...updateConfigFlags<C>('update'),
    ...updateConfigFlags<C>('rollback'),
    {
      name: 'reserve-cpu',
      set: (c, v) => {
        c.reservations.nanoCpus = parseNanoCpus(v);
      },
    },
    {
      name: 'reserve-memory',
      set: (c, v) => {
        c.reservations.memoryBytes = parseBytes(v);
      },
    },
    {
      name: 'replicas-max-per-node',
      set: (c, v) => {
        c.replicasMaxPerNode = parseUint(v);
      },
    },
    ...ignoredSwitches<C>(),
  ];
}

const emptySpecFlags = (): SpecFlags => ({ restart: {}, update: {}, rollback: {}, reservations: {} });

interface CreateCtx extends SpecFlags {
  name?: string;
  mode: string;
  modeCol: number;
  constraints: string[];
  preferences: string[];
  ports: PortConfig[];
  secrets: SecretRef[];
  configs: SecretRef[];
  networks: string[];
  endpointMode: EndpointMode;
  labels: Record<string, string>;
}

function serviceCreate(cmd: Token, args: Token[], path: string): DockerParse {
  const ctx: CreateCtx = {
    ...emptySpecFlags(),
    mode: 'replicated',
    modeCol: 0,
    constraints: [],
    preferences: [],
    ports: [],
    secrets: [],
    configs: [],
    networks: [],
    endpointMode: 'vip',
    labels: {},
  };
  const flags: FlagDef<CreateCtx>[] = [
    {
      name: 'name',
      set: (c, v) => {
        if (v === '') throw new ValueError('a service name cannot be empty');
        c.name = v;
      },
    },
    {
      name: 'mode',
      set: (c, v, tok) => {
        c.mode = v;
        c.modeCol = tok.col;
      },
    },
    { name: 'constraint', set: (c, v) => void c.constraints.push(v) },
    {
      name: 'placement-pref',
      set: (c, v) => {
        // docker/cli:cli/command/service/opts.go (placementPrefOpts.Set).
        const eq = v.indexOf('=');
        if (eq <= 0) throw new ValueError('placement preference must be of the format "<strategy>=<arg>"');
        const strategy = v.slice(0, eq);
        if (strategy !== 'spread')
          throw new ValueError(`unsupported placement preference ${strategy} (only spread is supported)`);
        c.preferences.push(v.slice(eq + 1));
      },
    },
    { name: 'publish', short: 'p', set: (c, v) => void c.ports.push(parsePort(v)) },
    { name: 'secret', set: (c, v) => void c.secrets.push(parseSecretRef(v)) },
    { name: 'config', set: (c, v) => void c.configs.push(parseSecretRef(v)) },
    { name: 'network', set: (c, v) => void c.networks.push(v) },
    {
      name: 'endpoint-mode',
      set: (c, v) => {
        if (v !== 'vip' && v !== 'dnsrr') throw new ValueError(`invalid endpoint mode "${v}": vip or dnsrr`);
        c.endpointMode = v;
      },
    },
    {
      name: 'label',
      short: 'l',
      set: (c, v) => {
        const [k, val] = parseLabel(v);
        c.labels = { ...c.labels, [k]: val };
      },
    },
    ...specFlags<CreateCtx>(),
  ];
  const p = parseFlags(args, flags, ctx, { interspersed: false });
  requireArgs(path, cmd, p.positionals, 1, Infinity);
  const use = (n: string) => p.used.find((u) => u.name === n);

  // docker/cli:cli/command/service/opts.go (ToServiceMode): checked before anything is sent.
  if (ctx.mode === 'global') {
    const r = use('replicas');
    if (r) throw new SyntaxError_(r.col, 'replicas can only be used with replicated or replicated-job mode');
    const m = use('replicas-max-per-node');
    if (m && ctx.replicasMaxPerNode! > 0)
      throw new SyntaxError_(
        m.col,
        'replicas-max-per-node can only be used with replicated or replicated-job mode',
      );
  } else if (ctx.mode === 'replicated-job' || ctx.mode === 'global-job') {
    throw new SyntaxError_(
      ctx.modeCol,
      `--mode ${ctx.mode}: jobs are not modelled (only replicated and global services)`,
    );
  } else if (ctx.mode !== 'replicated') {
    throw new SyntaxError_(ctx.modeCol, `unknown mode: ${ctx.mode}, only replicated and global supported`);
  }
  if (ctx.name === undefined)
    throw new SyntaxError_(
      cmd.col,
      `'${path}' needs --name NAME in a scenario (docker would make a random name up)`,
    );

  const [image, ...command] = p.positionals;
  const spec: ServiceSpec = defaultServiceSpec(ctx.name, image.text);
  spec.mode = ctx.mode as ServiceMode;
  if (spec.mode === 'global') delete spec.replicas;
  else if (ctx.replicas !== undefined) spec.replicas = ctx.replicas;
  spec.labels = ctx.labels;
  spec.task.command = command.map((t) => t.text);
  spec.task.placement = {
    constraints: ctx.constraints,
    preferences: ctx.preferences,
    maxReplicas: ctx.replicasMaxPerNode ?? 0,
  };
  spec.task.reservations = { ...spec.task.reservations, ...ctx.reservations };
  spec.task.restart = { ...spec.task.restart, ...ctx.restart };
  spec.task.secrets = ctx.secrets;
  spec.task.configs = ctx.configs;
  spec.task.networks = ctx.networks;
  spec.endpoint = { mode: ctx.endpointMode, ports: ctx.ports };
  spec.update = { ...spec.update, ...ctx.update };
  spec.rollback = { ...spec.rollback, ...ctx.rollback };
  return { commands: [{ kind: 'service.create', spec }], refs: [] };
}

interface UpdateCtx extends SpecFlags {
  u: ServiceUpdate;
}

function serviceUpdate(cmd: Token, args: Token[], path: string): DockerParse {
  const ctx: UpdateCtx = { ...emptySpecFlags(), u: {} };
  const list =
    <K extends 'constraintAdd' | 'constraintRm' | 'secretRm' | 'configRm'>(k: K) =>
    (c: UpdateCtx, v: string) => {
      c.u[k] = [...(c.u[k] ?? []), v];
    };
  const flags: FlagDef<UpdateCtx>[] = [
    {
      name: 'image',
      set: (c, v) => {
        c.u.image = v;
      },
    },
    {
      name: 'force',
      bool: true,
      set: (c, v) => {
        c.u.force = v === 'true';
      },
    },
    {
      name: 'rollback',
      bool: true,
      set: (c, v) => {
        c.u.rollbackRequest = v === 'true';
      },
    },
    { name: 'constraint-add', set: list('constraintAdd') },
    { name: 'constraint-rm', set: list('constraintRm') },
    {
      name: 'label-add',
      set: (c, v) => {
        const [k, val] = parseLabel(v);
        c.u.labelAdd = { ...c.u.labelAdd, [k]: val };
      },
    },
    {
      name: 'publish-add',
      set: (c, v) => {
        c.u.publishAdd = [...(c.u.publishAdd ?? []), parsePort(v)];
      },
    },
    {
      name: 'publish-rm',
      set: (c, v) => {
        c.u.publishRm = [...(c.u.publishRm ?? []), parsePort(v)];
      },
    },
    {
      name: 'secret-add',
      set: (c, v) => {
        c.u.secretAdd = [...(c.u.secretAdd ?? []), parseSecretRef(v)];
      },
    },
    { name: 'secret-rm', set: list('secretRm') },
    {
      name: 'config-add',
      set: (c, v) => {
        c.u.configAdd = [...(c.u.configAdd ?? []), parseSecretRef(v)];
      },
    },
    { name: 'config-rm', set: list('configRm') },
    ...specFlags<UpdateCtx>(),
  ];
  const p = parseFlags(args, flags, ctx);
  requireArgs(path, cmd, p.positionals, 1, 1);
  // docker/cli:cli/command/service/update.go (runUpdate): --rollback stands alone.
  if (ctx.u.rollbackRequest) {
    const other = p.used.find((u) => !['rollback', 'detach', 'quiet'].includes(u.name));
    if (other) throw new SyntaxError_(other.col, 'other flags may not be combined with --rollback');
  }
  const u: ServiceUpdate = { ...ctx.u };
  if (ctx.replicas !== undefined) u.replicas = ctx.replicas;
  if (Object.keys(ctx.restart).length) u.restart = ctx.restart;
  if (Object.keys(ctx.update).length) u.update = ctx.update;
  if (Object.keys(ctx.rollback).length) u.rollback = ctx.rollback;
  if (Object.keys(ctx.reservations).length) u.reservations = ctx.reservations;
  if (ctx.replicasMaxPerNode !== undefined) u.replicasMaxPerNode = ctx.replicasMaxPerNode;
  const svc = p.positionals[0];
  return {
    commands: [{ kind: 'service.update', service: svc.text, update: u }],
    refs: [ref('service', svc)],
  };
}

function serviceScale(cmd: Token, args: Token[], path: string): DockerParse {
  const p = parseFlags(args, ignoredSwitches(), {});
  requireArgs(path, cmd, p.positionals, 1, Infinity);
  const scales: { service: string; replicas: number }[] = [];
  const refs: Ref[] = [];
  for (const t of p.positionals) {
    // docker/cli:cli/command/service/scale.go (scaleArgs, runScale).
    const eq = t.text.indexOf('=');
    const name = eq < 0 ? '' : t.text.slice(0, eq);
    const n = eq < 0 ? '' : t.text.slice(eq + 1);
    if (name === '' || n === '') throw new SyntaxError_(t.col, `invalid scale specifier '${t.text}'`);
    let replicas: number;
    try {
      replicas = parseUint(n);
    } catch (e) {
      if (e instanceof ValueError)
        throw new SyntaxError_(
          t.col + eq + 1,
          `${name}: invalid replicas value ${n}: ${e.message.replace(/^strconv\.ParseUint: /, '')}`,
        );
      throw e;
    }
    scales.push({ service: name, replicas });
    refs.push({ kind: 'service', name, col: t.col });
  }
  return { commands: [{ kind: 'service.scale', scales }], refs };
}

function serviceRollback(cmd: Token, args: Token[], path: string): DockerParse {
  const p = parseFlags(args, ignoredSwitches(), {});
  requireArgs(path, cmd, p.positionals, 1, 1);
  const s = p.positionals[0];
  return { commands: [{ kind: 'service.rollback', service: s.text }], refs: [ref('service', s)] };
}

function serviceRm(cmd: Token, args: Token[], path: string): DockerParse {
  const p = parseFlags(args, [], {});
  requireArgs(path, cmd, p.positionals, 1, Infinity);
  return {
    commands: p.positionals.map((t) => ({ kind: 'service.rm', service: t.text }) as UserCommand),
    refs: p.positionals.map((t) => ref('service', t)),
  };
}

function serviceLs(cmd: Token, args: Token[], path: string): DockerParse {
  const p = parseFlags(args, ignoredSwitches(), {});
  requireArgs(path, cmd, p.positionals, 0, 0);
  return { commands: [{ kind: 'service.ls' }], refs: [] };
}

function servicePs(cmd: Token, args: Token[], path: string): DockerParse {
  const p = parseFlags(args, [{ name: 'no-trunc', bool: true, set: () => {} }], {});
  requireArgs(path, cmd, p.positionals, 1, Infinity);
  return {
    commands: p.positionals.map((t) => ({ kind: 'service.ps', service: t.text }) as UserCommand),
    refs: p.positionals.map((t) => ref('service', t)),
  };
}

// --- docker secret | config | network -------------------------------------------------------------

function objectCreate(kind: 'secret' | 'config'): Handler {
  return (cmd, args, path) => {
    const ctx = { size: 0, labels: {} as Record<string, string> };
    const p = parseFlags<typeof ctx>(
      args,
      [
        // Not a docker flag: the model does not read files, so the payload's size is said instead.
        {
          name: 'size',
          set: (c, v) => {
            c.size = parseBytes(v);
          },
        },
        {
          name: 'label',
          short: 'l',
          set: (c, v) => {
            const [k, val] = parseLabel(v);
            c.labels = { ...c.labels, [k]: val };
          },
        },
      ],
      ctx,
    );
    // `docker secret create NAME [FILE|-]`: the file may be written, and is not read.
    requireArgs(path, cmd, p.positionals, 1, 2);
    const name = p.positionals[0].text;
    return {
      commands: [{ kind: `${kind}.create`, name, sizeBytes: ctx.size, labels: ctx.labels }],
      refs: [],
    };
  };
}

function objectRm(kind: 'secret' | 'config'): Handler {
  return (cmd, args, path) => {
    const p = parseFlags(args, [], {});
    requireArgs(path, cmd, p.positionals, 1, Infinity);
    return {
      commands: p.positionals.map((t) => ({ kind: `${kind}.rm`, name: t.text }) as UserCommand),
      refs: [],
    };
  };
}

function networkCreate(cmd: Token, args: Token[], path: string): DockerParse {
  const ctx = { attachable: false, ingress: false };
  const p = parseFlags<typeof ctx>(
    args,
    [
      {
        name: 'driver',
        short: 'd',
        set: (_c, v) => {
          if (v !== 'overlay')
            throw new ValueError(`only the overlay driver spans a swarm; "${v}" is not modelled`);
        },
      },
      {
        name: 'attachable',
        bool: true,
        set: (c, v) => {
          c.attachable = v === 'true';
        },
      },
      {
        name: 'ingress',
        bool: true,
        set: (c, v) => {
          c.ingress = v === 'true';
        },
      },
    ],
    ctx,
  );
  requireArgs(path, cmd, p.positionals, 1, 1);
  return {
    commands: [
      {
        kind: 'network.create',
        name: p.positionals[0].text,
        driver: 'overlay',
        attachable: ctx.attachable,
        ingress: ctx.ingress,
      },
    ],
    refs: [],
  };
}
