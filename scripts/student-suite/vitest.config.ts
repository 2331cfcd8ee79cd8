import { configDefaults, defineConfig } from 'vitest/config';
import PartOrder from './part-order.js';
import { tfjsAlias } from '../../runner/course-tfjs.js';

/**
 * The grading suite as students run it: `npx vitest run --config scripts/student-suite/vitest.config.ts`
 * (in a student repository, `npm test`, or `npx vitest`, whose root config re-exports this one).
 * OPTNN_SUBMISSION names the directory to grade (default `submission/`). The score reporter prints
 * the total and the report's path as the last lines.
 *
 * Two projects. `graded`: one file per part (`parts/adam.test.ts`), in the manifest's order, in one
 * process that keeps its modules between files (so the grader, a prebuilt bundle, loads once and
 * the session sees every part's verdicts). `yours`: the student's own tests (`submission/**\/*.test.ts`), each file
 * isolated as vitest does by default, in other processes than the grading's; they are never graded,
 * nor built into the grading's child (it bundles only what index.ts imports). In watch mode a change
 * under the submission reruns the suite (the graded code is built by esbuild, outside vitest's
 * module graph, so vitest would not see it change).
 */
export default defineConfig({
  // `@tensorflow/tfjs` is the course's module (runner/course-tfjs.ts), in the student's own tests too.
  resolve: { alias: tfjsAlias() },
  test: {
    forceRerunTriggers: [...configDefaults.forceRerunTriggers, '**/submission/**'],
    reporters: ['default', './scripts/student-suite/score-reporter.ts'],
    sequence: { sequencer: PartOrder },
    testTimeout: 120_000,
    hookTimeout: 600_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'graded',
          include: ['scripts/student-suite/parts/*.test.ts'],
          globalSetup: ['./scripts/student-suite/global-setup.ts'],
          pool: 'forks',
          isolate: false,
          fileParallelism: false,
          // The grading session's prebuilt bundle loads as Node loads it, not through vite.
          server: { deps: { external: [/\/\.work\/commands\//] } },
        },
      },
      {
        extends: true,
        test: { name: 'yours', include: ['submission/**/*.test.ts'], pool: 'forks' },
      },
    ],
  },
});
