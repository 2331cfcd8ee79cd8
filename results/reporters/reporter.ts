/**
 * A reporter turns one submission's results into the text of one file. Reporters only read the
 * results model: score, status and visibility were decided there, once, and what a student may see
 * of them in results/student-view.ts (which also words what the withheld tests show). The words
 * every reporter uses for a visible test's details and for a grader error are here, once.
 */
import type { SubmissionResult, TestResult } from '../model.js';

export interface Reporter {
  /** The name the registry and the command line select it by (`junit`). */
  readonly name: string;
  /** The file it writes in the output directory (`junit.xml`). */
  readonly fileName: string;
  render(result: SubmissionResult): string;
}

/** The test's message followed by its named mistake's hint, when it has one. */
export function detailsOf(test: TestResult): string {
  return test.mistake === undefined
    ? test.message
    : `${test.message}\nHint (${test.mistake.id}): ${test.mistake.hint}`;
}

/** The one line that says a grader error is the harness's fault, not the student's. */
export function graderErrorText(test: TestResult): string {
  return `Autograder error: ${test.message} (a fault in the grader, not in the submission; this test scores 0 until it is regraded)`;
}
