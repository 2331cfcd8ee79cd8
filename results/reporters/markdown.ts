/**
 * A Markdown summary for a CI job summary ($GITHUB_STEP_SUMMARY): the score, then one table of the
 * visible tests, grader errors and failures first, then the withheld tests in the manifest's order
 * with nothing of their own but when they will be shown (results/student-view.ts). Every status has
 * a word as well as an emoji.
 */
import type { SubmissionResult, TestResult } from '../model.js';
import { studentViewOf } from '../student-view.js';
import { detailsOf, graderErrorText, type Reporter } from './reporter.js';

/**
 * GitHub-flavoured autolinks (cmark-gfm's "extended autolinks"), defused so that they render as
 * text: a scheme's `://` (`https://`, `http://`, `ftp://`, any other), every `www.` (cmark-gfm links
 * it after `_`, `*`, `~` or `(` too) and the `@` of an email address (linked after the inline parse,
 * so a backslash escape would not stop it) get brackets: `https[:]//`, `www[.]`,
 * `name[@]example.com`, and `mailto:`/`xmpp:` lose their colon. The brackets are then escaped like
 * any other. Every Markdown output goes through `markdownText` (summary.md, the class summary.md).
 */
export function defuseAutolinks(text: string): string {
  return text
    .replace(/:(?=\/\/)/g, '[:]')
    .replace(/(www)\./gi, '$1[.]')
    .replace(/@/g, '[@]')
    .replace(/\b(mailto|xmpp):/gi, '$1[:]');
}

/**
 * Inline text (never at the start of a line) that renders as written: autolinks are defused (above),
 * HTML-significant characters become entities and inline markup (emphasis, code, links,
 * strikethrough, math, `|`) is backslash-escaped, so a name cannot open a tag, a link or a code span,
 * or end a table cell, and no text becomes a live link.
 */
export function markdownText(text: string): string {
  return defuseAutolinks(text)
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
  return markdownCell(test.status === 'error' ? graderErrorText(test) : detailsOf(test));
}

export function toMarkdown(result: SubmissionResult): string {
  const view = studentViewOf(result);
  const passed = view.tests.filter((t) => t.status === 'passed').length;
  const rows = view.tests
    .map((test, index) => ({ test, index }))
    .sort((a, b) => ORDER[a.test.status] - ORDER[b.test.status] || a.index - b.index)
    .map(
      ({ test }) =>
        `| ${statusOf(test)} | ${markdownCell(test.name)} (${markdownCell(test.id)}) | ${test.points} / ${test.maxPoints} | ${detailsCell(test)} |`,
    );
  const withheldRows = view.withheld.flatMap((group) =>
    group.tests.map(
      (test) =>
        `| ◌ Withheld | ${markdownCell(test.name)} (${markdownCell(test.id)}) | — / ${test.maxPoints} | ${markdownCell(group.until)} |`,
    ),
  );
  const lines = [
    `## Autograder results: ${markdownLine(view.submission.id)}`,
    '',
    `**Score: ${view.score} / ${view.maxScore} points** (${passed} of ${view.tests.length} visible tests passed)`,
    '',
  ];
  for (const group of view.withheld) lines.push(`> ${markdownLine(group.note)}`, '');
  if (view.graderErrors > 0) {
    lines.push(
      `> **⚠️ Grader error:** ${view.graderErrors} test(s) could not be graded because of a fault in the grader, not in the submission; they score 0 until regraded.`,
      '',
    );
  }
  for (const notice of result.isolation?.notices ?? [])
    lines.push(`> **Isolation:** ${markdownLine(notice)}`, '');
  lines.push(
    '| Status | Test | Points | Details |',
    '| --- | --- | --- | --- |',
    ...rows,
    ...withheldRows,
    '',
  );
  return lines.join('\n');
}

export const markdownReporter: Reporter = { name: 'markdown', fileName: 'summary.md', render: toMarkdown };
