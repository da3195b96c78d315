/**
 * Every module under machines/ loads. Each one is imported inside a test, not at the top of the file:
 * a module that throws while loading (a broken machine config, a table built from a bad list) then
 * fails this test, where a top-level import would only leave the importing files with no tests, which
 * Stryker's vitest runner scores as a survivor (stryker-js#6150). Most of the machines group's static
 * mutants are caught here or nowhere.
 */
import { readdirSync } from 'node:fs';
import { expect, test } from 'vitest';

const MODULES = readdirSync(new URL('../../machines/', import.meta.url))
  .filter((f) => f.endsWith('.ts'))
  .sort();

test('machines/ holds the modules this test loads', () => {
  expect(MODULES).toContain('task.ts');
  expect(MODULES.length).toBeGreaterThanOrEqual(10);
});

test.each(MODULES)('machines/%s loads', async (file) => {
  // Rejects if the module throws while loading (meta.ts holds only types and exports nothing).
  await expect(import(`../../machines/${file}`)).resolves.toBeTypeOf('object');
});
