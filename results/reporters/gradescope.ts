/**
 * Gradescope's autograder results.json. Visibility is passed on as the model decided it (Gradescope
 * applies it); every string is marked `text`, so Gradescope shows markup in names and messages as
 * written instead of rendering it. A grader error is a failed test worth 0 whose output says so.
 */
import { validateOrThrow } from '../../contract/validate.js';
import type { SubmissionResult, TestResult } from '../model.js';
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

/** A summary students may see at once: it counts only the visible tests' results. */
function summaryOf(result: SubmissionResult): string {
  const visible = result.tests.filter((t) => t.visibility === 'visible');
  const passed = visible.filter((t) => t.status === 'passed').length;
  const lines = [`${passed} of ${visible.length} visible tests passed.`];
  const later = result.tests.length - visible.length;
  if (later > 0) lines.push(`${later} more test(s) will be shown later.`);
  if (result.graderErrors > 0) {
    lines.push(
      `Autograder error: ${result.graderErrors} test(s) could not be graded because of a fault in the grader, not in your code; they score 0 until regraded. Please tell the course staff.`,
    );
  }
  return lines.join('\n');
}

export function toGradescope(result: SubmissionResult): GradescopeResults {
  return validateOrThrow(
    GradescopeResults,
    {
      score: result.score,
      execution_time: Math.round(result.timings.totalMs / 1000),
      output: summaryOf(result),
      output_format: 'text',
      test_output_format: 'text',
      test_name_format: 'text',
      visibility: 'visible',
      stdout_visibility: 'hidden',
      tests: result.tests.map(testOf),
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
