/** `training.step`: lossFn and trainingStep. */
import type { Probe } from '../../runner/optimizer-probes.js';
import type { StepProbe } from '../../runner/training-probes.js';
import { stepVerdict } from '../training-grader.js';
import { notObserved, type Check } from './check.js';

export const STEP_CHECK: Check = {
  id: 'training.step',
  needs: ['trainingStep', 'lossFn'],
  group: 'visible',
  grade: async (ctx) => {
    const expected = ctx.expectations().step;
    const outcome = await ctx.run({ kind: 'step' }, 'trainingStep');
    return outcome.ok
      ? stepVerdict(ctx.id, outcome.result as Probe<{ value: StepProbe }>, expected, ctx.started)
      : notObserved(ctx, outcome);
  },
};
