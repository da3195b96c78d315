import { defineConfig } from 'vitest/config';

/**
 * The browser test (`npm run test:e2e`): opens reports/index.html in Debian's chromium through
 * playwright-core. Kept out of `npm test` (its files end in .e2e.ts), so the main suite needs no browser.
 */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
  },
});
