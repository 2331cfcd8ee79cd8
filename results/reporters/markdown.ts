/**
 * A Markdown summary for a CI job summary ($GITHUB_STEP_SUMMARY): the score, then one table of the
 * tests, grader errors and failures first. Every status has a word as well as an emoji. Only a
 * visible test shows its message and hint; the others say when they will be shown.
 */
import type { SubmissionResult, TestResult } from '../model.js';
import { graderErrorText, shownDetailsOf, type Reporter } from './reporter.js';

/**
 * Inline text (never at the start of a line) that renders as written: HTML-significant characters
 * become entities and inline markup (emphasis, code, links, strikethrough, math, `|`) is
 * backslash-escaped, so a name cannot open a tag, a link or a code span, or end a table cell.
 */
export function markdownText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~$]/g, (c) => `\\${c}`);
}

/** A table cell: inline text on one line (line breaks become <br>), with `|` escaped so it cannot end the cell. */
export function markdownCell(text: string): string {
  return markdownText(text)
    .split(/\r\n|\r|\n/)
    .join('<br>');
}

/** Inline text on one line, for a heading or a paragraph: line breaks become spaces. */
export function markdownLine(text: string): string {
  return markdownText(text)
    .split(/\r\n|\r|\n/)
    .join(' ');
}

const ORDER: Record<TestResult['status'], number> = { error: 0, failed: 1, passed: 2 };

function statusOf(test: TestResult): string {
  if (test.status === 'error') return '⚠️ Grader error';
  if (test.status === 'passed') return '✅ Passed';
  return test.points > 0 ? '🟡 Partial' : '❌ Failed';
}

function detailsCell(test: TestResult): string {
  if (test.status === 'error') return markdownCell(graderErrorText(test));
  return markdownCell(
    test.status === 'passed' && test.visibility === 'visible' ? test.message : shownDetailsOf(test),
  );
}

export function toMarkdown(result: SubmissionResult): string {
  const passed = result.tests.filter((t) => t.status === 'passed').length;
  const rows = result.tests
    .map((test, index) => ({ test, index }))
    .sort((a, b) => ORDER[a.test.status] - ORDER[b.test.status] || a.index - b.index)
    .map(
      ({ test }) =>
        `| ${statusOf(test)} | ${markdownCell(test.name)} (${markdownCell(test.id)}) | ${test.points} / ${test.maxPoints} | ${detailsCell(test)} |`,
    );
  const lines = [
    `## Autograder results: ${markdownLine(result.submission.id)}`,
    '',
    `**Score: ${result.score} / ${result.maxScore} points** (${passed} of ${result.tests.length} tests passed)`,
    '',
  ];
  if (result.graderErrors > 0) {
    lines.push(
      `> **⚠️ Grader error:** ${result.graderErrors} test(s) could not be graded because of a fault in the grader, not in the submission; they score 0 until regraded.`,
      '',
    );
  }
  for (const notice of result.isolation?.notices ?? [])
    lines.push(`> **Isolation:** ${markdownLine(notice)}`, '');
  lines.push('| Status | Test | Points | Details |', '| --- | --- | --- | --- |', ...rows, '');
  return lines.join('\n');
}

export const markdownReporter: Reporter = { name: 'markdown', fileName: 'summary.md', render: toMarkdown };
