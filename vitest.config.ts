import { defineConfig } from 'vitest/config';
import { tfjsAlias } from './runner/course-tfjs.js';

export default defineConfig({
  // `@tensorflow/tfjs` is the course's module (runner/course-tfjs.ts).
  resolve: { alias: tfjsAlias() },
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
