/**
 * A CSV gradebook: a header, then one row per submission (id, score, max score, grader errors, the
 * points of each test). RFC 4180: CRLF line ends, and a cell with a comma, quote or line break is
 * quoted with its quotes doubled. A text cell a spreadsheet would run as a formula (= + - @, tab, CR)
 * gets a leading single quote; numbers are written as numbers.
 *
 * The class gradebook (`renderGradebook`) is the TA's and has every test's points. The one-row
 * grades.csv beside a submission's other reports may reach the student, so it is written from the
 * student's view (results/student-view.ts): a withheld test's cell is empty, and the score, maximum
 * and grader errors are the ones the view shows.
 */
import { describeStanding, standingOf } from '../standing.js';
import type { SubmissionResult } from '../model.js';
import { studentViewOf } from '../student-view.js';
import type { Reporter } from './reporter.js';

const FIXED_COLUMNS = ['submission', 'score', 'max_score', 'grader_errors'] as const;

function textCell(text: string): string {
  const guarded =
    /^[=+\-@\t\r]/.test(text) && !/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

function numberCell(value: number): string {
  return Number.isFinite(value) ? String(value) : '';
}

function line(cells: readonly string[]): string {
  return `${cells.join(',')}\r\n`;
}

export function renderCsvHeader(testIds: readonly string[], trailing: readonly string[] = []): string {
  return line([...FIXED_COLUMNS, ...testIds, ...trailing].map(textCell));
}

/** The gradebook's last column: where a submission stands when no test could grade it (results/standing.ts). */
const STANDING_COLUMN = 'standing';

/** One submission's row; a test it was not graded on (e.g. no hidden fixtures) is an empty cell. */
export function renderCsvRow(
  result: SubmissionResult,
  testIds: readonly string[],
  trailing: readonly string[] = [],
): string {
  const points = new Map(result.tests.map((t) => [t.id, t.points]));
  return line([
    textCell(result.submission.id),
    numberCell(result.score),
    numberCell(result.maxScore),
    numberCell(result.graderErrors),
    ...testIds.map((id) => {
      const p = points.get(id);
      return p === undefined ? '' : numberCell(p);
    }),
    ...trailing.map(textCell),
  ]);
}

/** Every test id of the results, in their order (each result keeps the manifest's order). */
export function testIdsOf(results: readonly SubmissionResult[]): string[] {
  const ids: string[] = [];
  for (const result of results) {
    let after = -1;
    for (const test of result.tests) {
      const at = ids.indexOf(test.id);
      if (at === -1) {
        ids.splice(after + 1, 0, test.id);
        after += 1;
      } else {
        after = at;
      }
    }
  }
  return ids;
}

/** The class gradebook: a header and one row per submission, sorted by submission id. */
export function renderGradebook(
  results: readonly SubmissionResult[],
  testIds: readonly string[] = testIdsOf(results),
): string {
  const sorted = [...results].sort((a, b) =>
    a.submission.id < b.submission.id ? -1 : a.submission.id > b.submission.id ? 1 : 0,
  );
  return (
    renderCsvHeader(testIds, [STANDING_COLUMN]) +
    sorted.map((r) => renderCsvRow(r, testIds, [describeStanding(standingOf(r))])).join('')
  );
}

/** The student's one-row grades.csv: every test's column, a withheld test's empty. */
export function renderStudentGrades(result: SubmissionResult): string {
  const view = studentViewOf(result);
  const testIds = testIdsOf([result]);
  const points = new Map(view.tests.map((t) => [t.id, t.points]));
  return (
    renderCsvHeader(testIds) +
    line([
      textCell(view.submission.id),
      numberCell(view.score),
      numberCell(view.maxScore),
      numberCell(view.graderErrors),
      ...testIds.map((id) => {
        const p = points.get(id);
        return p === undefined ? '' : numberCell(p);
      }),
    ])
  );
}

export const csvReporter: Reporter = {
  name: 'csv',
  fileName: 'grades.csv',
  render: renderStudentGrades,
};
