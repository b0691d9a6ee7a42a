import { defineConfig } from 'vitest/config';

/**
 * The whole suite: the shared package, the Thunderbird add-on (on a fake
 * Thunderbird host), and the API on PGlite — and again on
 * PostgreSQL when TEST_DATABASE_URL is set (each test file gets its own fresh
 * database there).
 */
const api = {
  root: 'packages/api',
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      { test: { name: 'shared', root: 'packages/shared', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] } },
      { test: { name: 'addon', root: 'packages/addon', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: ['test/e2e/**'] } },
      // A real Thunderbird under Xvfb (packages/addon/test/e2e): minutes, not seconds.
      {
        test: {
          name: 'addon e2e (thunderbird)',
          root: 'packages/addon',
          include: ['test/e2e/**/*.e2e.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
      { test: { ...api, name: 'api (pglite)', env: { TEST_DB: 'pglite' } } },
      ...(process.env.TEST_DATABASE_URL ? [{ test: { ...api, name: 'api (postgres)', env: { TEST_DB: 'postgres' } } }] : []),
    ],
  },
});
