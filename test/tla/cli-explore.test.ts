import { describe, expect, test } from 'vitest';
import { main } from '../../cli/main.ts';

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => out.push(a.join(' '));
  console.error = (...a: unknown[]) => err.push(a.join(' '));
  try {
    const code = await main(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

describe('swarm-model explore', () => {
  test('without --profile it names the profiles that exist (exit 2)', async () => {
    const r = await capture(['explore']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^swarm-model explore: choose a model with --profile NAME\. Available profiles: swarmkit-tla/,
    );
    expect(r.err.split('\n')).toHaveLength(1);
  });

  test('--profile swarmkit-tla prints TLC-style figures for the reference config', async () => {
    const r = await capture(['explore', '--profile', 'swarmkit-tla', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      'Node={n1} ServiceId={s1} TaskId={t1, t2} maxReplicas=1 maxTerminated=1 maxEvents=-1',
    );
    expect(r.out).toContain('Model checking completed. No error has been found.');
    expect(r.out).toContain('33,593 states generated, 5,190 distinct states found, 0 states left on queue.');
    expect(r.out).toContain('The depth of the complete state graph search is 24.');
  });

  test('bad constants are one-line usage errors', async () => {
    const r = await capture(['explore', '--profile', 'swarmkit-tla', '--task-ids', '1']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Cardinality\(TaskId\) >= 1 \+ maxTerminated/);
    const u = await capture(['explore', '--profile', 'nope']);
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/unknown profile 'nope'/);
  });

  test('--help names each constant and where its default comes from', async () => {
    const r = await capture(['explore', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/--nodes N .*\(default 1: design\/tla\/models\/SwarmKit\.cfg\)/);
    expect(r.out).toMatch(/--max-events N .*default -1: EventCounter\.tla/);
  });
});
