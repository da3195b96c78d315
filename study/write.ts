/**
 * Writes generated files under a directory, removing stale ones it owns (cards of claims that no
 * longer exist), so reports/study/ is exactly what the generator produces.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function writeFiles(root: string, files: Map<string, string>, owned: string[]): string[] {
  for (const dir of owned) {
    let names: string[] = [];
    try {
      names = readdirSync(join(root, dir));
    } catch {
      names = [];
    }
    for (const n of names) {
      const rel = `${dir}/${n}`;
      if ((n.endsWith('.md') || n.endsWith('.swarm')) && !files.has(rel)) rmSync(join(root, rel));
    }
  }
  for (const [rel, content] of files) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return [...files.keys()];
}
