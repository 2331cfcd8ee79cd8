/** `nets`: OneFCNet and GarmentClassifier. */
import type { Probe } from '../../runner/optimizer-probes.js';
import type { NetProbe } from '../../runner/training-probes.js';
import { netsVerdict } from '../training-grader.js';
import { notObserved, type Check } from './check.js';

export const NETS_CHECK: Check = {
  id: 'nets',
  needs: ['getOneFCNet', 'getGarmentClassifier'],
  group: 'visible',
  grade: async (ctx) => {
    const outcome = await ctx.run({ kind: 'nets' }, 'the nets');
    return outcome.ok
      ? netsVerdict(ctx.id, outcome.result as Record<'OneFCNet' | 'GarmentClassifier', Probe<{ value: NetProbe }>>, ctx.started)
      : notObserved(ctx, outcome);
  },
};
