import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The real-Thunderbird run is its own project in the root vitest.config.ts.
    exclude: ['test/e2e/**'],
  },
});
