/** `data`: makeLoaders's subset and loaders. */
import type { Probe } from '../../runner/optimizer-probes.js';
import type { LoaderProbe } from '../../runner/training-probes.js';
import { dataVerdict } from '../training-grader.js';
import { notObserved, type Check } from './check.js';

export const DATA_CHECK: Check = {
  id: 'data',
  needs: ['makeLoaders'],
  group: 'visible',
  grade: async (ctx) => {
    const outcome = await ctx.run({ kind: 'data' }, 'makeLoaders');
    return outcome.ok ? dataVerdict(ctx.id, outcome.result as Probe<{ value: LoaderProbe }>, ctx.started) : notObserved(ctx, outcome);
  },
};
