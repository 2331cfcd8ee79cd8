/**
 * `npm run release -- --out DIR`: builds the student starter repository: the template (as
 * `submission/`), the course helpers, the public graders and fixtures, a package.json whose
 * `npm test` grades, a README for students, and a GitHub Actions workflow that grades every pull
 * request. It never contains the reference solution, the buggy optimizers of the fingerprints, or
 * hidden fixtures; the release test builds one and searches it.
 */
import {
  OPTIONAL_PACKAGE_TYPES,
  starterLockfile,
  starterPackage,
} from '../services/packages/starter-package.js';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { HarnessError } from '../course/errors.js';
import { PROJECT_ROOT } from '../runner/build.js';
import { defineCommand, runCommand } from './cli/command.js';
import { scriptFilesOf } from '../services/packages/script-files.js';
import { HARNESS_PATHS, NEVER_SHIPPED } from '../services/packages/shipped-paths.js';

/** The starter's commands (npm run grade, experiments, tune and its public tests): their scripts are listed from their imports. */
export const RELEASED_COMMANDS = [
  'scripts/grade.ts',
  // `npm run grade` (and batch grading's workers, services/grading/grade-command.ts) run through it.
  'scripts/run.mjs',
  'scripts/experiments.ts',
  'scripts/tune.ts',
  'scripts/student-suite/graded-part.ts',
  'scripts/student-suite/score-reporter.ts',
];
/** What a student repository holds besides those, from this project (directories are copied whole). */
export const RELEASE_PATHS = [...HARNESS_PATHS, 'scripts/student-suite'];

export const SPEC_PATH = join(PROJECT_ROOT, 'assignment', 'SPEC.md');

export const command = defineCommand({
  name: 'release',
  synopsis: 'npm run release -- --out DIR',
  summary: 'Builds the student starter repository.',
  flags: {
    out: {
      type: 'string',
      required: true,
      value: 'DIR',
      description: 'where to write the student repository, new or empty',
    },
    spec: {
      type: 'string',
      path: 'file',
      value: 'FILE',
      description: `the assignment's SPEC.md (default ${SPEC_PATH})`,
    },
  },
  run: async ({ flags }) => {
    const out = resolve(flags.out);
    const files = buildRelease(out, flags.spec === undefined ? undefined : resolve(flags.spec));
    console.log(
      `wrote the student repository to ${out} (${files.length} files); its students run \`npm ci\` then \`npm test\``,
    );
  },
});

export function buildRelease(out: string, specPath = SPEC_PATH): string[] {
  if (existsSync(out) && readdirSync(out).length > 0)
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected --out to be a new or empty directory, got ${out}, which holds ${readdirSync(out).length} entries`,
    );
  if (!existsSync(specPath))
    throw new HarnessError(
      'OPTNN_DATA_MISSING',
      `The assignment's SPEC.md was not found at ${specPath} (give it with --spec)`,
    );
  mkdirSync(out, { recursive: true });
  // Never in a student repository, even inside a directory above.
  const skip = NEVER_SHIPPED.map((p) => join(PROJECT_ROOT, p));
  for (const path of [...RELEASE_PATHS, ...scriptFilesOf(RELEASED_COMMANDS)]) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    cpSync(join(PROJECT_ROOT, path), join(out, path), {
      recursive: true,
      filter: (src) => !skip.some((s) => src === s || src.startsWith(`${s}/`)),
    });
  }
  cpSync(join(PROJECT_ROOT, 'student-template'), join(out, 'submission'), { recursive: true });
  cpSync(specPath, join(out, 'SPEC.md'));
  cpSync(join(PROJECT_ROOT, 'assignment', 'original-notebook.txt'), join(out, 'original-notebook.txt'));
  cpSync(join(PROJECT_ROOT, 'release', 'student-readme.md'), join(out, 'README.md'));
  mkdirSync(join(out, '.github', 'workflows'), { recursive: true });
  for (const workflow of ['grade.yml', 'classroom.yml']) {
    cpSync(join(PROJECT_ROOT, 'release', 'workflows', workflow), join(out, '.github', 'workflows', workflow));
  }
  writeFileSync(join(out, '.gitignore'), 'node_modules/\nout/\n.work/\n');
  // `npx vitest` as vitest documents it (watch mode, -t, --reporter) finds the grading suite's config.
  writeFileSync(
    join(out, 'vitest.config.ts'),
    "// The public grading suite's configuration (npm test uses it too).\nexport { default } from './scripts/student-suite/vitest.config.js';\n",
  );

  // Its own package.json and lockfile: what a student's commands need, at the versions the TA tested.
  const pkg = starterPackage(
    JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>,
    {
      test: 'vitest run --config scripts/student-suite/vitest.config.ts',
      grade: 'exec node scripts/run.mjs grade',
      experiments: 'tsx scripts/experiments.ts',
      tune: 'tsx scripts/tune.ts',
      typecheck: 'tsc --noEmit',
    },
  );
  writeFileSync(join(out, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  const lock = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as Parameters<
    typeof starterLockfile
  >[0];
  writeFileSync(join(out, 'package-lock.json'), `${JSON.stringify(starterLockfile(lock, pkg), null, 2)}\n`);
  writeFileSync(join(out, 'course', 'optional-packages.d.ts'), OPTIONAL_PACKAGE_TYPES);
  const tsconfig = JSON.parse(readFileSync(join(PROJECT_ROOT, 'tsconfig.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  // The student's code and every shipped directory of TypeScript (the fixtures are data).
  const typed = HARNESS_PATHS.filter((p) => !p.startsWith('fixtures'));
  tsconfig['include'] = ['submission', ...typed, 'services', 'scripts'];
  tsconfig['exclude'] = ['out', '.work'];
  writeFileSync(join(out, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  return readdirSync(out, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(import.meta.filename))
  runCommand(command);
