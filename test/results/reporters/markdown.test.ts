import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SubmissionResult } from '../../../results/model.js';
import { markdownCell, markdownLine, markdownText } from '../../../results/reporters/markdown.js';
import { writeReports } from '../../../results/reporters/registry.js';
import { studentViewOf } from '../../../results/student-view.js';
import {
  SAMPLES,
  SECRET,
  fullResult,
  graderErrorResult,
  hiddenResult,
  hostileResult,
  tempDir,
  zeroResult,
} from './sample-results.js';

interface Row {
  status: string;
  test: string;
  points: string;
  details: string;
}

/** Splits a GFM table row on the pipes that are not escaped. */
function cellsOf(line: string): string[] {
  expect(line.startsWith('| ')).toBe(true);
  expect(line.endsWith(' |')).toBe(true);
  return line.slice(2, -2).split(/(?<!\\) \| /);
}

/** The summary's lines and its one table, checked for shape: a header, a delimiter row, one row per test of four cells. */
function written(result: SubmissionResult): { text: string; rows: Row[] } {
  const dir = tempDir();
  writeReports(result, dir, ['markdown']);
  const text = readFileSync(join(dir, 'summary.md'), 'utf8');
  const lines = text.split('\n');
  const header = lines.indexOf('| Status | Test | Points | Details |');
  expect(header).toBeGreaterThan(0);
  expect(lines[header + 1]).toBe('| --- | --- | --- | --- |');
  const body = lines.slice(header + 2);
  const end = body.findIndex((l) => !l.startsWith('|'));
  const tableLines = body.slice(0, end);
  expect(body.slice(end).every((l) => l === '')).toBe(true);
  expect(tableLines).toHaveLength(result.tests.length);
  const rows = tableLines.map((line) => {
    const cells = cellsOf(line);
    expect(cells, line).toHaveLength(4);
    const [status = '', test = '', points = '', details = ''] = cells;
    return { status, test, points, details };
  });
  return { text, rows };
}

describe('the Markdown summary', () => {
  it.each(SAMPLES)(
    'has a score line and one table row per test, each status a word as well as an emoji (%s)',
    (_, make) => {
      const result = make();
      const { text, rows } = written(result);
      const view = studentViewOf(result);
      expect(text).toContain(`**Score: ${view.score} / ${view.maxScore} points**`);
      for (const row of rows)
        expect(row.status).toMatch(/^(✅ Passed|❌ Failed|🟡 Partial|⚠️ Grader error|◌ Withheld)$/);
      expect(rows.map((r) => r.points).sort()).toEqual(
        result.tests
          .map((t) => (t.visibility === 'visible' ? `${t.points} / ${t.maxPoints}` : `— / ${t.maxPoints}`))
          .sort(),
      );
    },
  );

  it('full marks: every row passed', () => {
    const { text, rows } = written(fullResult());
    expect(text).toContain('**Score: 100 / 100 points** (33 of 33 visible tests passed)');
    expect(rows.every((r) => r.status === '✅ Passed')).toBe(true);
    expect(text).not.toContain('Grader error');
  });

  it("zero: failed rows give the message and the named mistake's hint", () => {
    const { rows } = written(zeroResult());
    expect(rows.every((r) => r.status === '❌ Failed')).toBe(true);
    expect(rows[0]?.details).toBe(
      'optimizer.GD.steps: step 3, param w, index \\[0,1\\]: expected 0.5, got 0.25<br>Hint (forgot-bias-correction): Divide the moments by 1 - beta^t.',
    );
  });

  it('grader errors first, then failures, then passes; a grader error is announced', () => {
    const { text, rows } = written(graderErrorResult());
    expect(rows.slice(0, 2).map((r) => r.status)).toEqual(['⚠️ Grader error', '🟡 Partial']);
    expect(rows[0]?.test).toContain('(training.loop)');
    expect(rows[0]?.details).toMatch(/^Autograder error: grader error: this test produced no verdict/);
    expect(rows[1]?.points).toBe('2 / 4');
    expect(rows.slice(2).every((r) => r.status === '✅ Passed')).toBe(true);
    expect(text).toContain('> **⚠️ Grader error:** 1 test(s) could not be graded');
  });

  it('only visible tests show their message; the others say until when they are hidden', () => {
    const { text, rows } = written(hiddenResult());
    expect(text).not.toContain(SECRET);
    const byId = new Map(rows.map((r) => [/\((\w+)\)$/.exec(r.test)?.[1], r]));
    expect(byId.get('shown')?.details).toBe(
      'the visible message<br>Hint (sign-error): Subtract the gradient.',
    );
    for (const id of ['hidden', 'due', 'published']) {
      expect(byId.get(id)?.status).toBe('◌ Withheld');
      expect(byId.get(id)?.points).toBe('— / 3');
    }
    expect(rows.slice(1).map((r) => r.test)).toEqual([
      'A hidden test (hidden)',
      'Shown after the due date (due)',
      'Shown after publishing (published)',
    ]);
    expect(text).toContain('**Score: 0 / 2 points** (0 of 1 visible tests passed)');
    expect(byId.get('hidden')?.details).toBe('hidden until course staff release it');
    expect(byId.get('due')?.details).toBe('hidden until the due date');
    expect(byId.get('published')?.details).toBe('hidden until grades are published');
  });

  it('escapes hostile names and messages: no raw markup, no broken row, no extra cell', () => {
    const { text, rows } = written(hostileResult());
    expect(text).not.toMatch(/<script|<\/testcase/);
    expect(text.split('\n')[0]).toBe('## Autograder results: =cmd,"evil" id\\|x');
    expect(rows).toHaveLength(4);
    const bad = rows.find((r) => r.status === '❌ Failed' && r.test.includes('(bad)'));
    expect(bad?.test).toContain(
      'x&lt;/testcase&gt;&lt;script&gt;alert("pwned")&lt;/script&gt; \\| pipe, comma "double" \'single\'<br>next line<br>crlf &amp; amp =cmd \\*b\\* \\[l\\](u) \\`c\\` \\$m\\$ 2 (bad)',
    );
  });

  it('escapes cells', () => {
    expect(markdownText('a|b_c*d`e[f]g~h$i\\j<k>&')).toBe(
      'a\\|b\\_c\\*d\\`e\\[f\\]g\\~h\\$i\\\\j&lt;k&gt;&amp;',
    );
    expect(markdownCell('one\ntwo\r\nthree\rfour')).toBe('one<br>two<br>three<br>four');
    expect(markdownLine('# one\n| two')).toBe('# one \\| two');
  });
});
