import { defineConfig } from 'vitest/config';

/**
 * The grading suite as students run it: `npx vitest run --config scripts/student-suite/vitest.config.ts`
 * (in a student repository, `npm test`). OPTNN_SUBMISSION names the directory to grade (default
 * `submission/`). The score reporter prints the total and the report's path as the last lines.
 */
export default defineConfig({
  test: {
    include: ['scripts/student-suite/**/*.test.ts'],
    reporters: ['default', './scripts/student-suite/score-reporter.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
