/** `training.loop`: theLoop's states, losses, validation losses, SWA and the epochs check. */
import type { Probe } from '../../runner/optimizer-probes.js';
import type { LoopProbe } from '../../runner/training-probes.js';
import { loopVerdict } from '../training-grader.js';
import { notObserved, type Check } from './check.js';

export const LOOP_CHECK: Check = {
  id: 'training.loop',
  needs: ['theLoop'],
  group: 'visible',
  grade: async (ctx) => {
    const expected = ctx.expectations().loop;
    const outcome = await ctx.run({ kind: 'loop' }, 'theLoop');
    return outcome.ok ? loopVerdict(ctx.id, outcome.result as Probe<{ value: LoopProbe }>, expected, ctx.started) : notObserved(ctx, outcome);
  },
};
