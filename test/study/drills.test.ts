/**
 * Drills: deterministic per seed, answers read from the model (checked here against independent
 * facts), and the CLI takes answers from --answers or from a pipe.
 */
import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { main } from '../../cli/main.ts';
import { drillsFor } from '../../study/drills.ts';

test('the same seed gives the same drills; another seed, others', () => {
  expect(JSON.stringify(drillsFor(7, 5))).toBe(JSON.stringify(drillsFor(7, 5)));
  expect(JSON.stringify(drillsFor(7, 5))).not.toBe(JSON.stringify(drillsFor(8, 5)));
});

test('quorum drills: "can you create a service" is yes exactly when a majority of managers is up', () => {
  let seen = 0;
  for (let seed = 1; seed <= 25; seed++)
    for (const d of drillsFor(seed, 5)) {
      const m = /^(\d+) managers, (\d+) down/.exec(d.title);
      if (!m) continue;
      seen++;
      const [n, down] = [Number(m[1]), Number(m[2])];
      expect(d.statements[0].answer).toBe(n - down >= Math.floor(n / 2) + 1);
      // Without a leader, reads fail too.
      expect(d.statements[2].answer).toBe(d.statements[0].answer);
    }
  expect(seen).toBeGreaterThan(5);
});

test('restart drills follow the restart condition', () => {
  for (let seed = 1; seed <= 25; seed++)
    for (const d of drillsFor(seed, 5)) {
      const m = /^--restart-condition (\S+), a container exits with code (\d)/.exec(d.title);
      if (!m) continue;
      const restarts = m[1] === 'any' || (m[1] === 'on-failure' && m[2] === '1');
      expect(d.statements[0].answer).toBe(restarts);
      expect(d.statements[1].answer).toBe(false); // never the same task
    }
});

async function capture(argv: string[]): Promise<{ code: number; out: string }> {
  const logs: string[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => void logs.push(a.join(' '));
  try {
    return { code: await main(argv), out: logs.join('\n') };
  } finally {
    console.log = orig;
  }
}

test('--answers scores the drills without a terminal', async () => {
  const ds = drillsFor(1, 2);
  const right = ds.flatMap((d) => d.statements.map((s) => (s.answer ? 'yes' : 'no'))).join(',');
  const r = await capture(['study', '--drill', '--seed', '1', '--count', '2', '--answers', right]);
  expect(r.code).toBe(0);
  expect(r.out).toContain(`score: ${ds.length * 3}/${ds.length * 3}`);
  const bad = await capture(['study', '--drill', '--count', '2', '--answers', 'yes']);
  expect(bad.code).toBe(2);
});

test('answers can be piped on stdin', () => {
  const ds = drillsFor(4, 1);
  const wrong = ds[0].statements.map((s) => (s.answer ? 'n' : 'y')).join('\n');
  const r = spawnSync(
    process.execPath,
    ['bin/swarm-model.js', 'study', '--drill', '--seed', '4', '--count', '1'],
    {
      input: `maybe\n${wrong}\n`,
      encoding: 'utf8',
    },
  );
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('please answer yes or no');
  expect(r.stdout).toContain('score: 0/3');
});
