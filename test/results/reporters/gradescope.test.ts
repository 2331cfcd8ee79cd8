import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { problemsWith } from '../../../contract/validate.js';
import { GradescopeResults } from '../../../results/reporters/gradescope-schema.js';
import { gradescopeReporter, toGradescope } from '../../../results/reporters/gradescope.js';
import { writeReports } from '../../../results/reporters/registry.js';
import {
  HOSTILE,
  SAMPLES,
  SECRET,
  fullResult,
  graderErrorResult,
  hiddenResult,
  hostileResult,
  tempDir,
  zeroResult,
} from './sample-results.js';

function written(make: () => ReturnType<typeof fullResult>): GradescopeResults {
  const dir = tempDir();
  writeReports(make(), dir, ['gradescope'], { gradescope: 'results.json' });
  const parsed: unknown = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  expect(problemsWith(GradescopeResults, parsed)).toEqual([]);
  return parsed as GradescopeResults;
}

const sum = (xs: readonly number[]): number => Math.round(xs.reduce((a, b) => a + b, 0) * 100) / 100;

describe('the Gradescope reporter', () => {
  it.each(SAMPLES)(
    "writes a results.json that fits Gradescope's schema, its scores adding up (%s)",
    (_, make) => {
      const result = make();
      const gs = written(make);
      expect(gs.score).toBe(result.score);
      const visible = result.tests.filter((t) => t.visibility === 'visible');
      const withheld = [...new Set(result.tests.map((t) => t.visibility))].filter((v) => v !== 'visible');
      expect(gs.tests).toHaveLength(visible.length + withheld.length);
      expect(sum((gs.tests ?? []).map((t) => t.score ?? Number.NaN))).toBe(result.score);
      expect(sum((gs.tests ?? []).map((t) => t.max_score ?? Number.NaN))).toBe(result.maxScore);
      // The visible tests' time: the whole grading's would count the withheld tests' time.
      expect(gs.execution_time).toBe(Math.round(visible.reduce((s, t) => s + t.durationMs, 0) / 1000));
      expect(gs.visibility).toBe('visible');
      expect(gs.stdout_visibility).toBe('hidden');
      expect(gs.test_output_format).toBe('text');
      expect(gs.test_name_format).toBe('text');
      expect((gs.tests ?? []).map((t) => t.number)).toEqual([
        ...visible.map((t) => t.id),
        ...withheld.map((v) => `withheld.${v}`),
      ]);
      expect((gs.tests ?? []).map((t) => t.visibility)).toEqual([
        ...visible.map(() => 'visible'),
        ...withheld,
      ]);
    },
  );

  it('full marks: every test passed with its full score', () => {
    const gs = toGradescope(fullResult());
    expect(gs.score).toBe(100);
    for (const t of gs.tests ?? []) {
      expect(t.status).toBe('passed');
      expect(t.score).toBe(t.max_score);
    }
    expect(gs.output).toBe('33 of 33 visible tests passed.');
  });

  it("zero: every test failed, and a named mistake's hint follows the message", () => {
    const gs = toGradescope(zeroResult());
    expect(gs.score).toBe(0);
    expect(gs.tests?.every((t) => t.status === 'failed' && t.score === 0)).toBe(true);
    expect(gs.tests?.[0]?.output).toBe(
      'optimizer.GD.steps: step 3, param w, index [0,1]: expected 0.5, got 0.25\nHint (forgot-bias-correction): Divide the moments by 1 - beta^t.',
    );
    expect(gs.tests?.[1]?.output).not.toContain('Hint');
  });

  it('a grader error is a failed test worth 0 that says "Autograder error", and the summary says so', () => {
    const gs = toGradescope(graderErrorResult());
    const loop = gs.tests?.find((t) => t.number === 'training.loop');
    expect(loop).toMatchObject({ status: 'failed', score: 0, max_score: 6 });
    expect(loop?.output).toMatch(/^Autograder error: grader error: this test produced no verdict/);
    expect(gs.output).toMatch(/Autograder error: 1 visible test\(s\) could not be graded/);
    expect(gs.tests?.find((t) => t.number === 'nets')).toMatchObject({
      status: 'failed',
      score: 2,
      max_score: 4,
    });
    expect(gs.score).toBe(92);
  });

  it("withheld tests are one entry per visibility, with the model's visibility, their points together and nothing per test", () => {
    const gs = toGradescope(hiddenResult());
    expect(gs.tests?.map((t) => [t.number, t.visibility, t.score, t.max_score])).toEqual([
      ['shown', 'visible', 0, 2],
      ['withheld.hidden', 'hidden', 0, 3],
      ['withheld.after_due_date', 'after_due_date', 3, 3],
      ['withheld.after_published', 'after_published', 0, 3],
    ]);
    for (const t of gs.tests?.slice(1) ?? []) expect(t.status).toBeUndefined();
    expect(gs.tests?.[2]?.output).toBe(
      '1 withheld test (3 points), hidden until the due date: 3 of 3 points together; nothing of them is shown per test.',
    );
    expect(gs.output).toBe('0 of 1 visible tests passed.\n3 more test(s) will be shown later, together.');
    expect(gs.output).not.toContain(SECRET);
    expect(gs.tests?.[0]?.output).toBe('the visible message\nHint (sign-error): Subtract the gradient.');
  });

  it('keeps hostile strings as plain text, exactly', () => {
    const text = gradescopeReporter.render(hostileResult());
    const gs = JSON.parse(text) as GradescopeResults;
    expect(gs.tests?.[0]?.name).toBe(HOSTILE);
    expect(gs.tests?.[1]?.output).toBe(`${HOSTILE}\nHint (hostile): ${HOSTILE}`);
    expect(gs.tests?.[2]?.output).toContain(`Autograder error: grader error: ${HOSTILE}`);
  });

  it('the schema holds to the documented fields and values', () => {
    expect(problemsWith(GradescopeResults, { score: 1, max_score: 2 })).toEqual([
      '(the whole value): must NOT have additional properties `max_score`, got an object',
    ]);
    expect(problemsWith(GradescopeResults, { tests: [{ status: 'error' }] }).join('\n')).toMatch(
      /\/tests\/0\/status/,
    );
    expect(problemsWith(GradescopeResults, { execution_time: 1.5 }).join('\n')).toMatch(
      /\/execution_time: must be integer/,
    );
    expect(problemsWith(GradescopeResults, { tests: [{ visibility: 'secret' }] }).join('\n')).toMatch(
      /\/tests\/0\/visibility/,
    );
    expect(
      problemsWith(GradescopeResults, {
        leaderboard: [{ name: 'Accuracy', value: 0.9, order: 'asc' }],
        extra_data: { a: 1 },
      }),
    ).toEqual([]);
  });
});
