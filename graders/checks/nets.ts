/**
 * `nets`: the student's OneFCNet and GarmentClassifier are run. The grader draws two weight sets
 * and image batches (a fixed one, and a fresh one every grading), the student's nets load the
 * weights and return their logits, and the grading process compares them with the notebook's net
 * it builds itself (graders/net-models.ts). Shapes and parameter counts are checked first.
 */
import { randomInt } from 'node:crypto';
import { mulberry32 } from '../../course/rng.js';
import type { Probe } from '../../runner/optimizer-probes.js';
import type { NetInputs, NetProbe } from '../../runner/training-probes.js';
import { NET_VARIANTS, variantLogits, type NetName, type NetVariant } from '../net-models.js';
import type { Verdict } from '../verdict.js';
import { notObserved, type Check } from './check.js';
import { faultOutcome } from '../training-grader.js';

const EXPECTED: Record<NetName, { params: number; shapes: number[][] }> = {
  OneFCNet: { params: 7850, shapes: [[784, 10], [10]] },
  GarmentClassifier: {
    params: 44426,
    shapes: [[5, 5, 1, 6], [6], [5, 5, 6, 16], [16], [256, 120], [120], [120, 84], [84], [84, 10], [10]],
  },
};
const FAN_IN: Record<NetName, number[]> = {
  OneFCNet: [784, 784],
  GarmentClassifier: [25, 25, 150, 150, 256, 256, 120, 120, 84, 84],
};
const IMAGES = 4;
const PUBLIC_SEED = 3;
const TOLERANCE = { atol: 1e-4, rtol: 1e-3 };

function drawInputs(name: NetName, seeds: number[]): NetInputs {
  const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
  const sets = seeds.map((seed) => {
    const rng = mulberry32(seed);
    const uniform = (n: number, bound: number): number[] =>
      Array.from({ length: n }, () => Math.fround((2 * rng() - 1) * bound));
    return {
      weights: EXPECTED[name].shapes.map((shape, i) => uniform(size(shape), 1 / Math.sqrt(FAN_IN[name][i]!))),
      images: uniform(IMAGES * 784, 1),
    };
  });
  return { weights: sets.map((s) => s.weights), images: sets.map((s) => s.images) };
}

const close = (got: readonly number[], want: readonly number[]): boolean =>
  got.length === want.length &&
  want.every((e, i) => Math.abs(got[i]! - e) <= TOLERANCE.atol + TOLERANCE.rtol * Math.abs(e));

interface NetJudgement {
  problem?: string;
  mistake?: NetVariant;
}

function judgeNet(name: NetName, probe: NetProbe, inputs: NetInputs): NetJudgement {
  const want = EXPECTED[name];
  const problems: string[] = [];
  if (probe.paramCount !== want.params)
    problems.push(`${name} has ${probe.paramCount} parameters, expected ${want.params}`);
  if (JSON.stringify(probe.weightShapes) !== JSON.stringify(want.shapes)) {
    problems.push(
      `${name}'s trainable weights have shapes ${JSON.stringify(probe.weightShapes)}, expected ${JSON.stringify(want.shapes)}`,
    );
  }
  if (JSON.stringify(probe.outputShape) !== '[2,10]')
    problems.push(
      `${name} maps 2 images to shape [${probe.outputShape.join(', ')}], expected [2, 10] (logits)`,
    );
  if (problems.length > 0) return { problem: problems.join('; ') };
  for (const [mode, sets] of [
    ['', probe.logits],
    [' in training mode', probe.trainingLogits],
  ] as const) {
    if (sets.length !== inputs.weights.length || sets.some((l) => l.length !== IMAGES * 10)) {
      return {
        problem: `incomplete observation: ${name} returned ${sets.length} logit sets${mode} (${sets.map((l) => l.length).join(', ')} values), expected ${inputs.weights.length} of ${IMAGES * 10}`,
      };
    }
  }
  const logitsOf = (variant: NetVariant): number[][] =>
    inputs.weights.map((w, k) => variantLogits(variant, w, inputs.images[k]!));
  const [correct, ...others] = NET_VARIANTS[name];
  const expected = logitsOf(correct!);
  const matches = (variant: NetVariant, logits = logitsOf(variant)): boolean =>
    logits.every((l, k) => close(probe.logits[k]!, l));
  if (matches(correct!, expected) || others.some((v) => v.equivalent && matches(v)))
    return trainingModeProblem(name, probe);
  const [k, at] = probe.logits
    .map((l, set) => [set, l.findIndex((g, i) => !close([g], [expected[set]![i]!]))] as const)
    .find(([, i]) => i >= 0) ?? [0, 0];
  const where = `${k === 0 ? 'the fixed' : 'the fresh'} weights and images, image ${Math.floor(at / 10)}, logit ${at % 10}`;
  const figures = `with ${where}: expected ${expected[k]![at]!.toPrecision(6)}, got ${probe.logits[k]![at]!.toPrecision(6)}`;
  const named = others.filter((v) => !v.equivalent && matches(v));
  const rule =
    name === 'OneFCNet'
      ? 'flatten then one dense layer 784 -> 10 (logits)'
      : 'conv 1->6 k5, relu, maxpool 2, conv 6->16 k5, relu, maxpool 2, flatten, dense 256->120 relu, dense 120->84 relu, dense 84->10';
  const problem = `${name} loaded with the grader's weights does not compute SPEC.md's net (${rule}): ${figures}`;
  return named.length === 1
    ? { problem: `${problem}. This looks like a known mistake: ${named[0]!.hint}`, mistake: named[0]! }
    : { problem };
}

/**
 * The net a training step runs (`net.apply(x, { training: true })`) must be the net compared above:
 * SPEC.md's nets have no layer that acts only in training (dropout, noise), so both modes give the
 * same logits. Called once inference mode matched.
 */
function trainingModeProblem(name: NetName, probe: NetProbe): NetJudgement {
  const at = probe.trainingLogits
    .map((l, set) => [set, l.findIndex((g, i) => !close([g], [probe.logits[set]![i]!]))] as const)
    .find(([, i]) => i >= 0);
  if (at === undefined) return {};
  const [k, i] = at;
  return {
    problem: `${name} computes SPEC.md's net in inference mode (predict), but in training mode (net.apply(x, { training: true }), as trainingStep runs it) it gives other logits: with ${k === 0 ? 'the fixed' : 'the fresh'} weights and images, image ${Math.floor(i / 10)}, logit ${i % 10}: ${probe.logits[k]![i]!.toPrecision(6)} in inference, ${probe.trainingLogits[k]![i]!.toPrecision(6)} in training. A layer acts only in training (dropout, noise, batch statistics): the net trained is not SPEC.md's net, which has no such layer`,
  };
}

export const NETS_CHECK: Check = {
  id: 'nets',
  needs: ['getOneFCNet', 'getGarmentClassifier'],
  group: 'visible',
  grade: async (ctx): Promise<Verdict> => {
    const fresh = randomInt(1, 2 ** 31 - 1);
    const inputs = {
      OneFCNet: drawInputs('OneFCNet', [PUBLIC_SEED, fresh]),
      GarmentClassifier: drawInputs('GarmentClassifier', [PUBLIC_SEED, fresh]),
    };
    const outcome = await ctx.run({ kind: 'nets', inputs }, 'the nets');
    if (!outcome.ok) return notObserved(ctx, outcome);
    const probes = outcome.result as Record<NetName, Probe<{ value: NetProbe }>>;
    const done = (v: Omit<Verdict, 'id' | 'durationMs'>): Verdict => ({
      id: ctx.id,
      ...v,
      durationMs: performance.now() - ctx.started,
    });
    const judged: NetJudgement[] = [];
    for (const name of ['OneFCNet', 'GarmentClassifier'] as const) {
      const probe = probes[name];
      if (!probe.ok) return done(faultOutcome(`get${name}()`, probe.fault));
      judged.push(judgeNet(name, probe.value, inputs[name]));
    }
    const failed = judged.filter((j) => j.problem !== undefined);
    if (failed.length === 0) {
      return done({
        status: 'passed',
        message:
          "both nets have the notebook's layers and 7,850 and 44,426 parameters, and with the grader's weights return the logits of SPEC.md's nets",
      });
    }
    const mistake = failed.find((j) => j.mistake !== undefined)?.mistake;
    return done({
      status: 'failed',
      message: failed.map((j) => j.problem).join('; '),
      ...(mistake ? { mistake: { id: mistake.id, hint: mistake.hint } } : {}),
    });
  },
};
