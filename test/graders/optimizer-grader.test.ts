/**
 * graders/optimizer-grader.ts: one case judged from a trajectory. A case that agrees with the
 * reference is decided without the known mistakes (running them costs the grading process a case
 * run each); a case that fails is matched against them and names the one it agrees with.
 */
import { describe, expect, it } from 'vitest';
import { loadFixtureDir } from '../../graders/fixtures.js';
import type { KnownMistakeRun, MistakeRuns } from '../../graders/known-mistakes.js';
import { judgeCase } from '../../graders/optimizer-grader.js';
import type { Trajectory } from '../../runner/optimizer-case.js';

const [c] = loadFixtureDir('fixtures/public').filter(
  (x) => x.input.optimizer === 'Adam' && x.input.kind === 'teacher-forced',
);
if (c === undefined) throw new Error('fixtures/public has no teacher-forced Adam case');

const asReference = (): Trajectory => ({ steps: c.expected as Trajectory['steps'], tensorCounts: [] });

/** The trajectory with every value of step 2 on shifted by `by`. */
function shifted(by: number): Trajectory {
  const steps = asReference().steps.map((step, k) =>
    k < 1 ? step : Object.fromEntries(Object.entries(step).map(([name, v]) => [name, v.map((x) => x + by)])),
  );
  return { steps, tensorCounts: [] };
}

function counting(runs: KnownMistakeRun[]): { mistakeRuns: MistakeRuns; calls: () => number } {
  let calls = 0;
  return {
    mistakeRuns: () => {
      calls++;
      return runs;
    },
    calls: () => calls,
  };
}

describe('judgeCase', () => {
  it('passes a trajectory equal to the expected one without running a known mistake', () => {
    const { mistakeRuns, calls } = counting([]);
    const verdict = judgeCase('Adam', { case: c, trajectory: asReference() }, mistakeRuns);
    expect(verdict.passed).toBe(true);
    expect(verdict.message).toContain(`all ${c.expected.length} steps agree`);
    expect(calls()).toBe(0);
  });

  it('matches a failing trajectory against the known mistakes and names the one it agrees with', () => {
    const wrong = shifted(0.5);
    const { mistakeRuns, calls } = counting([
      { id: 'adam-shifted', hint: 'every step from the second on is off by one half', trajectory: wrong },
    ]);
    const verdict = judgeCase('Adam', { case: c, trajectory: wrong }, mistakeRuns);
    expect(verdict.passed).toBe(false);
    expect(calls()).toBe(1);
    expect(verdict.mistake?.id).toBe('adam-shifted');
    expect(verdict.message).toContain('This looks like a known mistake: every step from the second on');
    expect(verdict.diagnostics.step).toBe(2);
  });

  it('matches a trajectory that faults against the known mistakes too', () => {
    const { mistakeRuns, calls } = counting([]);
    const faulted: Trajectory = { steps: [], tensorCounts: [], fault: { step: 1, message: 'boom' } };
    const verdict = judgeCase('Adam', { case: c, trajectory: faulted }, mistakeRuns);
    expect(verdict.passed).toBe(false);
    expect(verdict.message).toContain('step 1 threw: boom');
    expect(calls()).toBe(1);
  });
});
