import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The grading suite as students run it: `npx vitest run --config scripts/student-suite/vitest.config.ts`
 * (in a student repository, `npm test`). OPTNN_SUBMISSION names the directory to grade (default
 * `submission/`). The score reporter prints the total and the report's path as the last lines.
 * A student's own tests (`submission/**\/*.test.ts`) run beside the graded ones; they are never
 * graded, nor built into the grading's child (it bundles only what index.ts imports). In watch mode
 * a change under the submission reruns the suite (the graded code is built by esbuild, outside
 * vitest's module graph, so vitest would not see it change).
 */
export default defineConfig({
  test: {
    include: ['scripts/student-suite/**/*.test.ts', 'submission/**/*.test.ts'],
    forceRerunTriggers: [...configDefaults.forceRerunTriggers, '**/submission/**'],
    reporters: ['default', './scripts/student-suite/score-reporter.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 600_000,
  },
});
