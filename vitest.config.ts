import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.test.ts'],
    // Property files run long random walks; the default 5 s would turn a slow machine into a red build.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
