import { expect, test } from 'vitest';
import { main } from '../../cli/main.ts';

test('swarm-model quorum prints the computed table; bad flags exit 2', async () => {
  const out: string[] = [];
  const log = console.log;
  const write = process.stderr.write;
  console.log = (...a: unknown[]) => out.push(a.join(' '));
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    expect(await main(['quorum', '--max', '4', '--salts', '1', '--random', '0'])).toBe(0);
    const rows = out
      .filter((l) => /^\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+$/.test(l))
      .map((l) => l.trim().split(/\s+/).map(Number));
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      [1, 1, 0],
      [2, 2, 0],
      [3, 2, 1],
      [4, 3, 1],
    ]);
    expect(await main(['quorum', '--max', '10'])).toBe(2);
  } finally {
    console.log = log;
    process.stderr.write = write;
  }
});
