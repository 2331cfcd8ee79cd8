/**
 * PrairieLearn's external-grader results.json (https://prairielearn.readthedocs.io/en/latest/externalGrading/):
 * `gradable`, `score` in 0–1, a message, and one entry per test with points, max points, a message
 * and output. PrairieLearn shows every test to the student, so a test the model keeps hidden shows
 * its points but not its details ("hidden until grades are published").
 */
import { Type, type Static } from '@sinclair/typebox';
import { validateOrThrow } from '../../contract/validate.js';
import type { SubmissionResult } from '../../results/model.js';
import { graderErrorText, shownDetailsOf } from '../../results/reporters/reporter.js';

export const PrairieLearnTest = Type.Object(
  {
    name: Type.String(),
    description: Type.Optional(Type.String()),
    points: Type.Number({ minimum: 0 }),
    max_points: Type.Number({ minimum: 0 }),
    message: Type.Optional(Type.String()),
    output: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const PrairieLearnResults = Type.Object(
  {
    gradable: Type.Boolean(),
    score: Type.Number({ minimum: 0, maximum: 1 }),
    message: Type.Optional(Type.String()),
    output: Type.Optional(Type.String()),
    tests: Type.Optional(Type.Array(PrairieLearnTest)),
  },
  { additionalProperties: false },
);

export type PrairieLearnResults = Static<typeof PrairieLearnResults>;

export function toPrairieLearn(result: SubmissionResult, notes: readonly string[]): PrairieLearnResults {
  const visible = result.tests.filter((t) => t.visibility === 'visible');
  const passed = visible.filter((t) => t.status === 'passed').length;
  const fault =
    `Autograder error: ${result.graderErrors} test(s) could not be graded because of a fault in the grader, ` +
    'not in your code; please tell the course staff.';
  const message = [
    `${result.score}/${result.maxScore} points; ${passed} of ${visible.length} visible tests passed.`,
    ...(result.graderErrors > 0 ? [fault] : []),
  ].join('\n');
  return validateOrThrow(
    PrairieLearnResults,
    {
      gradable: true,
      score: result.maxScore > 0 ? Math.min(1, Math.max(0, result.score / result.maxScore)) : 0,
      message,
      output: notes.join('\n'),
      tests: result.tests.map((t) => ({
        name: `${t.id}: ${t.name}`,
        points: t.points,
        max_points: t.maxPoints,
        message: t.status === 'passed' ? 'passed' : t.status === 'error' ? 'grader error' : 'failed',
        output: t.status === 'error' ? graderErrorText(t) : shownDetailsOf(t),
      })),
    },
    'the PrairieLearn results',
  );
}

/** Not gradable (no attempt is counted): nothing to grade in the upload, or a fault of the grader. */
export function notGradable(message: string, notes: readonly string[]): PrairieLearnResults {
  return validateOrThrow(
    PrairieLearnResults,
    { gradable: false, score: 0, message, output: notes.join('\n') },
    'the PrairieLearn results',
  );
}
