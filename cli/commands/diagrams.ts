import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDiagrams, withReadmeDiagram } from '../../machines/diagrams.ts';
import { parseArgs } from '../args.ts';
import type { Command } from '../command.ts';
import { CheckFailed, UsageError } from '../errors.ts';

/** The package root (where README.md and reports/ live), whatever the working directory. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIAGRAM_DIR = join(PACKAGE_ROOT, 'reports', 'diagrams');
const README = join(PACKAGE_ROOT, 'README.md');

const readOrEmpty = (path: string) => readFile(path, 'utf8').catch(() => '');

/**
 * What `swarm-model diagrams` would write, compared with what is on disk: the paths (relative to the
 * package root) whose content differs, the README's task diagram included.
 */
export async function staleDiagramFiles(): Promise<string[]> {
  const files = await generateDiagrams();
  const stale: string[] = [];
  for (const [name, content] of files) {
    const path = join(DIAGRAM_DIR, name);
    if ((await readOrEmpty(path)) !== content) stale.push(relative(PACKAGE_ROOT, path));
  }
  const readme = await readOrEmpty(README);
  if (withReadmeDiagram(readme, files.get('task.mmd')!) !== readme) stale.push('README.md');
  return stale;
}

export const diagramsCommand: Command = {
  name: 'diagrams',
  usage: '[--out DIR] [--check]',
  summary: 'Write the state diagrams of the machines (DOT, Mermaid, SVG) to reports/diagrams/',
  flags: [
    { name: 'out', value: 'DIR', help: 'write the 12 files here instead (README.md is then left alone)' },
    { name: 'check', help: 'write nothing; exit 1 if reports/diagrams/ or the README diagram is stale' },
  ],
  async run(argv) {
    const args = parseArgs('diagrams', argv, this.flags);
    if (args.positional.length > 0)
      throw new UsageError(`swarm-model diagrams: unexpected argument '${args.positional[0]}'`);
    if (args.flags.has('check')) {
      if (args.flags.has('out'))
        throw new UsageError('swarm-model diagrams: --check compares the committed files; it takes no --out');
      const stale = await staleDiagramFiles();
      if (stale.length > 0)
        throw new CheckFailed(
          `swarm-model diagrams: stale: ${stale.join(', ')}; run \`npm run diagrams\` and commit the result`,
        );
      console.log('diagrams: up to date');
      return 0;
    }
    const out = args.flags.get('out');
    const dir = typeof out === 'string' ? resolve(out) : DIAGRAM_DIR;
    const files = await generateDiagrams();
    await mkdir(dir, { recursive: true });
    for (const [name, content] of files) await writeFile(join(dir, name), content);
    let readmeNote = '';
    if (dir === DIAGRAM_DIR) {
      const readme = await readFile(README, 'utf8');
      const updated = withReadmeDiagram(readme, files.get('task.mmd')!);
      if (updated !== readme) await writeFile(README, updated);
      readmeNote = updated !== readme ? '; README.md task diagram updated' : '';
    }
    const shown = relative(process.cwd(), dir) || '.';
    console.log(
      `diagrams: wrote ${files.size} files to ${shown} (${[...files.keys()].join(' ')})${readmeNote}`,
    );
    return 0;
  },
};
