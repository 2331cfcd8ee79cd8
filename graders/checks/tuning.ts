/** `tuning`: the declared choice in tuning.json, retrained for one epoch. */
import { OPTIMIZER_DEFAULTS } from '../../contract/index.js';
import { readTuningChoice } from '../../contract/tuning-schema.js';
import type { Probe } from '../../runner/optimizer-probes.js';
import type { TuningRun } from '../../runner/training-probes.js';
import { tuningVerdict } from '../training-grader.js';
import { notObserved, type Check } from './check.js';

export const TUNING_CHECK: Check = {
  id: 'tuning',
  needs: [],
  group: 'visible',
  grade: async (ctx) => {
    const failed = (message: string) => ({ id: ctx.id, status: 'failed' as const, message, durationMs: performance.now() - ctx.started });
    const read = readTuningChoice(ctx.dir);
    if (!read.ok) return failed(read.message);
    const { choice } = read;
    const names = Object.keys(OPTIMIZER_DEFAULTS[choice.optimizer]);
    const unknown = Object.keys(choice.hyperparameters).filter((k) => !names.includes(k));
    if (unknown.length > 0) {
      return failed(`tuning.json names hyperparameters ${unknown.join(', ')}, which ${choice.optimizer} does not have (it has ${names.join(', ')})`);
    }
    const defaults = OPTIMIZER_DEFAULTS[choice.optimizer] as Record<string, number>;
    const args = names.map((k) => choice.hyperparameters[k] ?? defaults[k]!);
    // Retrained with the submission's own optimizer, in its process, so the student's local grade and the TA's agree.
    const request = { kind: 'tuning' as const, optimizer: choice.optimizer, args, batchSize: choice.batchSize, seed: ctx.thresholds.gradingSeed };
    const outcome = await ctx.run(request, `retraining with the tuning choice (${choice.optimizer})`);
    return outcome.ok ? tuningVerdict(ctx.id, choice, outcome.result as Probe<{ value: TuningRun }>, ctx.started) : notObserved(ctx, outcome);
  },
};
