/**
 * The `machines` mutation group runs only MACHINE_TEST_FILES (vitest.mutation-machines.config.ts), on the
 * claim that no other test can reach machines/. This checks the claim on the import graph: every test
 * file of vitest.mutation.config.ts that imports machines/ (directly or through other modules) must be in
 * that list. A new test that uses the machines breaks this until it is added there.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { expect, test } from 'vitest';
import base from '../../vitest.mutation.config.ts';
import machinesConfig, { MACHINE_TEST_FILES } from '../../vitest.mutation-machines.config.ts';

const ROOT = normalize(join(dirname(new URL(import.meta.url).pathname), '../..'));
const SKIP = new Set(['node_modules', 'reports', '.git']);

function tsFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) tsFiles(p, out);
    else if (e.name.endsWith('.ts')) out.push(relative(ROOT, p));
  }
  return out;
}

/** Relative imports of a file, resolved to repository paths (static and dynamic `import`). */
function imports(file: string): string[] {
  const src = readFileSync(join(ROOT, file), 'utf8');
  const out: string[] = [];
  for (const m of src.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g))
    out.push(normalize(join(dirname(file), m[1])));
  return out;
}

const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*\*\//g, '(?:.*/)?')
      .replace(/\*/g, '[^/]*')}$`,
  );

test('only MACHINE_TEST_FILES among the mutation tests reach machines/', () => {
  const files = tsFiles(ROOT);
  const reaches = new Map<string, boolean>();
  const visit = (f: string, stack: Set<string>): boolean => {
    const known = reaches.get(f);
    if (known !== undefined) return known;
    if (f.startsWith('machines/')) return true;
    if (stack.has(f)) return false;
    stack.add(f);
    const r = imports(f).some((i) => files.includes(i) && visit(i, stack));
    stack.delete(f);
    reaches.set(f, r);
    return r;
  };
  const allowed = MACHINE_TEST_FILES.map(glob);
  const inc = (base.test?.include ?? []).map(glob);
  const exc = (base.test?.exclude ?? []).map(glob);
  const tests = files.filter((f) => inc.some((g) => g.test(f)) && !exc.some((g) => g.test(f)));
  const reaching = tests.filter((f) => visit(f, new Set()));
  // The scan itself works: the machine tests are found reaching machines/.
  expect(reaching).toContain('test/machines/machines.test.ts');
  expect(reaching).toContain('properties/updates.test.ts');
  const outside = reaching.filter((f) => !allowed.some((g) => g.test(f)));
  expect(outside).toEqual([]);
});

test('the machines group runs exactly MACHINE_TEST_FILES, not the base list as well', () => {
  // vitest's mergeConfig concatenates arrays: merging `include` kept all 54 base files (~40 s a mutant).
  expect(machinesConfig.test?.include).toEqual(MACHINE_TEST_FILES);
  expect(machinesConfig.test?.exclude).toEqual(base.test?.exclude);
  expect(machinesConfig.test?.env).toEqual(base.test?.env);
});

test('no mutation test file shares a computed result between tests (a ??= memo)', () => {
  // Stryker's per-test coverage credits the code that built a shared result to the first test that
  // asked for it; a later test that would kill a mutant there is then never run against it.
  const inc = (base.test?.include ?? []).map(glob);
  const exc = (base.test?.exclude ?? []).map(glob);
  const tests = tsFiles(ROOT).filter((f) => inc.some((g) => g.test(f)) && !exc.some((g) => g.test(f)));
  expect(tests.length).toBeGreaterThan(40);
  const self = 'test/machines/mutation-scope.test.ts'; // names the pattern, uses none
  const memo = tests.filter((f) => f !== self && /\?\?=/.test(readFileSync(join(ROOT, f), 'utf8')));
  expect(memo).toEqual([]);
});
