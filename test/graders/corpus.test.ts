/**
 * The optimizer overlays of the self-test corpus (test/corpus/), run on the public fixtures:
 * - mutants/<mistake-id>: a student's file with exactly one known mistake. Its trajectory matches
 *   that mistake's on every case and leaves the reference's on at least one.
 * - correct/<id>: correct optimizers written differently. Each agrees with every public case of
 *   its optimizers within the graders' tolerances, and leaks no tensor.
 * Each overlay's file is loaded by a dynamic import of its absolute path, as a submission's is.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import {
  OPTIMIZER_FILES,
  OPTIMIZER_NAMES,
  type OptimizerClasses,
  type OptimizerName,
} from '../../contract/index.js';
import type { OptimizerCase } from '../../contract/fixture-schema.js';
import { validateOrThrow } from '../../contract/validate.js';
import {
  CLOSED_LOOP_TOLERANCE,
  TEACHER_FORCED_TOLERANCE,
  agrees,
  describeDivergence,
  firstDivergence,
  type Tolerance,
} from '../../graders/compare.js';
import { loadFixtureDir } from '../../graders/fixtures.js';
import { MISTAKES, type Mistake } from '../../graders/mistakes/registry.js';
import { runOptimizerCase, type Trajectory } from '../../runner/optimizer-case.js';
import * as reference from '../../reference/index.js';

const CORPUS = resolve('test/corpus');
const CASES = loadFixtureDir('fixtures/public');

const Name = Type.Union(OPTIMIZER_NAMES.map((n) => Type.Literal(n)));
const MutantExpected = Type.Object(
  { optimizer: Name, mistake: Type.String() },
  { additionalProperties: false },
);
const CorrectExpected = Type.Object(
  { optimizers: Type.Array(Name, { minItems: 1 }) },
  { additionalProperties: false },
);

const casesOf = (name: OptimizerName): OptimizerCase[] => CASES.filter((c) => c.input.optimizer === name);
const toleranceOf = (c: OptimizerCase): Tolerance =>
  c.input.kind === 'teacher-forced' ? TEACHER_FORCED_TOLERANCE : CLOSED_LOOP_TOLERANCE;
const shapesOf = (c: OptimizerCase): Record<string, number[]> =>
  Object.fromEntries(c.input.params.map((p) => [p.name, p.shape]));
const entries = (kind: string): string[] =>
  readdirSync(join(CORPUS, kind), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
const readExpected = (dir: string): unknown => JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));

/** The files an overlay holds, relative to it. */
function filesIn(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? filesIn(dir, join(prefix, d.name)) : [join(prefix, d.name)]))
    .sort();
}

/** The reference's classes with `name` replaced by the overlay's class of that name. */
async function classesWith(dir: string, name: OptimizerName): Promise<OptimizerClasses> {
  const file = join(dir, 'optimizers', `${OPTIMIZER_FILES[name]}.ts`);
  const module: Record<string, unknown> = await import(pathToFileURL(file).href);
  const cls = module[name];
  if (typeof cls !== 'function') throw new Error(`${file} does not export a class named ${name}`);
  return { ...reference, [name]: cls as OptimizerClasses[OptimizerName] };
}

function mistakeClasses(mistake: Mistake): OptimizerClasses {
  const Make = function MistakeClass(...args: number[]): tf.Optimizer {
    return mistake.make(args);
  };
  return { ...reference, [mistake.optimizer]: Make as unknown as OptimizerClasses[OptimizerName] };
}

/** A run, with the tensors it left behind (runOptimizerCase leaves a few of its own; compare with the reference's). */
function measuredRun(
  classes: OptimizerClasses,
  c: OptimizerCase,
): { run: Trajectory; left: number; growth: number[] } {
  const before = tf.memory().numTensors;
  const run = runOptimizerCase(classes, c.input);
  return {
    run,
    left: tf.memory().numTensors - before,
    growth: run.tensorCounts.map((n) => n - (run.tensorCounts[0] ?? 0)),
  };
}

describe('corpus: mutants', () => {
  const ids = entries('mutants');

  it('there is one mutant per registered mistake, and no other', () => {
    expect(ids).toEqual(MISTAKES.map((m) => m.id).sort());
  });

  it.each(ids)('%s matches its mistake and not the reference', async (id) => {
    const dir = join(CORPUS, 'mutants', id);
    const expected = validateOrThrow(MutantExpected, readExpected(dir), `${dir}/expected.json`);
    expect(expected.mistake).toBe(id);
    expect(filesIn(dir)).toEqual([
      'expected.json',
      join('optimizers', `${OPTIMIZER_FILES[expected.optimizer]}.ts`),
    ]);
    const mistake = MISTAKES.find((m) => m.id === id);
    expect(mistake?.optimizer).toBe(expected.optimizer);
    if (mistake === undefined) return;
    const classes = await classesWith(dir, expected.optimizer);
    const cases = casesOf(expected.optimizer);
    let leavesReference = false;
    for (const c of cases) {
      const { run } = measuredRun(classes, c);
      const { run: model } = measuredRun(mistakeClasses(mistake), c);
      expect(run.fault, c.id).toBeUndefined();
      const d = firstDivergence(run.steps, model.steps, shapesOf(c), toleranceOf(c));
      expect(d && `${c.id}: differs from ${id}'s trajectory: ${describeDivergence(d)}`).toBeUndefined();
      expect(agrees(run.steps, model.steps, shapesOf(c), toleranceOf(c)), c.id).toBe(true);
      if (!agrees(run.steps, c.expected, shapesOf(c), toleranceOf(c))) leavesReference = true;
    }
    expect(leavesReference, `${id} agrees with the reference on every public case`).toBe(true);
  });
});

describe('corpus: correct', () => {
  const ids = entries('correct');

  it('has at least 6 entries, which together cover every optimizer', () => {
    expect(ids.length).toBeGreaterThanOrEqual(6);
    const covered = new Set(
      ids.flatMap(
        (id) => validateOrThrow(CorrectExpected, readExpected(join(CORPUS, 'correct', id)), id).optimizers,
      ),
    );
    expect([...covered].sort()).toEqual([...OPTIMIZER_NAMES].sort());
  });

  it.each(ids)('%s agrees with every public case of its optimizers, without leaks', async (id) => {
    const dir = join(CORPUS, 'correct', id);
    const { optimizers } = validateOrThrow(CorrectExpected, readExpected(dir), `${dir}/expected.json`);
    expect(filesIn(dir)).toEqual(
      ['expected.json', ...optimizers.map((n) => join('optimizers', `${OPTIMIZER_FILES[n]}.ts`))].sort(),
    );
    for (const name of optimizers) {
      expect(existsSync(join(dir, 'optimizers', `${OPTIMIZER_FILES[name]}.ts`)), name).toBe(true);
      const classes = await classesWith(dir, name);
      for (const c of casesOf(name)) {
        const ours = measuredRun(classes, c);
        const theirs = measuredRun(reference, c);
        expect(ours.run.fault, `${name} ${c.id}`).toBeUndefined();
        const d = firstDivergence(ours.run.steps, c.expected, shapesOf(c), toleranceOf(c));
        expect(d && `${name} ${c.id}: ${describeDivergence(d)}`).toBeUndefined();
        expect(agrees(ours.run.steps, c.expected, shapesOf(c), toleranceOf(c)), `${name} ${c.id}`).toBe(true);
        // Stable after the first step, as the reference is (the runner's own tensors aside), and
        // nothing left once the optimizer is disposed.
        expect(ours.growth, `${name} ${c.id}: tensor counts ${ours.run.tensorCounts.join(', ')}`).toEqual(
          theirs.growth,
        );
        expect(ours.left, `${name} ${c.id}: tensors left after the run`).toBe(theirs.left);
      }
    }
  });
});
