import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    // tfjs keeps global engine state; one file per fork keeps tests independent.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
