/**
 * What a student may read of a submission's results, decided here once for every output that can
 * reach a student: summary.md, junit.xml, grades.csv, report.html, and the Gradescope and
 * PrairieLearn results. results.json (the whole model) and the class outputs are the TA's.
 *
 * A withheld test (any visibility but `visible`) shows nothing of its own: no status, points,
 * duration, message, mistake or diagnostics, only what the manifest already says in public (its id,
 * name, maximum points and when it will be shown). The order of the tests never depends on a
 * withheld test's outcome, and no total counts a withheld test's time. The withheld tests together
 * show at most one aggregate per visibility: how many there are and their maximum points
 * (`count`, the default), and, with the manifest's `withheldAggregate: "points"`, the points they
 * scored together. How many of them hit a grader error is said as a count, in words that quote
 * nothing (a grader error's message can hold the child's output or a hidden input).
 *
 * An LMS records the score it shows (Gradescope's total, PrairieLearn's score), so its view counts
 * the withheld points in the score whatever the manifest says: that total is then the one aggregate
 * a student can read before the TA publishes (docs/security-model.md).
 */
import { Type, type Static } from '@sinclair/typebox';
import { validateOrThrow } from '../contract/validate.js';
import { Visibility, WithheldAggregate } from '../graders/manifest-schema.js';
import { SubmissionResult, TestResult } from './model.js';

export const WithheldTest = Type.Object(
  { id: Type.String(), name: Type.String(), maxPoints: Type.Number({ minimum: 0 }) },
  { additionalProperties: false },
);

/** The withheld tests of one visibility, together. */
export const WithheldGroup = Type.Object(
  {
    visibility: Visibility,
    tests: Type.Array(WithheldTest),
    maxPoints: Type.Number({ minimum: 0 }),
    /** Only when the aggregate is `points`. */
    points: Type.Optional(Type.Number({ minimum: 0 })),
    graderErrors: Type.Integer({ minimum: 0 }),
    /** When they will be shown ("hidden until grades are published"). */
    until: Type.String(),
    /** What every student-facing output says of them: the `until`, the aggregate, and a grader error's count in words that quote nothing. */
    note: Type.String(),
  },
  { additionalProperties: false },
);

export const StudentView = Type.Object(
  {
    submission: Type.Object({ id: Type.String() }, { additionalProperties: false }),
    aggregate: WithheldAggregate,
    /** The score shown: the visible tests' points, plus the withheld points when the aggregate is `points`. */
    score: Type.Number({ minimum: 0 }),
    maxScore: Type.Number({ minimum: 0 }),
    /** The visible tests, as the model has them, in the manifest's order. */
    tests: Type.Array(TestResult),
    /** Grader errors among the visible tests. */
    graderErrors: Type.Integer({ minimum: 0 }),
    /** The visible tests' time together: never the whole grading's, which includes the withheld tests'. */
    durationMs: Type.Number({ minimum: 0 }),
    withheld: Type.Array(WithheldGroup),
    backend: SubmissionResult.properties.backend,
    versions: SubmissionResult.properties.versions,
    isolation: Type.Optional(SubmissionResult.properties.isolation),
    seeds: SubmissionResult.properties.seeds,
    hiddenFixtures: Type.Boolean(),
  },
  { additionalProperties: false },
);

export type WithheldTest = Static<typeof WithheldTest>;
export type WithheldGroup = Static<typeof WithheldGroup>;
export type StudentView = Static<typeof StudentView>;

/** Where a view goes: files a student reads, or an LMS that records the score it shows. */
export type Audience = 'files' | 'lms';

const HIDDEN_UNTIL: Record<Exclude<Visibility, 'visible'>, string> = {
  hidden: 'hidden until course staff release it',
  after_due_date: 'hidden until the due date',
  after_published: 'hidden until grades are published',
};

/** A grader error among withheld tests, said without quoting anything (its message may hold the child's output or a hidden input). */
function withheldGraderErrors(count: number): string {
  return `Autograder error: ${count} of them could not be graded because of a fault in the grader, not in the submission; they score 0 until regraded. Please tell the course staff.`;
}

function noteOf(group: Omit<WithheldGroup, 'note'>): string {
  const n = group.tests.length;
  const scored =
    group.points === undefined
      ? 'not counted in the score shown here; nothing of them is shown per test.'
      : `${group.points} of ${group.maxPoints} points together; nothing of them is shown per test.`;
  const errors = group.graderErrors > 0 ? ` ${withheldGraderErrors(group.graderErrors)}` : '';
  return `${n} withheld test${n === 1 ? '' : 's'} (${group.maxPoints} points), ${group.until}: ${scored}${errors}`;
}

const round = (x: number): number => Math.round(x * 100) / 100;
const sum = (values: readonly number[]): number => round(values.reduce((s, v) => s + v, 0));

export function studentViewOf(result: SubmissionResult, audience: Audience = 'files'): StudentView {
  const aggregate = audience === 'lms' ? 'points' : (result.withheldAggregate ?? 'count');
  const visible = result.tests.filter((t) => t.visibility === 'visible');
  const groups = new Map<Visibility, TestResult[]>();
  for (const test of result.tests) {
    if (test.visibility === 'visible') continue;
    groups.set(test.visibility, [...(groups.get(test.visibility) ?? []), test]);
  }
  const withheld: WithheldGroup[] = [...groups].map(([visibility, tests]) => {
    const group = {
      visibility,
      tests: tests.map((t) => ({ id: t.id, name: t.name, maxPoints: t.maxPoints })),
      maxPoints: sum(tests.map((t) => t.maxPoints)),
      ...(aggregate === 'points' ? { points: sum(tests.map((t) => t.points)) } : {}),
      graderErrors: tests.filter((t) => t.status === 'error').length,
      until: HIDDEN_UNTIL[visibility as Exclude<Visibility, 'visible'>],
    };
    return { ...group, note: noteOf(group) };
  });
  const shownWithheld = aggregate === 'points' ? withheld : [];
  return validateOrThrow(
    StudentView,
    {
      submission: { id: result.submission.id },
      aggregate,
      score: sum([...visible.map((t) => t.points), ...shownWithheld.map((g) => g.points ?? 0)]),
      maxScore: sum([...visible.map((t) => t.maxPoints), ...shownWithheld.map((g) => g.maxPoints)]),
      tests: visible,
      graderErrors: visible.filter((t) => t.status === 'error').length,
      durationMs: visible.reduce((s, t) => s + t.durationMs, 0),
      withheld,
      backend: result.backend,
      versions: result.versions,
      ...(result.isolation ? { isolation: result.isolation } : {}),
      seeds: result.seeds,
      hiddenFixtures: result.hiddenFixtures,
    },
    `the student's view of the results of ${JSON.stringify(result.submission.id)}`,
  );
}
