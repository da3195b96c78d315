/**
 * The error catalogue: every kind of malformed scenario line, run through the real CLI entry point
 * (cli/main.ts `main`), must fail with exactly one line `file:line:col: message` and exit code 2.
 * The column points at the word at fault. Messages are docker's own where docker has one.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { main } from '../../cli/main.ts';

const PRELUDE = [
  'docker swarm init --hostname manager-1',
  'docker swarm join --hostname worker-1 --token worker',
  'docker service create --name web --replicas 2 nginx',
];
/** The line under test comes right after the prelude. */
const LINE = PRELUDE.length + 1;

// [the malformed line, column, message]
const CASES: [string, number, string][] = [
  // unknown commands
  [
    'dokcer swarm init',
    1,
    'unknown command "dokcer" (a step is one of: docker, crash, restart, partition, heal, exit, reject, wait, settle)',
  ],
  ['docker', 1, "'docker' needs a command: one of swarm, node, service, secret, config, network"],
  [
    'docker volume create v',
    8,
    "docker: 'volume' is not a docker command modelled here (known: swarm, node, service, secret, config, network)",
  ],
  [
    'docker service',
    8,
    "'docker service' needs a subcommand: one of create, update, scale, rollback, rm, ps, ls",
  ],
  [
    'docker service frob web',
    16,
    'unknown command "frob" for "docker service" (known: create, update, scale, rollback, rm, ps, ls)',
  ],
  ['docker service ls web', 19, "'docker service ls' accepts no arguments"],
  [
    'docker node inspect worker-1',
    13,
    'unknown command "inspect" for "docker node" (known: update, promote, demote, rm, ls)',
  ],
  // unknown flags
  ['docker service create --name api --replicaz 3 nginx', 34, 'unknown flag: --replicaz'],
  ['docker node update --avail drain worker-1', 20, 'unknown flag: --avail'],
  ['docker service create -x nginx', 23, "unknown shorthand flag: 'x' in -x"],
  ['crash --force worker-1', 7, 'unknown flag: --force'],
  // bad values
  [
    'docker service create --name api --replicas three nginx',
    45,
    'invalid argument "three" for "--replicas" flag: strconv.ParseUint: parsing "three": invalid syntax',
  ],
  [
    'docker service create --name api --replicas=-1 nginx',
    34,
    'invalid argument "-1" for "--replicas" flag: strconv.ParseUint: parsing "-1": invalid syntax',
  ],
  [
    'docker service create --name api --restart-delay 5x nginx',
    50,
    'invalid argument "5x" for "--restart-delay" flag: time: unknown unit "x" in duration "5x"',
  ],
  [
    'docker service create --name api --update-delay 10 nginx',
    49,
    'invalid argument "10" for "--update-delay" flag: time: missing unit in duration "10"',
  ],
  [
    'docker service create --name api --reserve-memory 4Q nginx',
    51,
    `invalid argument "4Q" for "--reserve-memory" flag: invalid size: '4Q'`,
  ],
  [
    'docker service create --name api --reserve-cpu half nginx',
    48,
    'invalid argument "half" for "--reserve-cpu" flag: failed to parse half as a rational number',
  ],
  [
    'docker service create --name api --restart-condition sometimes nginx',
    54,
    'invalid argument "sometimes" for "--restart-condition" flag: invalid RestartCondition: "sometimes"',
  ],
  [
    'docker service create --name api --update-failure-action explode nginx',
    58,
    'invalid argument "explode" for "--update-failure-action" flag: unrecognized update failure action explode',
  ],
  [
    'docker service create --name api --update-order random nginx',
    49,
    'invalid argument "random" for "--update-order" flag: unrecognized update order random',
  ],
  [
    'docker service create --name api --publish 80:http nginx',
    44,
    'invalid argument "80:http" for "--publish" flag: invalid port specification: "80:http"',
  ],
  [
    'docker service create --name api --publish published=8080,mode=host nginx',
    44,
    `invalid argument "published=8080,mode=host" for "--publish" flag: missing mandatory field 'target'`,
  ],
  [
    'docker service create --name api --publish target=80,mode=bridge nginx',
    44,
    `invalid argument "target=80,mode=bridge" for "--publish" flag: invalid publish mode value (bridge): must be either 'ingress' or 'host'`,
  ],
  [
    'docker service create --name api --placement-pref pack=node.labels.zone nginx',
    51,
    'invalid argument "pack=node.labels.zone" for "--placement-pref" flag: unsupported placement preference pack (only spread is supported)',
  ],
  [
    'docker service create --name api --secret target=/x nginx',
    43,
    'invalid argument "target=/x" for "--secret" flag: source is required',
  ],
  [
    'docker node update --availability paused worker-1',
    35,
    'invalid argument "paused" for "--availability" flag: invalid Availability: "paused"',
  ],
  [
    'docker swarm join --hostname worker-2 --token boss',
    47,
    'invalid argument "boss" for "--token" flag: the model stands a join token for the role: use manager or worker',
  ],
  [
    'docker service update --force=maybe web',
    23,
    'invalid argument "maybe" for "--force" flag: strconv.ParseBool: parsing "maybe": invalid syntax',
  ],
  ['docker service scale web=lots', 26, 'web: invalid replicas value lots: parsing "lots": invalid syntax'],
  ['docker service scale web', 22, "invalid scale specifier 'web'"],
  ['wait 5', 6, 'invalid duration "5": time: missing unit in duration "5"'],
  ['wait soon', 6, 'invalid duration "soon": time: invalid duration "soon"'],
  ['exit web.1 300', 12, 'exit code must be a whole number from 0 to 255, got "300"'],
  ['docker service create --name api "nginx', 34, 'unterminated double quote'],
  // combinations docker refuses at the CLI (docker/cli:cli/command/service/opts.go (ToServiceMode))
  [
    'docker service create --name api --mode global --replicas 2 nginx',
    48,
    'replicas can only be used with replicated or replicated-job mode',
  ],
  [
    'docker service create --name api --mode global --replicas-max-per-node 1 nginx',
    48,
    'replicas-max-per-node can only be used with replicated or replicated-job mode',
  ],
  [
    'docker service create --name api --mode daemon nginx',
    41,
    'unknown mode: daemon, only replicated and global supported',
  ],
  [
    'docker service update --rollback --image nginx:2 web',
    34,
    'other flags may not be combined with --rollback',
  ],
  // missing arguments
  ['docker service create --name api', 16, "'docker service create' requires at least 1 argument"],
  ['docker service update --image nginx:2', 16, "'docker service update' requires 1 argument"],
  ['docker service create --name api --replicas', 34, 'flag needs an argument: --replicas'],
  ['docker node promote', 13, "'docker node promote' requires at least 1 argument"],
  ['docker node update --availability drain', 13, "'docker node update' requires 1 argument"],
  [
    'docker node update --availability drain worker-1 worker-2',
    50,
    "'docker node update' requires 1 argument",
  ],
  [
    'docker swarm join --token worker',
    14,
    "'docker swarm join' needs --hostname NAME: it names the joining machine",
  ],
  [
    'docker service create --replicas 2 nginx',
    16,
    "'docker service create' needs --name NAME in a scenario (docker would make a random name up)",
  ],
  ['crash', 1, "'crash' requires 1 argument: crash NODE"],
  ['heal now', 6, "'heal' accepts no arguments"],
  ['partition manager-1 worker-1', 1, "'partition' needs at least two groups: partition A B | C D"],
  ['exit', 1, "'exit' requires a task: exit TASK [CODE]"],
  // names that do not exist when the line runs
  ['docker node update --availability drain worker-9', 41, 'no such node: worker-9'],
  ['docker node promote worker-1 worker-7', 30, 'no such node: worker-7'],
  ['docker service scale web=3 api=2', 28, 'no such service: api'],
  ['docker service rm nope', 19, 'no such service: nope'],
  ['docker service ps nope', 19, 'no such service: nope'],
  // Names match exactly, not case-insensitively (controlapi/service.go (ListServices): filterContains).
  ['docker service ps WEB', 19, 'no such service: WEB'],
  ['crash worker-3', 7, 'no such node: worker-3'],
  ['partition manager-1 | worker-5', 23, 'no such node: worker-5'],
  ['exit web.7 1', 6, 'no such task: web.7'],
  ['reject api.1', 8, 'no such task: api.1'],
];

const dir = mkdtempSync(join(tmpdir(), 'swarm-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function runFile(text: string): Promise<{ code: number; out: string; err: string }> {
  const file = join(dir, 'case.swarm');
  writeFileSync(file, text);
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => out.push(a.join(' '));
  console.error = (...a: unknown[]) => err.push(a.join(' '));
  try {
    const code = await main(['run', file]);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

describe('scenario error catalogue', () => {
  test('the catalogue is large enough to mean something', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  test('the prelude alone runs cleanly (so each failure below is the line under test)', async () => {
    const r = await runFile(PRELUDE.join('\n'));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  test.each(CASES)('%s', async (line, col, message) => {
    const r = await runFile(`${PRELUDE.join('\n')}\n${line}\n`);
    expect(r.err).toBe(`${join(dir, 'case.swarm')}:${LINE}:${col}: ${message}`);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
  });
});

describe('a reference that fits several objects is Docker refusing, not a malformed scenario', () => {
  test('each command refuses it in its own words and the run goes on', async () => {
    const lines = [
      ...PRELUDE,
      'docker service create --name api nginx',
      // The CLI resolves service ps itself (docker/cli:cli/command/service/ps.go (createFilter)).
      'docker service ps s',
      // The daemon resolves the rest (moby/moby:daemon/cluster/helpers.go (getNode)).
      'docker node update --availability drain n',
    ];
    const r = await runFile(`${lines.join('\n')}\n`);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('error         multiple services found with provided prefix: s');
    expect(r.out).toContain('error         node n is ambiguous (2 matches found)');
  });
});
