/** `optimizer.<Name>.properties`: lr = 0, state per parameter, no tensor leak, works in model.fit. */
import type { TeacherForcedInput } from '../../contract/fixture-schema.js';
import { OPTIMIZER_DEFAULTS, OPTIMIZER_NAMES } from '../../contract/index.js';
import type { OptimizerProbes } from '../../runner/optimizer-probes.js';
import { propertiesVerdict } from '../optimizer-grader.js';
import { casesOf, notObserved, type Check } from './check.js';

export const PROPERTIES_CHECKS: Check[] = OPTIMIZER_NAMES.map((name): Check => ({
  id: `optimizer.${name}.properties`,
  needs: [name],
  group: 'visible',
  grade: async (ctx) => {
    const input = casesOf(ctx.publicCases, name, 'teacher-forced')[0]?.input as TeacherForcedInput | undefined;
    if (input === undefined) throw new Error(`no teacher-forced fixture for ${name}`);
    const probeInput = { ...input, args: Object.values(OPTIMIZER_DEFAULTS[name]) as number[] };
    const outcome = await ctx.run({ kind: 'probe-optimizer', input: probeInput }, `${name}'s property checks`);
    return outcome.ok ? propertiesVerdict(ctx.id, name, outcome.result as OptimizerProbes, probeInput, ctx.started) : notObserved(ctx, outcome);
  },
}));
