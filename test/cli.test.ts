import { describe, expect, test } from 'vitest';
import { parseArgs } from '../cli/args.ts';
import { UsageError } from '../cli/errors.ts';
import { main } from '../cli/main.ts';

function capture(fn: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => out.push(a.join(' '));
  console.error = (...a: unknown[]) => err.push(a.join(' '));
  return fn()
    .then((code) => ({ code, out: out.join('\n'), err: err.join('\n') }))
    .finally(() => {
      console.log = log;
      console.error = error;
    });
}

describe('cli', () => {
  test('an unknown command is a one-line usage error with exit 2', async () => {
    const r = await capture(() => main(['frobnicate']));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^swarm-model: unknown command 'frobnicate'/);
    expect(r.err.split('\n')).toHaveLength(1);
  });

  test('--help lists the commands and exits 0', async () => {
    const r = await capture(() => main(['--help']));
    expect(r.code).toBe(0);
    expect(r.out).toContain('Usage: swarm-model COMMAND');
  });

  test('flags: unknown flag and missing value are refused', () => {
    const specs = [
      { name: 'json', help: '' },
      { name: 'seed', value: 'N', help: '' },
    ];
    expect(() => parseArgs('run', ['--nope'], specs)).toThrow(UsageError);
    expect(() => parseArgs('run', ['--seed'], specs)).toThrow(/needs a value/);
    const p = parseArgs('run', ['f.swarm', '--json', '--seed=7'], specs);
    expect(p.positional).toEqual(['f.swarm']);
    expect(p.flags.get('json')).toBe(true);
    expect(p.flags.get('seed')).toBe('7');
  });
});
