/**
 * PrairieLearn's external-grader results.json (https://prairielearn.readthedocs.io/en/latest/externalGrading/):
 * `gradable`, `score` in 0–1, a message, and one entry per test with points, max points, a message
 * and output. PrairieLearn shows every test and the score to the student at once, and records that
 * score, so it is written from the LMS's student view (results/student-view.ts): a visible test is an
 * entry of its own; the withheld tests of each visibility are one entry, with their points together
 * and nothing of any one of them (no status, points, time or message).
 */
import { Type, type Static } from '@sinclair/typebox';
import { validateOrThrow } from '../../contract/validate.js';
import type { SubmissionResult } from '../../results/model.js';
import { studentViewOf } from '../../results/student-view.js';
import { detailsOf, graderErrorText } from '../../results/reporters/reporter.js';

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
  const view = studentViewOf(result, 'lms');
  const passed = view.tests.filter((t) => t.status === 'passed').length;
  const fault =
    `Autograder error: ${view.graderErrors} visible test(s) could not be graded because of a fault in the grader, ` +
    'not in your code; please tell the course staff.';
  const message = [
    `${view.score}/${view.maxScore} points; ${passed} of ${view.tests.length} visible tests passed.`,
    ...(view.graderErrors > 0 ? [fault] : []),
  ].join('\n');
  return validateOrThrow(
    PrairieLearnResults,
    {
      gradable: true,
      score: view.maxScore > 0 ? Math.min(1, Math.max(0, view.score / view.maxScore)) : 0,
      message,
      output: notes.join('\n'),
      tests: [
        ...view.tests.map((t) => ({
          name: `${t.id}: ${t.name}`,
          points: t.points,
          max_points: t.maxPoints,
          message: t.status === 'passed' ? 'passed' : t.status === 'error' ? 'grader error' : 'failed',
          output: t.status === 'error' ? graderErrorText(t) : detailsOf(t),
        })),
        ...view.withheld.map((g) => ({
          name: `Withheld tests (${g.tests.length}): ${g.tests.map((t) => t.id).join(', ')}`,
          points: g.points ?? 0,
          max_points: g.maxPoints,
          message: 'withheld',
          output: g.note,
        })),
      ],
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
