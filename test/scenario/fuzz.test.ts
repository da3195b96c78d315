/**
 * Fuzzing the scenario parser: whatever a line holds, parsing it either yields a step or throws an
 * InputError whose column lies on the line. Never a TypeError, never a stack trace for the user.
 * Lines are built from the language's real vocabulary (commands, flags, plausible and implausible
 * values), then mutated; a second property feeds arbitrary strings, including control characters.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { InputError } from '../../cli/errors.ts';
import { isControl, parseLine } from '../../scenario/parse.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);

const HEADS = [
  'docker swarm init',
  'docker swarm join',
  'docker node update',
  'docker node promote',
  'docker node demote',
  'docker node rm',
  'docker node ls',
  'docker service create',
  'docker service update',
  'docker service scale',
  'docker service rollback',
  'docker service rm',
  'docker service ps',
  'docker secret create',
  'docker secret rm',
  'docker config create',
  'docker config rm',
  'docker network create',
  'docker',
  'docker service',
  'crash',
  'restart',
  'partition',
  'heal',
  'exit',
  'reject',
  'wait',
  'settle',
];

const FLAGS = [
  '--hostname',
  '--token',
  '--role',
  '--label',
  '--engine-label',
  '--cpus',
  '--memory',
  '--availability',
  '--os',
  '--arch',
  '--force-new-cluster',
  '--label-add',
  '--label-rm',
  '--force',
  '-f',
  '--name',
  '--replicas',
  '--mode',
  '--constraint',
  '--placement-pref',
  '--reserve-cpu',
  '--reserve-memory',
  '--replicas-max-per-node',
  '--publish',
  '-p',
  '--restart-condition',
  '--restart-delay',
  '--restart-max-attempts',
  '--restart-window',
  '--update-parallelism',
  '--update-delay',
  '--update-failure-action',
  '--update-monitor',
  '--update-max-failure-ratio',
  '--update-order',
  '--rollback-parallelism',
  '--rollback-delay',
  '--rollback-failure-action',
  '--rollback-monitor',
  '--rollback-max-failure-ratio',
  '--rollback-order',
  '--secret',
  '--config',
  '--network',
  '--endpoint-mode',
  '--image',
  '--constraint-add',
  '--constraint-rm',
  '--publish-add',
  '--publish-rm',
  '--secret-add',
  '--secret-rm',
  '--rollback',
  '--size',
  '--driver',
  '--attachable',
  '-d',
  '-q',
  '--',
  '--bogus',
  '-',
];

const VALUES = [
  'web',
  'worker-1',
  'manager-1',
  'nginx:1.25',
  '3',
  '0',
  '-1',
  '18446744073709551616',
  '5s',
  '1m30s',
  '500ms',
  '24h',
  '1.5h',
  '5x',
  '',
  '0.5',
  '1/4',
  '1/0',
  '512M',
  '4G',
  '4Q',
  'global',
  'replicated',
  'replicated-job',
  'any',
  'on-failure',
  'none',
  'pause',
  'continue',
  'rollback',
  'start-first',
  'drain',
  'active',
  '8080:80',
  '8080:80/udp',
  'published=8080,target=80,protocol=tcp,mode=host',
  'target=',
  'mode=host',
  '80:http',
  'node.role==manager',
  'spread=node.labels.zone',
  'pack=x',
  'source=s,target=t',
  'source=',
  'k=v',
  '=v',
  'web=3',
  'web=',
  '=3',
  '|',
  'a|b',
  'web.1',
  'web.worker-1',
  '255',
  '256',
  'true',
  'false',
  'maybe',
  '"quoted value"',
  "'single'",
  '\\',
  '"',
  "'",
  '#',
  '# comment',
  'µs',
  '9999999999999999h',
  '1e3',
  '.5',
  '5.',
];

const word = fc.oneof(fc.constantFrom(...FLAGS), fc.constantFrom(...VALUES), fc.string({ maxLength: 6 }));

/** A line from the vocabulary: a head, then flags and values, some glued as --flag=value. */
const grammarLine = fc
  .tuple(
    fc.constantFrom(...HEADS),
    fc.array(
      fc.oneof(
        word,
        fc.tuple(fc.constantFrom(...FLAGS), fc.constantFrom(...VALUES)).map(([f, v]) => `${f}=${v}`),
      ),
      { maxLength: 8 },
    ),
  )
  .map(([h, ws]) => [h, ...ws].join(' '));

/** Random damage: drop, duplicate or replace a character, insert a quote or a backslash. */
const mutated = fc
  .tuple(
    grammarLine,
    fc.array(
      fc.tuple(
        fc.nat(),
        fc.nat(4),
        fc.constantFrom('"', "'", '\\', '=', ',', '|', ' ', '\t', '-', '#', '\u0000', 'é'),
      ),
      { maxLength: 4 },
    ),
  )
  .map(([line, muts]) => {
    let s = line;
    for (const [pos, op, ch] of muts) {
      const i = s.length === 0 ? 0 : pos % s.length;
      if (op === 0) s = s.slice(0, i) + s.slice(i + 1);
      else if (op === 1) s = s.slice(0, i) + s[i] + s.slice(i);
      else if (op === 2) s = s.slice(0, i) + ch + s.slice(i + 1);
      else s = s.slice(0, i) + ch + s.slice(i);
    }
    return s;
  });

function check(line: string): void {
  try {
    parseLine(line, 7, 'fuzz.swarm');
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    expect(e.file).toBe('fuzz.swarm');
    expect(e.line).toBe(7);
    expect(e.col).toBeGreaterThanOrEqual(1);
    expect(e.col).toBeLessThanOrEqual(line.length + 1);
    expect(e.message.startsWith(`fuzz.swarm:7:${e.col}: `)).toBe(true);
    expect([...e.detail].some((c) => isControl(c.charCodeAt(0)))).toBe(false);
  }
}

describe('scenario parser fuzz', () => {
  test('grammar-built and mutated lines: a step or an InputError, nothing else', () => {
    fc.assert(
      fc.property(fc.oneof(grammarLine, mutated), (line) => check(line)),
      { numRuns: RUNS },
    );
  });

  test('arbitrary strings and bytes: a step or an InputError, nothing else', () => {
    const bytes = fc.uint8Array({ maxLength: 80 }).map((b) => Buffer.from(b).toString('latin1'));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80, unit: 'binary' }), bytes), (line) => check(line)),
      {
        numRuns: RUNS,
      },
    );
  });

  // Witnesses: the generator reaches both outcomes, so the properties above are not vacuous.
  test('witness: the grammar generator produces both valid steps and errors', () => {
    let ok = 0;
    let bad = 0;
    fc.assert(
      fc.property(grammarLine, (line) => {
        try {
          if (parseLine(line, 1, 'w.swarm')) ok++;
        } catch {
          bad++;
        }
      }),
      { numRuns: 2000, seed: 42 },
    );
    expect(ok).toBeGreaterThan(20);
    expect(bad).toBeGreaterThan(20);
  });
});
