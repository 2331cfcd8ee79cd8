/**
 * Fresh cases, in the TA's grading only: where the reference solution is present beside the
 * graders (it is left out of student repositories), each optimizer is also run on a teacher-forced
 * case drawn afresh for this grading (the public case's shapes and hyperparameters, random values),
 * and its expected trajectory is computed here, in the grading process, by the reference. No
 * answer to it exists before the grading starts, so it cannot be hard-coded or forged.
 */
import { randomInt } from 'node:crypto';
import type { TeacherForcedInput } from '../contract/fixture-schema.js';
import type { OptimizerClasses, OptimizerName } from '../contract/index.js';
import { runOptimizerCase } from '../runner/optimizer-case.js';
import { freshInput } from './checks/properties.js';
import type { LoadedCase } from './fixtures.js';
import { importOptional } from './optional-modules.js';

let reference: Promise<OptimizerClasses | undefined> | undefined;

/** The reference's optimizers when this is the TA's grader, else undefined. */
export function referenceOptimizers(): Promise<OptimizerClasses | undefined> {
  reference ??= importOptional('reference').then(
    (m) => m as OptimizerClasses,
    () => undefined,
  );
  return reference;
}

/** A fresh case of `name` like `template`, with the reference's trajectory as expected; undefined without the reference. */
export async function freshCase(name: OptimizerName, template: LoadedCase): Promise<LoadedCase | undefined> {
  const classes = await referenceOptimizers();
  if (classes === undefined || template.input.kind !== 'teacher-forced') return undefined;
  const seed = randomInt(1, 2 ** 31 - 1);
  const input = freshInput(template.input as TeacherForcedInput, template.input.args, seed);
  const run = runOptimizerCase(classes, input);
  if (run.fault !== undefined)
    throw new Error(`the reference ${name} failed on a fresh case (seed ${seed}): ${run.fault.message}`);
  return {
    id: `${name.toLowerCase()}-fresh`,
    description: `${name}(${input.args.join(', ')}), a case drawn for this grading (seed ${seed})`,
    input,
    expected: run.steps.map((step) =>
      Object.fromEntries(Object.entries(step).map(([k, v]) => [k, v.map(Math.fround)])),
    ),
    file: `fresh:${seed}`,
    visibility: 'hidden',
  };
}
