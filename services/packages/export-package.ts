/**
 * The files of an LMS grader package: the harness that grades (as the student starter holds it,
 * plus the student template the upload is laid onto and the package's entry point), never the
 * reference solution, the buggy optimizers or the TA's tools; the hidden fixtures only when the TA
 * packs them in. The LMS-specific files (setup.sh, run_autograder, run, Dockerfile, info.json) come
 * from `release/lms/`.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HarnessError } from '../../course/errors.js';
import { PROJECT_ROOT } from '../../runner/build.js';
import { scriptFilesOf } from './script-files.js';
import { HARNESS_PATHS, NEVER_SHIPPED } from './shipped-paths.js';

/** The package's commands: grading, and the autograder's entry point; their scripts are listed from their imports. */
export const PACKAGED_COMMANDS = [
  'scripts/grade.ts',
  'scripts/autograde.ts',
  // Batch grading starts its workers through it (services/grading/grade-command.ts).
  'scripts/run.mjs',
];
/** The harness, plus the student template the upload is laid onto, and what tsx needs to run. */
export const PACKAGE_PATHS = [...HARNESS_PATHS, 'student-template', 'package-lock.json', 'tsconfig.json'];
/** Never in a package, even inside a directory above. */
export const NEVER_PACKED = [...NEVER_SHIPPED, 'node_modules', '.work'];

/** Writes the harness part of a package into `dir`; `hidden` is copied to `dir/hidden`. */
export function writeHarness(dir: string, hidden?: string): void {
  if (hidden !== undefined && !existsSync(join(hidden)))
    throw new HarnessError('OPTNN_BAD_OPTION', `The hidden fixtures directory ${hidden} does not exist`);
  const skip = NEVER_PACKED.map((p) => join(PROJECT_ROOT, p));
  for (const path of [...PACKAGE_PATHS, ...scriptFilesOf(PACKAGED_COMMANDS)]) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    cpSync(join(PROJECT_ROOT, path), join(dir, path), {
      recursive: true,
      filter: (src) =>
        !skip.some((s) => src === s || src.startsWith(`${s}/`)) && !src.includes('/node_modules'),
    });
  }
  if (hidden !== undefined) cpSync(hidden, join(dir, 'hidden'), { recursive: true });
  const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  pkg['description'] = 'Optimizing Neural Networks: the autograder';
  pkg['scripts'] = { grade: 'exec tsx scripts/grade.ts' };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
}

/** Copies `release/lms/<target>/*` into `dir`, keeping shell scripts executable. */
export function writeTargetFiles(target: 'gradescope' | 'prairielearn', dir: string): string[] {
  const from = join(PROJECT_ROOT, 'release', 'lms', target);
  const names = readdirSync(from);
  for (const name of names) {
    cpSync(join(from, name), join(dir, name));
    if (!name.includes('.') || name.endsWith('.sh')) chmodSync(join(dir, name), 0o755);
  }
  return names;
}

export function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}
