import { defineConfig } from 'vitest/config';

/**
 * The grading suite as students run it: `npx vitest run --config graders/vitest.config.ts`
 * (in a student repository, `npm test`). OPTNN_SUBMISSION names the directory to grade.
 */
export default defineConfig({
  test: {
    include: ['graders/suites/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
