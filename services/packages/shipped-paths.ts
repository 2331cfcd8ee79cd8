/**
 * What ships: the harness that grades, as both the student repository (scripts/release.ts) and an
 * LMS package (export-package.ts) hold it. Each extends HARNESS_PATHS with its own additions and
 * NEVER_SHIPPED with its own exclusions, so a new part of the harness is added here once.
 */

/** The project's paths every shipped tree holds (directories are copied whole). */
export const HARNESS_PATHS: readonly string[] = [
  'course',
  'contract',
  'runner',
  'graders',
  'results',
  'reports',
  'fixtures/public',
];

/** Never shipped, even inside a directory above: the buggy optimizers and the hidden fixtures. */
export const NEVER_SHIPPED: readonly string[] = ['graders/mistakes', 'fixtures/hidden'];
