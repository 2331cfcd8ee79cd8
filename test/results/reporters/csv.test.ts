import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCsvHeader, renderCsvRow, renderGradebook, testIdsOf } from '../../../results/reporters/csv.js';
import { writeReports } from '../../../results/reporters/registry.js';
import {
  HOSTILE_ID,
  SAMPLES,
  contextOf,
  fullResult,
  graderErrorResult,
  hiddenResult,
  manifest,
  tempDir,
  zeroResult,
} from './sample-results.js';
import { buildResult, type SubmissionResult } from '../../../results/model.js';
import { studentViewOf } from '../../../results/student-view.js';

/**
 * RFC 4180: records end in CRLF; a field is either bare (no comma, quote, CR or LF) or quoted with
 * inner quotes doubled. Throws on anything else, so a malformed file fails the test.
 */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q === -1) throw new Error(`unterminated quoted field at ${i}`);
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
    } else {
      const m = /^[^",\r\n]*/.exec(text.slice(i));
      field = m?.[0] ?? '';
      i += field.length;
    }
    record.push(field);
    if (text[i] === ',') {
      i += 1;
      continue;
    }
    if (text.startsWith('\r\n', i)) {
      records.push(record);
      record = [];
      i += 2;
      if (i === text.length) return records;
      continue;
    }
    throw new Error(`expected a comma or CRLF at ${i}, got ${JSON.stringify(text.slice(i, i + 10))}`);
  }
}

const FIXED = ['submission', 'score', 'max_score', 'grader_errors'];

function written(result: SubmissionResult): string[][] {
  const dir = tempDir();
  writeReports(result, dir, ['csv']);
  return parseCsv(readFileSync(join(dir, 'grades.csv'), 'utf8'));
}

describe('the CSV gradebook', () => {
  it.each(SAMPLES)(
    'one submission: a header and a row of the same width, points per test (%s)',
    (_, make) => {
      const result = make();
      const rows = written(result);
      expect(rows).toHaveLength(2);
      const [header = [], row = []] = rows;
      expect(header).toEqual([...FIXED, ...result.tests.map((t) => t.id)]);
      expect(row).toHaveLength(header.length);
      const view = studentViewOf(result);
      expect(row.slice(1, 4)).toEqual([String(view.score), String(view.maxScore), String(view.graderErrors)]);
      // A withheld test's cell is empty, whatever it scored: this file may reach the student.
      expect(row.slice(4)).toEqual(
        result.tests.map((t) => (t.visibility === 'visible' ? String(t.points) : '')),
      );
    },
  );

  it('full, zero and grader-error rows hold their numbers', () => {
    expect(written(fullResult())[1]?.slice(0, 5)).toEqual(['s001', '100', '100', '0', '4']);
    expect(written(zeroResult())[1]?.slice(0, 5)).toEqual(['s002', '0', '100', '0', '0']);
    const error = written(graderErrorResult());
    const at = error[0]?.indexOf('training.loop') ?? -1;
    expect(error[1]?.slice(0, 4)).toEqual(['s003', '92', '100', '1']);
    expect(error[1]?.[at]).toBe('0');
    expect(error[1]?.[error[0]?.indexOf('nets') ?? -1]).toBe('2');
  });

  it('a submission id with a comma, quotes and a line break round-trips; one that starts a formula is defused', () => {
    const tricky = 'smith, "jo"\nline two';
    const rows = parseCsv(
      renderGradebook([
        buildResult(
          [],
          { schemaVersion: 1, tests: [{ id: 'a', name: 'A', points: 1, visibility: 'visible' }] },
          contextOf(tricky),
        ),
      ]),
    );
    expect(rows[1]?.[0]).toBe(tricky);
    expect(rows[1]?.[1]).toBe('0');
    const hostile = parseCsv(
      renderCsvRow({ ...fullResult(), submission: { id: HOSTILE_ID, path: '/x' } }, []),
    );
    expect(hostile).toEqual([[`'${HOSTILE_ID}`, '100', '100', '0']]);
    for (const id of ['+1+cmd', '-cmd', '@SUM(A1)', '\tcmd', '=1']) {
      expect(parseCsv(renderCsvRow({ ...fullResult(), submission: { id, path: '/x' } }, []))[0]?.[0]).toBe(
        `'${id}`,
      );
    }
    for (const id of ['line\none', 'cr\rlf', 'a"b', 'a,b']) {
      expect(
        renderCsvRow({ ...fullResult(), submission: { id, path: '/x' } }, []).startsWith(
          `"${id.replace('"', '""')}",`,
        ),
      ).toBe(true);
      expect(parseCsv(renderCsvRow({ ...fullResult(), submission: { id, path: '/x' } }, []))[0]?.[0]).toBe(
        id,
      );
    }
    for (const id of ['-5', '+3.5', '-1e3', 'plain']) {
      expect(parseCsv(renderCsvRow({ ...fullResult(), submission: { id, path: '/x' } }, []))[0]?.[0]).toBe(
        id,
      );
    }
  });

  it('the class gradebook: sorted by submission id, a column for every test, an empty cell where a test was not graded', () => {
    const withHidden = buildResult(
      manifest.tests.map((t) => ({ id: t.id, status: 'passed' as const, message: 'ok', durationMs: 1 })),
      manifest,
      contextOf('s000', true),
    );
    const results = [zeroResult(), fullResult(), withHidden];
    const rows = parseCsv(renderGradebook(results));
    expect(rows.map((r) => r[0])).toEqual(['submission', 's000', 's001', 's002']);
    expect(rows[0]).toEqual([...FIXED, ...manifest.tests.map((t) => t.id), 'standing']);
    expect(rows.every((r) => r.length === rows[0]?.length)).toBe(true);
    const hiddenColumn = rows[0]?.indexOf('optimizer.GD.hidden') ?? -1;
    expect(rows.slice(1).map((r) => r[hiddenColumn])).toEqual(['3', '', '']);
    expect(rows[1]?.slice(1, 4)).toEqual(['121', '121', '0']);
    expect(rows.slice(1).map((r) => r.at(-1))).toEqual(['graded', 'graded', 'graded']);
  });

  it('says why a submission could not be graded at all: empty, does not build (file:line), not started', () => {
    const tests = manifest.tests.filter((t) => t.requires === undefined);
    const all = (message: string) =>
      tests.map((t) => ({ id: t.id, status: 'failed' as const, message, durationMs: 0 }));
    const results = [
      buildResult(all('the submission has no index.ts'), manifest, contextOf('a-empty')),
      buildResult(
        all("the submission does not compile:\n  optimizers/gd.ts:3: Expected ';' but found 'is'"),
        manifest,
        contextOf('b-broken'),
      ),
      buildResult(
        all('not implemented: GD.updateParameter — see SPEC.md section "Optimizers"'),
        manifest,
        contextOf('c-template'),
      ),
    ];
    const rows = parseCsv(renderGradebook(results));
    expect(rows.slice(1).map((r) => r.at(-1))).toEqual([
      'empty submission (the submission has no index.ts)',
      "does not build (optimizers/gd.ts:3: Expected ';' but found 'is')",
      'not started (every test says "not implemented": the template, untouched)',
    ]);
  });

  it('merges test ids in manifest order, whichever result comes first', () => {
    const withHidden = buildResult(
      manifest.tests.map((t) => ({ id: t.id, status: 'passed' as const, message: 'ok', durationMs: 1 })),
      manifest,
      contextOf('x', true),
    );
    expect(testIdsOf([fullResult(), withHidden])).toEqual(manifest.tests.map((t) => t.id));
    const mixed = testIdsOf([hiddenResult(), fullResult()]);
    expect(mixed).toHaveLength(4 + 33);
    expect(mixed.filter((id) => ['shown', 'hidden', 'due', 'published'].includes(id))).toEqual([
      'shown',
      'hidden',
      'due',
      'published',
    ]);
    expect(mixed.filter((id) => id.includes('.') || ['nets', 'data', 'tuning'].includes(id))).toEqual(
      fullResult().tests.map((t) => t.id),
    );
  });

  it('writes CRLF line ends and quotes only where needed', () => {
    expect(renderCsvHeader(['a', 'b,c'])).toBe('submission,score,max_score,grader_errors,a,"b,c"\r\n');
  });
});
