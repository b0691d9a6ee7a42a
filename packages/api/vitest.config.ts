import { defineConfig } from 'vitest/config';

const base = {
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
  // Each file opens its own database; two workers match the machines' two cores.
  maxWorkers: 2,
};

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

export default defineConfig({
  test: {
    projects: [
      { test: { ...base, name: 'api (pglite)', env: { TEST_DB: 'pglite' } } },
      ...(onPostgres ? [{ test: { ...base, name: 'api (postgres)', env: { TEST_DB: 'postgres' } } }] : []),
    ],
  },
});
