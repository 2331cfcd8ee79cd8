/**
 * `optimizer.<Name>.training`: one epoch of GarmentClassifier with the notebook's settings, from
 * an initialisation seed the grader draws afresh every grading. The child returns the parameters
 * before and after training; the grading process checks that the first are its own net's for that
 * seed, measures the untrained and the trained loss itself, and asks for a share of the drop the
 * reference reached with that seed (graders/thresholds.json; the seed is drawn from the calibration
 * seeds), so a correct optimizer always passes and one that does not move the parameters fails.
 */
import { OPTIMIZER_NAMES } from '../../contract/index.js';
import type { Probe } from '../../runner/optimizer-probes.js';
import type { TrainingProbe, Unpacked } from '../../runner/training-probes.js';
import { evaluateParams, initialParams, measuredSubset, parameterProblem } from '../trained-net.js';
import { faultOutcome } from '../training-grader.js';
import { finite, type Verdict } from '../verdict.js';
import { becauseOf, notObserved, type Check } from './check.js';
import { referenceOptimizers } from '../fresh-cases.js';

const untrainedLoss = new Map<number, number>();

export const TRAINING_CHECKS: Check[] = OPTIMIZER_NAMES.map((name): Check => ({
  id: `optimizer.${name}.training`,
  needs: [name],
  group: 'visible',
  weight: 1,
  grade: async (ctx): Promise<Verdict> => {
    const entry = ctx.thresholds.optimizers[name]!;
    const seed = ctx.trainingSeed;
    const setting = `${name}(${entry.args.join(', ')}), ${entry.epochs} epoch of GarmentClassifier on batches of 64, seed ${seed}`;
    const outcome = await ctx.run(
      { kind: 'training', optimizer: name, args: entry.args, seed },
      `${name}'s training run`,
    );
    if (!outcome.ok) return notObserved(ctx, outcome);
    const done = (v: Omit<Verdict, 'id' | 'durationMs'>): Verdict => ({
      id: ctx.id,
      ...v,
      durationMs: performance.now() - ctx.started,
    });
    const probe = outcome.result as Probe<{ value: Unpacked<TrainingProbe> }>;
    if (!probe.ok) return done(faultOutcome(setting, probe.fault));
    const { initial, final, losses } = probe.value;
    const shapes =
      parameterProblem(initial, 'the parameters before training') ??
      parameterProblem(final, 'the parameters after training');
    if (shapes !== undefined)
      return done({
        status: 'failed',
        message: `${setting}: ${shapes}${shapes.includes('NaN') ? ' (the training diverged)' : ''}`,
      });
    const own = initialParams(seed);
    if (own.some((t, i) => t.some((v, j) => Math.abs(v - initial[i]![j]!) > 1e-6))) {
      return done({
        status: 'failed',
        message: `${setting}: the parameters before training are not those of the net the grader initialised with seed ${seed}`,
      });
    }
    let start = untrainedLoss.get(seed);
    if (start === undefined) {
      start = evaluateParams(seed, undefined, measuredSubset()).loss;
      untrainedLoss.set(seed, start);
    }
    const end = evaluateParams(seed, final, measuredSubset()).loss;
    const c = entry.calibration;
    const at = c.seeds.indexOf(seed);
    if (at < 0)
      throw new Error(`the training seed ${seed} is not one of the calibration seeds ${c.seeds.join(', ')}`);
    const requiredDrop = Number((ctx.thresholds.dropShare * c.drops[at]!).toFixed(5));
    const bar = start - requiredDrop;
    const diagnostics = {
      measured: finite(end),
      threshold: Number(bar.toFixed(5)),
      seed,
      losses: losses.map(finite),
      referenceLosses: entry.referenceLosses,
    };
    const figures = `the loss the grader measures on the first ${ctx.thresholds.measuredSamples} training samples went from ${start.toFixed(4)} (untrained) to ${end.toFixed(4)}`;
    if (Number.isFinite(end) && end < bar) {
      // In the TA's grading, a training run counts only when the optimizer that made it passes its step cases.
      const gate =
        (await referenceOptimizers()) === undefined
          ? undefined
          : await becauseOf(ctx, `optimizer.${name}.steps`, `the run used your ${name}, which`);
      if (gate !== undefined)
        return done({
          status: 'failed',
          diagnostics,
          message: `${setting}: ${figures}, below the bar ${bar.toFixed(4)}, but not counted: ${gate}`,
        });
      return done({
        status: 'passed',
        message: `${setting}: ${figures}, below the bar ${bar.toFixed(4)}`,
        diagnostics,
      });
    }
    return done({
      status: 'failed',
      diagnostics,
      message: `${setting}: ${figures}; after one epoch it must be below ${bar.toFixed(4)}, down by at least ${requiredDrop}: ${ctx.thresholds.dropShare * 100} % of the reference's drop with this seed, ${c.drops[at]} (its drop is ${c.mean.toFixed(4)} ± ${c.std.toFixed(4)} over seeds ${c.seeds.join(', ')}; reproduce with seed ${seed})`,
    });
  },
}));
