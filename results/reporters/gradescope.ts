/**
 * Gradescope's autograder results.json, written from the LMS's student view
 * (results/student-view.ts): a visible test is an entry of its own; the withheld tests of each
 * visibility are one entry together, with that visibility (Gradescope shows it when the TA publishes
 * or after the due date), their points together and no status, time or message of any one of them.
 * Gradescope records the score it shows, so the top-level score counts them: the one aggregate a
 * student reads before publishing. The execution time is the visible tests'. Every string is marked
 * `text`, so Gradescope shows markup in names and messages as written instead of rendering it. A
 * grader error is a failed test worth 0 whose output says so.
 */
import { validateOrThrow } from '../../contract/validate.js';
import type { SubmissionResult, TestResult } from '../model.js';
import { studentViewOf, type StudentView, type WithheldGroup } from '../student-view.js';
import { GradescopeResults, type GradescopeTest } from './gradescope-schema.js';
import { detailsOf, graderErrorText, type Reporter } from './reporter.js';

function testOf(test: TestResult): GradescopeTest {
  return {
    name: test.name,
    number: test.id,
    score: test.points,
    max_score: test.maxPoints,
    status: test.status === 'passed' ? 'passed' : 'failed',
    output: test.status === 'error' ? graderErrorText(test) : detailsOf(test),
    output_format: 'text',
    visibility: test.visibility,
  };
}

/** The withheld tests of one visibility, together: their names, and the points they scored together. */
function withheldOf(group: WithheldGroup): GradescopeTest {
  return {
    name: `Withheld tests (${group.tests.length}): ${group.tests.map((t) => t.id).join(', ')}`,
    number: `withheld.${group.visibility}`,
    score: group.points ?? 0,
    max_score: group.maxPoints,
    output: group.note,
    output_format: 'text',
    visibility: group.visibility,
  };
}

/** A summary students may see at once: it counts only the visible tests' results. */
function summaryOf(view: StudentView): string {
  const passed = view.tests.filter((t) => t.status === 'passed').length;
  const lines = [`${passed} of ${view.tests.length} visible tests passed.`];
  const later = view.withheld.reduce((n, g) => n + g.tests.length, 0);
  if (later > 0) lines.push(`${later} more test(s) will be shown later, together.`);
  if (view.graderErrors > 0) {
    lines.push(
      `Autograder error: ${view.graderErrors} visible test(s) could not be graded because of a fault in the grader, not in your code; they score 0 until regraded. Please tell the course staff.`,
    );
  }
  return lines.join('\n');
}

export function toGradescope(result: SubmissionResult): GradescopeResults {
  const view = studentViewOf(result, 'lms');
  return validateOrThrow(
    GradescopeResults,
    {
      score: view.score,
      execution_time: Math.round(view.durationMs / 1000),
      output: summaryOf(view),
      output_format: 'text',
      test_output_format: 'text',
      test_name_format: 'text',
      visibility: 'visible',
      stdout_visibility: 'hidden',
      tests: [...view.tests.map(testOf), ...view.withheld.map(withheldOf)],
    },
    `the Gradescope results of ${JSON.stringify(result.submission.id)}`,
  );
}

export const gradescopeReporter: Reporter = {
  name: 'gradescope',
  /** Gradescope reads /autograder/results/results.json: write it there under that name (see `writeReports`). */
  fileName: 'gradescope.json',
  render: (result) => `${JSON.stringify(toGradescope(result), null, 2)}\n`,
};
