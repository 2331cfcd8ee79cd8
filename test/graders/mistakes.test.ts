/**
 * The known-mistake fingerprints, run on the public fixtures: the reference agrees with every
 * case, every mistake leaves the tolerance on at least one case of its optimizer (detectable), and
 * no two mistakes of one optimizer agree with each other on every case (distinguishable).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { OPTIMIZER_NAMES, type OptimizerClasses, type OptimizerName } from '../../contract/index.js';
import type { OptimizerCase } from '../../contract/fixture-schema.js';
import {
  CLOSED_LOOP_TOLERANCE,
  TEACHER_FORCED_TOLERANCE,
  agrees,
  describeDivergence,
  firstDivergence,
  type Tolerance,
} from '../../graders/compare.js';
import { loadFixtureDir } from '../../graders/fixtures.js';
import { MISTAKES, mistakesFor, type Mistake } from '../../graders/mistakes/registry.js';
import { runOptimizerCase, type Trajectory } from '../../runner/optimizer-case.js';
import * as reference from '../../reference/index.js';

const CASES = loadFixtureDir('fixtures/public');

const casesOf = (name: OptimizerName): OptimizerCase[] => CASES.filter((c) => c.input.optimizer === name);
const toleranceOf = (c: OptimizerCase): Tolerance =>
  c.input.kind === 'teacher-forced' ? TEACHER_FORCED_TOLERANCE : CLOSED_LOOP_TOLERANCE;
const shapesOf = (c: OptimizerCase): Record<string, number[]> =>
  Object.fromEntries(c.input.params.map((p) => [p.name, p.shape]));

/** The contract's classes with every constructor building `mistake` (runOptimizerCase only uses the case's one). */
function classesOf(mistake: Mistake): OptimizerClasses {
  const Make = function MistakeClass(...args: number[]): tf.Optimizer {
    return mistake.make(args);
  };
  const ctor = Make as unknown as OptimizerClasses[OptimizerName];
  return Object.fromEntries(OPTIMIZER_NAMES.map((n) => [n, ctor])) as unknown as OptimizerClasses;
}

const runs = new Map<string, Trajectory>();
function runMistake(mistake: Mistake, c: OptimizerCase): Trajectory {
  const key = `${mistake.id}#${c.id}`;
  let run = runs.get(key);
  if (run === undefined) {
    run = runOptimizerCase(classesOf(mistake), c.input);
    runs.set(key, run);
  }
  return run;
}

/** Code in a hint: method calls, `tf.`, arrows, braces, declarations, comparisons. */
/** The tensor count after each step, less the count after the first step. */
const growthOf = (run: Trajectory): number[] => run.tensorCounts.map((n) => n - (run.tensorCounts[0] ?? 0));

const CODE = /assign\(|\.\w+\(|\w\(\)|\btf\.|=>|[{}]|==|\b(const|let)\s+\w+\s*=|\bthis\./;

describe('known mistakes', () => {
  it('the public fixtures cover every optimizer', () => {
    for (const name of OPTIMIZER_NAMES) expect(casesOf(name).length, name).toBeGreaterThan(0);
  });

  it('the reference agrees with every public case', () => {
    for (const c of CASES) {
      const run = runOptimizerCase(reference, c.input);
      expect(run.fault, c.id).toBeUndefined();
      const d = firstDivergence(run.steps, c.expected, shapesOf(c), toleranceOf(c));
      expect(d && `${c.id}: ${describeDivergence(d)}`).toBeUndefined();
      expect(agrees(run.steps, c.expected, shapesOf(c), toleranceOf(c)), c.id).toBe(true);
    }
  });

  it("ids are unique kebab-case names that start with the optimizer's file name, listed in contract order", () => {
    const ids = MISTAKES.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of MISTAKES) expect(m.id).toMatch(new RegExp(`^${m.optimizer.toLowerCase()}(-[a-z0-9]+)+$`));
    const order = MISTAKES.map((m) => OPTIMIZER_NAMES.indexOf(m.optimizer));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    for (const name of OPTIMIZER_NAMES) expect(mistakesFor(name).length, name).toBeGreaterThanOrEqual(2);
  });

  it('hints are one or two sentences of prose, without code', () => {
    for (const m of MISTAKES) {
      expect(m.hint.trim().length, m.id).toBeGreaterThan(20);
      expect(m.hint, m.id).not.toMatch(CODE);
      expect(m.hint.split(/[.!?](\s|$)/).filter((s) => s.trim().length > 0).length, m.id).toBeLessThanOrEqual(
        3,
      );
    }
  });

  describe.each(OPTIMIZER_NAMES)('%s', (name) => {
    const cases = casesOf(name);

    // runOptimizerCase itself leaves a few tensors behind (per run, and per closed-loop step), so
    // leaks are measured against the reference on the same case: the same tensors left after the
    // run, and the same growth of the tensor count from step to step.
    const referenceRuns = new Map(
      cases.map((c) => {
        const before = tf.memory().numTensors;
        const run = runOptimizerCase(reference, c.input);
        return [c.id, { left: tf.memory().numTensors - before, growth: growthOf(run) }] as const;
      }),
    );

    it.each(mistakesFor(name).map((m) => [m.id, m] as const))(
      '%s runs every case to the end, with finite values and no leak',
      (_id, mistake) => {
        for (const c of cases) {
          const before = tf.memory().numTensors;
          const run = runMistake(mistake, c);
          expect(tf.memory().numTensors - before, `${c.id}: tensors left after the run`).toBe(
            referenceRuns.get(c.id)?.left,
          );
          expect(run.fault, c.id).toBeUndefined();
          expect(run.steps).toHaveLength(c.expected.length);
          for (const step of run.steps)
            for (const values of Object.values(step)) expect(values.every(Number.isFinite), c.id).toBe(true);
          expect(growthOf(run), `${c.id}: tensor counts ${run.tensorCounts.join(', ')}`).toEqual(
            referenceRuns.get(c.id)?.growth,
          );
        }
      },
    );

    it.each(mistakesFor(name).map((m) => [m.id, m] as const))(
      '%s is detectable: it leaves the tolerance on some public case',
      (_id, mistake) => {
        const detectedOn = cases.filter(
          (c) => !agrees(runMistake(mistake, c).steps, c.expected, shapesOf(c), toleranceOf(c)),
        );
        expect(
          detectedOn.map((c) => c.id).length,
          `${mistake.id} agrees with the reference on every public case`,
        ).toBeGreaterThan(0);
      },
    );

    it('its mistakes are distinguishable: no two agree with each other on every public case', () => {
      const mistakes = mistakesFor(name);
      const twins: string[] = [];
      for (const [i, a] of mistakes.entries()) {
        for (const b of mistakes.slice(i + 1)) {
          const distinguished = cases.some((c) => {
            const [ra, rb] = [runMistake(a, c), runMistake(b, c)];
            return (
              !agrees(ra.steps, rb.steps, shapesOf(c), toleranceOf(c)) &&
              !agrees(rb.steps, ra.steps, shapesOf(c), toleranceOf(c))
            );
          });
          if (!distinguished) twins.push(`${a.id} = ${b.id}`);
        }
      }
      expect(twins).toEqual([]);
    });
  });
});
