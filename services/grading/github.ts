/**
 * GitHub Actions output of a graded submission: one annotation per failed visible test, on the file
 * (and line) the harness knows it concerns, and the untrusted part of the log fenced off so that no
 * text of the submission is read as a workflow command.
 */
import { randomUUID } from 'node:crypto';
import { relative } from 'node:path';
import type { SubmissionResult, TestResult } from '../../results/model.js';
import { studentViewOf } from '../../results/student-view.js';

/** The submission file each test grades, by test id (the layout of the contract and the template). */
const OPTIMIZER_FILES: Record<string, string> = {
  GD: 'optimizers/gd.ts',
  SGDwM: 'optimizers/sgdwm.ts',
  NAGD: 'optimizers/nagd.ts',
  SGDwMLD: 'optimizers/sgdwmld.ts',
  AdaGrad: 'optimizers/adagrad.ts',
  RMSProp: 'optimizers/rmsprop.ts',
  Adam: 'optimizers/adam.ts',
};
const OTHER_FILES: Record<string, string> = {
  nets: 'nets.ts',
  data: 'data.ts',
  'training.step': 'training.ts',
  'training.loop': 'training.ts',
  tuning: 'tuning.json',
};

export interface Location {
  file: string;
  line?: number;
}

/** Where a failed test points: a compile error's file and line when the message gives one, else the test's file. */
export function locationOf(test: TestResult): Location | undefined {
  const compile = /^ {2}([\w./-]+\.(?:ts|js|mts|json)):(\d+): /m.exec(test.message);
  if (compile && !compile[1]!.includes('..')) return { file: compile[1]!, line: Number(compile[2]) };
  const optimizer = /^optimizer\.(\w+)\./.exec(test.id)?.[1];
  const file = optimizer !== undefined ? OPTIMIZER_FILES[optimizer] : OTHER_FILES[test.id];
  return file === undefined ? undefined : { file };
}

const escapeData = (text: string): string =>
  text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (text: string): string => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** The annotation commands for a result; `submissionDir` relative to the workspace names the files. */
export function annotations(
  result: SubmissionResult,
  submissionDir: string,
  workspace: string = process.cwd(),
): string[] {
  const base = relative(workspace, submissionDir) || '.';
  return result.tests
    .filter((t) => t.status !== 'passed' && t.visibility === 'visible')
    .map((test) => {
      const where = locationOf(test);
      const props = [
        ...(where ? [`file=${escapeProperty(`${base}/${where.file}`)}`] : []),
        ...(where?.line !== undefined ? [`line=${where.line}`] : []),
        `title=${escapeProperty(`${test.id} (${test.points}/${test.maxPoints})`)}`,
      ];
      return `::${test.status === 'error' ? 'warning' : 'error'} ${props.join(',')}::${escapeData(test.message)}`;
    });
}

/**
 * Runs `print` with workflow commands turned off (`::stop-commands::`), so that a submission's text
 * in the log cannot issue one; returns after turning them back on.
 */
export function withoutWorkflowCommands(
  print: () => void,
  write: (line: string) => void = console.log,
): void {
  const token = randomUUID().replace(/-/g, '');
  write(`::stop-commands::${token}`);
  try {
    print();
  } finally {
    write(`::${token}::`);
  }
}

/**
 * The result GitHub Classroom's grading reporter (classroom-resources/autograding-grading-reporter)
 * reads from `<RUNNER>_RESULTS`, base64-encoded: the harness's own points, visible test by visible
 * test, and the withheld tests of each visibility as one entry with their points together
 * (results/student-view.ts).
 */
export function classroomResult(result: SubmissionResult): string {
  // Classroom shows the student every test it is given and records their points: the LMS's view.
  const view = studentViewOf(result, 'lms');
  const status = (t: TestResult): string =>
    t.status === 'passed' ? 'pass' : t.status === 'error' ? 'error' : 'fail';
  const value = {
    version: 1,
    status:
      view.graderErrors > 0 ? 'error' : view.tests.every((t) => t.status === 'passed') ? 'pass' : 'fail',
    max_score: view.maxScore,
    tests: [
      ...view.tests.map((t) => ({
        name: `${t.id}: ${t.name}`,
        status: status(t),
        score: t.points,
        message: t.message,
        test_code: t.id,
        filename: '',
        line_no: 0,
        execution_time: `${(t.durationMs / 1000).toFixed(2)}s`,
      })),
      ...view.withheld.map((g) => ({
        name: `Withheld tests (${g.tests.length}): ${g.tests.map((t) => t.id).join(', ')}`,
        status: 'pass',
        score: g.points ?? 0,
        message: g.note,
        test_code: `withheld.${g.visibility}`,
        filename: '',
        line_no: 0,
        execution_time: '0.00s',
      })),
    ],
  };
  return Buffer.from(JSON.stringify(value)).toString('base64');
}
