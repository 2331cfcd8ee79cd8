/** `optimizer.<Name>.training`: one epoch of GarmentClassifier with the notebook's settings. */
import { OPTIMIZER_NAMES } from '../../contract/index.js';
import type { Probe } from '../../runner/optimizer-probes.js';
import type { TrainingProbe } from '../../runner/training-probes.js';
import { trainingVerdict } from '../training-grader.js';
import { notObserved, type Check } from './check.js';

export const TRAINING_CHECKS: Check[] = OPTIMIZER_NAMES.map((name): Check => ({
  id: `optimizer.${name}.training`,
  needs: [name],
  group: 'visible',
  grade: async (ctx) => {
    const entry = ctx.thresholds.optimizers[name]!;
    const seed = ctx.thresholds.gradingSeed;
    const outcome = await ctx.run({ kind: 'training', optimizer: name, args: entry.args, seed }, `${name}'s training run`);
    return outcome.ok
      ? trainingVerdict(ctx.id, name, entry, seed, outcome.result as Probe<{ value: TrainingProbe }>, ctx.started)
      : notObserved(ctx, outcome);
  },
}));
