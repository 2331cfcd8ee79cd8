/**
 * The entry point inside an LMS package (`npm run export`): maps the student's upload onto a
 * submission directory, grades it in a child process (`scripts/grade.ts`, with the hidden fixtures
 * packed in, if any), and writes the LMS's results file. The root of the LMS's directories comes
 * from an environment variable, so the tests can run it in a simulated root.
 *   gradescope:   $OPTNN_AUTOGRADER_ROOT (default /autograder): reads submission/, writes results/results.json
 *   prairielearn: $OPTNN_GRADE_ROOT (default /grade): reads student/, writes results/results.json
 * A harness fault never leaves the LMS without a results file: it writes one that says so, and
 * exits 1 (as for a grading with grader errors), so the LMS shows the TA a failed run, never a
 * silent 0 with exit 0. The work directory (the mapped upload, the grader's outputs) is removed
 * once the results are read.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { validateOrThrow } from '../contract/validate.js';
import { HarnessError } from '../course/errors.js';
import { PROJECT_ROOT } from '../runner/build.js';
import { SubmissionResult } from '../results/model.js';
import { GradescopeResults } from '../results/reporters/gradescope-schema.js';
import { toGradescope } from '../results/reporters/gradescope.js';
import { mapUpload } from '../services/packages/export-upload.js';
import { notGradable, toPrairieLearn } from '../services/packages/export-prairielearn.js';
import { defineCommand } from './cli/command.js';

const TARGETS = {
  gradescope: { env: 'OPTNN_AUTOGRADER_ROOT', root: '/autograder', upload: 'submission' },
  prairielearn: { env: 'OPTNN_GRADE_ROOT', root: '/grade', upload: 'student' },
} as const;
type Target = keyof typeof TARGETS;

function hiddenDir(root: string, target: Target): string | undefined {
  const candidates = [
    join(PROJECT_ROOT, 'hidden'),
    ...(target === 'prairielearn' ? [join(root, 'tests', 'hidden')] : []),
  ];
  return candidates.find((d) => existsSync(join(d)));
}

interface Graded {
  result?: SubmissionResult;
  notes: string[];
  found: boolean;
  fault?: string;
  /** The upload was refused (over the upload limits, a damaged zip): why. */
  refused?: string;
}

async function gradeUpload(target: Target, root: string): Promise<Graded> {
  const work = mkdtempSync(join(PROJECT_ROOT, '.work', `${target}-`));
  try {
    return await gradeIn(work, target, root);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function gradeIn(work: string, target: Target, root: string): Promise<Graded> {
  const mapped = mapUpload(join(root, TARGETS[target].upload), join(PROJECT_ROOT, 'student-template'), work);
  if (mapped.refused !== undefined) return { notes: [], found: false, refused: mapped.refused };
  if (!mapped.found) return { notes: mapped.notes, found: false };
  const hidden = hiddenDir(root, target);
  const run = await execa(
    process.execPath,
    [
      '--import',
      'tsx',
      join(PROJECT_ROOT, 'scripts', 'grade.ts'),
      mapped.dir,
      '--out',
      join(work, 'out'),
      ...(hidden ? ['--hidden', hidden] : []),
    ],
    {
      cwd: PROJECT_ROOT,
      reject: false,
      all: true,
      stdin: 'ignore',
      extendEnv: false,
      env: { OPTNN_PROGRESS: '0', PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    },
  );
  const path = join(work, 'out', 'submission', 'results.json');
  if (!existsSync(path)) {
    console.error(run.all);
    return {
      notes: mapped.notes,
      found: true,
      fault: `the grader ended (exit code ${run.exitCode ?? run.signal}) without results`,
    };
  }
  return {
    result: validateOrThrow(SubmissionResult, JSON.parse(readFileSync(path, 'utf8')), path),
    notes: mapped.notes,
    found: true,
  };
}

function write(path: string, value: unknown): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Gradescope's results: the reporter's, with what was graded first; or a score of 0 that says why. */
function gradescopeResults(graded: Graded, problem: string | undefined): GradescopeResults {
  if (graded.result) {
    const results = toGradescope(graded.result);
    return { ...results, output: [...graded.notes, results.output ?? ''].join('\n') };
  }
  const output = [...graded.notes, problem ?? 'Nothing was graded.'].join('\n');
  return validateOrThrow(
    GradescopeResults,
    { score: 0, output, output_format: 'text', visibility: 'visible', tests: [] },
    'the Gradescope results',
  );
}

export const command = defineCommand({
  name: 'autograde',
  synopsis: 'node --import tsx scripts/autograde.ts gradescope|prairielearn',
  summary:
    "Grades the LMS's upload and writes its results file (root from $OPTNN_AUTOGRADER_ROOT or $OPTNN_GRADE_ROOT).",
  positionals: [
    {
      name: 'TARGET',
      description: 'the LMS whose directories are read and written',
      choices: ['gradescope', 'prairielearn'],
    },
  ],
  flags: {},
});

/** Bad usage is exit 2 with the help; any other fault is a harness fault (exit 1, below). */
async function main(): Promise<void> {
  let parsed: ReturnType<typeof command.parse>;
  try {
    parsed = command.parse(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof HarnessError)) throw error;
    console.error(`error [${error.code}]: ${error.message}\n\n${command.usage}`);
    process.exitCode = 2;
    return;
  }
  if (parsed === undefined) console.log(command.usage);
  else await autograde(parsed.positionals.TARGET);
}

async function autograde(target: Target): Promise<void> {
  const root = process.env[TARGETS[target].env] || TARGETS[target].root;
  const out = join(root, 'results', 'results.json');
  mkdirSync(join(PROJECT_ROOT, '.work'), { recursive: true });
  let graded: Graded;
  try {
    graded = await gradeUpload(target, root);
  } catch (error) {
    console.error(`autograde: ${error instanceof Error ? error.message : String(error)}`);
    graded = {
      notes: [],
      found: true,
      fault: `the grader failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const staff = 'This is a fault of the autograder, not of your code: please tell the course staff.';
  const problem = graded.found ? `Autograder error: ${graded.fault}. ${staff}` : graded.refused;
  if (target === 'gradescope') write(out, gradescopeResults(graded, problem));
  else if (graded.result) write(out, toPrairieLearn(graded.result, graded.notes));
  else
    write(
      out,
      notGradable(problem ?? 'Nothing to grade: your files hold no part of the submission.', graded.notes),
    );
  console.log(
    `autograde (${target}): wrote ${out}${graded.result ? `: ${graded.result.score}/${graded.result.maxScore} points` : ''}`,
  );
  const errors = graded.result?.graderErrors ?? 0;
  if (graded.fault !== undefined || errors > 0) {
    console.error(
      `autograde (${target}): harness fault: ${graded.fault ?? `${errors} test(s) are grader errors (see ${out})`}`,
    );
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(`autograde: harness fault: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
