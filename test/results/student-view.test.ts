/**
 * Withheld tests reveal nothing per test to a student (issue 21, classes 7 and 8). Two submissions
 * that differ only in how they did on the withheld tests (status, points per test, time, messages,
 * hints, diagnostics, and the whole grading's time) get byte-identical student outputs, written by
 * the real output path; a grader error on a withheld test is counted in words that quote nothing.
 * The TA's results.json keeps every detail.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadManifest, type Manifest } from '../../graders/manifest-schema.js';
import type { Verdict } from '../../graders/verdict.js';
import { buildResult, type SubmissionResult } from '../../results/model.js';
import { studentViewOf } from '../../results/student-view.js';
import { toPrairieLearn } from '../../services/packages/export-prairielearn.js';
import { classroomResult } from '../../services/grading/github.js';
import { writeSubmissionOutputs } from '../../services/grading/outputs.js';
import { contextOf, tempDir } from './reporters/sample-results.js';

const manifest = loadManifest();
const withheldIds = manifest.tests.filter((t) => t.visibility !== 'visible').map((t) => t.id);
const SECRET = 'SECRET-hidden-lr-0.0137';

/** Every visible test passes in 200 ms; `hidden` says how each withheld test did. */
function resultWith(
  hidden: (id: string, i: number) => Partial<Verdict>,
  totalMs: number,
  m: Manifest = manifest,
): SubmissionResult {
  const verdicts: Verdict[] = m.tests.map((t) =>
    t.visibility === 'visible'
      ? { id: t.id, status: 'passed', message: `${t.id} agrees with the reference`, durationMs: 200 }
      : {
          id: t.id,
          status: 'passed',
          message: 'ok',
          durationMs: 100,
          ...hidden(t.id, withheldIds.indexOf(t.id)),
        },
  );
  return buildResult(verdicts, m, { ...contextOf('s042', true), timings: { totalMs } });
}

const failing = (id: string): Partial<Verdict> => ({
  status: 'failed',
  message: `${id}: expected 0.5, got 0.25 (${SECRET})`,
  durationMs: 9_000,
  mistake: { id: 'secret-mistake', hint: `the hidden case uses ${SECRET}` },
  diagnostics: { case: `hidden-${SECRET}`, step: 7, expected: 0.5, got: 0.25, seed: 4242 },
});

/** Every file of the real output path but the TA's results.json, with the report's plot ids (a page counter) made equal. */
function studentFiles(result: SubmissionResult): Map<string, string> {
  const dir = tempDir();
  writeSubmissionOutputs(result, dir);
  const files = new Map<string, string>();
  for (const name of readdirSync(dir).sort()) {
    if (name === 'results.json') continue;
    files.set(name, readFileSync(join(dir, name), 'utf8').replace(/plot-([a-z-]+)-\d+/g, 'plot-$1-N'));
  }
  files.set('prairielearn.json', JSON.stringify(toPrairieLearn(result, []), null, 1));
  files.set('classroom.json', Buffer.from(classroomResult(result), 'base64').toString('utf8'));
  return files;
}

function expectSameFiles(a: Map<string, string>, b: Map<string, string>, names: readonly string[]): void {
  expect([...a.keys()]).toEqual([...b.keys()]);
  for (const name of names) expect(b.get(name), name).toBe(a.get(name));
}

const FILE_OUTPUTS = ['summary.md', 'junit.xml', 'grades.csv', 'report.html'];
const LMS_OUTPUTS = ['gradescope.json', 'prairielearn.json', 'classroom.json'];

describe("the student's view of withheld tests", () => {
  it("the withheld tests are the manifest's seven after_published ones (the test below depends on them)", () => {
    expect(withheldIds).toHaveLength(7);
    expect(manifest.withheldAggregate ?? 'count').toBe('count');
  });

  it('all withheld tests passing quickly or failing slowly with secrets: the same bytes in every file a student reads', () => {
    const passing = resultWith(() => ({}), 40_000);
    const failed = resultWith(failing, 95_000);
    expect(failed.score).toBeLessThan(passing.score);
    const a = studentFiles(passing);
    const b = studentFiles(failed);
    expect([...a.keys()].sort()).toEqual([...FILE_OUTPUTS, ...LMS_OUTPUTS].sort());
    expectSameFiles(a, b, FILE_OUTPUTS);
    for (const [name, text] of b) expect(text, name).not.toContain(SECRET);
    // Not a trivial pass: the TA's results.json keeps the detail, and the visible tests are there.
    const dir = tempDir();
    writeSubmissionOutputs(failed, dir);
    expect(readFileSync(join(dir, 'results.json'), 'utf8')).toContain(SECRET);
    expect(b.get('summary.md')).toContain('✅ Passed');
    expect(b.get('summary.md')).toContain('7 withheld tests (21 points), hidden until grades are published');
  });

  it('an LMS records the withheld points together, and nothing per test: the same bytes when only which withheld test passed differs', () => {
    // Same total on the withheld tests (3 points each), different tests passing, different times and messages.
    const first = resultWith((_, i) => (i === 0 ? failing(withheldIds[0]!) : {}), 50_000);
    const second = resultWith(
      (_, i) => (i === 6 ? { ...failing(withheldIds[6]!), durationMs: 1 } : {}),
      70_000,
    );
    expect(first.score).toBe(second.score);
    const a = studentFiles(first);
    const b = studentFiles(second);
    expectSameFiles(a, b, [...FILE_OUTPUTS, ...LMS_OUTPUTS]);
    const gradescope = JSON.parse(a.get('gradescope.json')!) as {
      score: number;
      tests: { number: string; score: number }[];
    };
    expect(gradescope.score).toBe(first.score);
    expect(gradescope.tests.find((t) => t.number === 'withheld.after_published')?.score).toBe(18);
    expect(studentViewOf(first).score).toBe(100);
    expect(studentViewOf(first, 'lms').score).toBe(118);
  });

  it("with the manifest's `points` aggregate, files show the withheld points together, still nothing per test", () => {
    const points: Manifest = { ...manifest, withheldAggregate: 'points' };
    const first = resultWith((_, i) => (i === 1 ? failing(withheldIds[1]!) : {}), 50_000, points);
    const second = resultWith((_, i) => (i === 4 ? failing(withheldIds[4]!) : {}), 60_000, points);
    const a = studentFiles(first);
    expectSameFiles(a, studentFiles(second), FILE_OUTPUTS);
    expect(a.get('summary.md')).toContain('**Score: 118 / 121 points**');
    expect(a.get('summary.md')).toContain('18 of 21 points together; nothing of them is shown per test.');
    const allPass = studentFiles(resultWith(() => ({}), 50_000, points));
    expect(allPass.get('summary.md')).not.toBe(a.get('summary.md'));
  });

  it('a grader error on a withheld test is counted in words that quote nothing: not its message, not the child', () => {
    const childSays = `child stdout: hidden input x=[0.25, ${SECRET}]`;
    const errored = resultWith(
      (_, i) =>
        i === 2
          ? { status: 'error', message: `grader error: the child wrote ${childSays}`, durationMs: 5 }
          : {},
      50_000,
    );
    expect(errored.graderErrors).toBe(1);
    const files = studentFiles(errored);
    for (const [name, text] of files) {
      expect(text, name).not.toContain(SECRET);
      expect(text, name).not.toContain('child stdout');
    }
    const generic = 'Autograder error: 1 of them could not be graded because of a fault in the grader';
    for (const name of [
      'summary.md',
      'junit.xml',
      'report.html',
      'gradescope.json',
      'prairielearn.json',
      'classroom.json',
    ])
      expect(files.get(name), name).toContain(generic);
    // Which withheld test it was is not said either: the same files as an error on another one.
    const other = resultWith(
      (_, i) =>
        i === 5 ? { status: 'error', message: 'grader error: something else', durationMs: 900 } : {},
      20_000,
    );
    expectSameFiles(files, studentFiles(other), [...FILE_OUTPUTS, ...LMS_OUTPUTS]);
  });
});
