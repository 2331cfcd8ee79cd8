/**
 * `optimizer.<Name>.properties`: lr = 0, state per parameter, no tensor leak, works in model.fit.
 * The inputs are drawn here, afresh for every grading (the shapes of the first public case, random
 * initial values and gradients, the same steps without a gradient), so no answer is known in advance.
 */
import { randomInt } from 'node:crypto';
import type { TeacherForcedInput } from '../../contract/fixture-schema.js';
import { OPTIMIZER_DEFAULTS, OPTIMIZER_NAMES } from '../../contract/index.js';
import { mulberry32, type Rng } from '../../course/rng.js';
import type { OptimizerProbes } from '../../runner/optimizer-probes.js';
import { propertiesVerdict } from '../optimizer-grader.js';
import { casesOf, notObserved, type Check } from './check.js';

const draw = (rng: Rng, n: number, scale: number): number[] =>
  Array.from({ length: n }, () => Math.fround((2 * rng() - 1) * scale));

/** `template` with fresh random values in place of every initial value and gradient. */
export function freshInput(template: TeacherForcedInput, args: number[], seed: number): TeacherForcedInput {
  const rng = mulberry32(seed);
  return {
    ...template,
    args,
    params: template.params.map((p) => ({ ...p, initial: draw(rng, p.initial.length, 1) })),
    grads: template.grads.map((g) =>
      Object.fromEntries(Object.entries(g).map(([k, v]) => [k, v === null ? null : draw(rng, v.length, 1)])),
    ),
  };
}

export const PROPERTIES_CHECKS: Check[] = OPTIMIZER_NAMES.map((name): Check => ({
  id: `optimizer.${name}.properties`,
  needs: [name],
  group: 'visible',
  grade: async (ctx) => {
    const template = casesOf(ctx.publicCases, name, 'teacher-forced')[0]?.input as
      TeacherForcedInput | undefined;
    if (template === undefined) throw new Error(`no teacher-forced fixture for ${name}`);
    const probeInput = freshInput(
      template,
      Object.values(OPTIMIZER_DEFAULTS[name]) as number[],
      randomInt(1, 2 ** 31 - 1),
    );
    const outcome = await ctx.run(
      { kind: 'probe-optimizer', input: probeInput },
      `${name}'s property checks`,
    );
    return outcome.ok
      ? propertiesVerdict(ctx.id, name, outcome.result as OptimizerProbes, probeInput, ctx.started)
      : notObserved(ctx, outcome);
  },
}));
