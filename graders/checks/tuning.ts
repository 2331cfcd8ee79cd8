/**
 * `tuning`: the choice declared in tuning.json is retrained for one epoch in the submission's
 * process, with its own optimizer; the child returns the trained parameters, and the grading
 * process measures the validation loss and test accuracy itself. When the chosen optimizer fails
 * one of its own tests, the message says so and points there. In the TA's grading the declared
 * choice is also retrained here with the reference's optimizer, and the student's weights must
 * reach what it reaches within the claim's tolerance: the points are for the declared choice, so
 * an optimizer that trains other hyperparameters than it was given earns none.
 */
import { OPTIMIZER_DEFAULTS } from '../../contract/index.js';
import { readTuningChoice } from '../../contract/tuning-schema.js';
import type { Probe } from '../../runner/optimizer-probes.js';
import type { TuningRun, Unpacked } from '../../runner/training-probes.js';
import { measureTuning } from '../../runner/training-probes.js';
import type { TuningChoice } from '../../contract/tuning-schema.js';
import { HarnessError } from '../../course/errors.js';
import { evaluateParams, gradingData, parameterProblem, tuningLoaders } from '../trained-net.js';
import { CLAIM_TOLERANCE, tuningVerdict, type TuningMeasurement } from '../training-grader.js';
import type { Verdict } from '../verdict.js';
import { becauseOf, notObserved, type Check } from './check.js';
import { referenceOptimizers } from '../fresh-cases.js';

export const TUNING_CHECK: Check = {
  id: 'tuning',
  needs: [],
  group: 'visible',
  weight: 3,
  grade: async (ctx): Promise<Verdict> => {
    const failed = (message: string): Verdict => ({
      id: ctx.id,
      status: 'failed',
      message,
      durationMs: performance.now() - ctx.started,
    });
    const read = readTuningChoice(ctx.dir);
    if (!read.ok) return failed(read.message);
    const { choice } = read;
    const names = Object.keys(OPTIMIZER_DEFAULTS[choice.optimizer]);
    const unknown = Object.keys(choice.hyperparameters).filter((k) => !names.includes(k));
    if (unknown.length > 0) {
      return failed(
        `tuning.json names hyperparameters ${unknown.join(', ')}, which ${choice.optimizer} does not have (it has ${names.join(', ')})`,
      );
    }
    const defaults = OPTIMIZER_DEFAULTS[choice.optimizer] as Record<string, number>;
    const args = names.map((k) => choice.hyperparameters[k] ?? defaults[k]!);
    const seed = ctx.thresholds.gradingSeed;
    const request = {
      kind: 'tuning' as const,
      optimizer: choice.optimizer,
      args,
      batchSize: choice.batchSize,
      seed,
    };
    const outcome = await ctx.run(request, `retraining with the tuning choice (${choice.optimizer})`);
    if (!outcome.ok) return notObserved(ctx, outcome);
    const probe = outcome.result as Probe<{ value: Unpacked<TuningRun> }>;
    let measured: Parameters<typeof tuningVerdict>[2];
    if (!probe.ok) measured = probe;
    else {
      const problem = parameterProblem(probe.value.final, 'the trained parameters');
      if (problem !== undefined) return failed(`retrained 1 epoch with ${choice.optimizer}: ${problem}`);
      const { val, test } = tuningLoaders(seed);
      measured = {
        ok: true,
        value: {
          valLoss: evaluateParams(seed, probe.value.final, val).loss,
          testAccuracy: evaluateParams(seed, probe.value.final, test).accuracy,
          seed,
        },
      };
    }
    const verdict = tuningVerdict(ctx.id, choice, measured, ctx.started);
    const own = (
      await Promise.all(
        [`optimizer.${choice.optimizer}.steps`, `optimizer.${choice.optimizer}.closed-loop`].map((id) =>
          becauseOf(ctx, id, `the retraining uses your ${choice.optimizer}, which`),
        ),
      )
    ).find((c) => c !== undefined);
    if (own === undefined) {
      const other = measured.ok ? await provenanceProblem(choice, args, seed, measured.value) : undefined;
      return other === undefined ? verdict : { ...verdict, status: 'failed', fraction: 0, message: other };
    }
    // In the TA's grading, a retraining counts only when the optimizer that made it passes its step cases.
    if ((await referenceOptimizers()) !== undefined) {
      return {
        ...verdict,
        status: 'failed',
        fraction: 0,
        message: `${verdict.message}; not counted: ${own}: fix it first, then retrain`,
      };
    }
    return verdict.status === 'passed'
      ? verdict
      : { ...verdict, message: `${verdict.message}. Note: ${own}: fix it first, then retrain` };
  },
};

/**
 * In the TA's grading (the reference beside the graders): whether `measured` (the student's
 * retraining) is what the reference's optimizer makes of the declared choice, within
 * CLAIM_TOLERANCE; a message when it is not, undefined when it is or without the reference.
 */
async function provenanceProblem(
  choice: TuningChoice,
  args: number[],
  seed: number,
  measured: TuningMeasurement,
): Promise<string | undefined> {
  const classes = await referenceOptimizers();
  if (classes === undefined) return undefined;
  const run = measureTuning(classes[choice.optimizer], args, choice.batchSize, gradingData(), seed);
  if (!run.ok)
    throw new HarnessError(
      'OPTNN_REFERENCE',
      `the reference's ${choice.optimizer} failed the tuning retraining: ${run.fault}`,
    );
  const params = run.value.final.map((p) => Array.from(p.values));
  const { val, test } = tuningLoaders(seed);
  const reference = {
    valLoss: evaluateParams(seed, params, val).loss,
    testAccuracy: evaluateParams(seed, params, test).accuracy,
  };
  if (
    Math.abs(reference.testAccuracy - measured.testAccuracy) <= CLAIM_TOLERANCE.accuracy &&
    Math.abs(reference.valLoss - measured.valLoss) <= CLAIM_TOLERANCE.valLoss
  )
    return undefined;
  const pct = (a: number): string => `${(a * 100).toFixed(2)} %`;
  return `your retrained weights (test accuracy ${pct(measured.testAccuracy)}, validation loss ${measured.valLoss.toFixed(4)}) are not what ${choice.optimizer} with the declared hyperparameters makes: the reference's ${choice.optimizer} with them reaches test accuracy ${pct(reference.testAccuracy)}, validation loss ${reference.valLoss.toFixed(4)} (tolerance ±${CLAIM_TOLERANCE.accuracy * 100} points, ±${CLAIM_TOLERANCE.valLoss}); the tuning points are for the choice tuning.json declares, so none are earned`;
}
