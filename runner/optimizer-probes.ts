/**
 * Property probes of a submission's optimizer, returning plain numbers: lr = 0 changes nothing,
 * two parameters step as each would alone (state is per parameter), the tensor count is stable
 * after the first step, and it trains a tfjs-layers model inside `model.fit`.
 */
import * as tf from '@tensorflow/tfjs';
import type { TeacherForcedInput } from '../contract/fixture-schema.js';
import type { OptimizerClasses } from '../contract/index.js';
import { describeThrown, runOptimizerCase, type Trajectory } from './optimizer-case.js';

export type Probe<T> = ({ ok: true } & T) | { ok: false; fault: string };

export interface OptimizerProbes {
  /** The largest change of any parameter over all steps with lr = 0. */
  lrZero: Probe<{ maxChange: number }>;
  /** The largest difference between two parameters stepped together and each alone. */
  separateState: Probe<{ maxDifference: number }>;
  /** tf.memory().numTensors after each of 10 steps on one parameter. */
  leak: Probe<{ counts: number[] }>;
  /** model.fit on a small dense model: the loss per epoch and whether the weights moved. */
  fit: Probe<{ losses: number[]; weightsChanged: boolean }>;
}

function faultOf(trajectory: Trajectory): string | undefined {
  return trajectory.fault === undefined ? undefined
    : `${trajectory.fault.step === 0 ? 'the constructor' : `step ${trajectory.fault.step}`} threw: ${trajectory.fault.message}`;
}

function maxDifference(a: Trajectory, b: Trajectory, params: string[]): number {
  let worst = 0;
  a.steps.forEach((step, k) => {
    for (const name of params) {
      const x = step[name]!;
      const y = b.steps[k]?.[name] ?? [];
      x.forEach((v, i) => { worst = Math.max(worst, Number.isNaN(v - y[i]!) ? Infinity : Math.abs(v - y[i]!)); });
    }
  });
  return worst;
}

/** `input` is a teacher-forced case of this optimizer (its first two parameters are used). */
export async function probeOptimizer(classes: OptimizerClasses, input: TeacherForcedInput): Promise<OptimizerProbes> {
  const [first, second] = input.params as [TeacherForcedInput['params'][0], TeacherForcedInput['params'][0]];
  const only = (names: string[]): TeacherForcedInput => ({
    ...input,
    params: input.params.filter((p) => names.includes(p.name)),
    grads: input.grads.map((g) => Object.fromEntries(names.map((n) => [n, g[n] ?? null]))),
  });
  const probes = {} as OptimizerProbes;

  const zero = runOptimizerCase(classes, { ...input, args: [0, ...input.args.slice(1)] });
  const zeroFault = faultOf(zero);
  if (zeroFault) probes.lrZero = { ok: false, fault: zeroFault };
  else {
    let maxChange = 0;
    for (const step of zero.steps) {
      for (const p of input.params) {
        step[p.name]!.forEach((v, i) => { maxChange = Math.max(maxChange, Number.isNaN(v) ? Infinity : Math.abs(v - Math.fround(p.initial[i]!))); });
      }
    }
    probes.lrZero = { ok: true, maxChange };
  }

  const together = runOptimizerCase(classes, only([first.name, second.name]));
  const aloneA = runOptimizerCase(classes, only([first.name]));
  const aloneB = runOptimizerCase(classes, only([second.name]));
  const separateFault = faultOf(together) ?? faultOf(aloneA) ?? faultOf(aloneB);
  probes.separateState = separateFault ? { ok: false, fault: separateFault }
    : { ok: true, maxDifference: Math.max(maxDifference(aloneA, together, [first.name]), maxDifference(aloneB, together, [second.name])) };

  const steady = only([first.name]);
  const repeated: TeacherForcedInput = { ...steady, grads: Array.from({ length: 10 }, (_, k) => steady.grads[k % steady.grads.length]!) };
  const leak = runOptimizerCase(classes, repeated);
  const leakFault = faultOf(leak);
  probes.leak = leakFault ? { ok: false, fault: leakFault } : { ok: true, counts: leak.tensorCounts };

  probes.fit = await probeFit(classes, input);
  return probes;
}

async function probeFit(classes: OptimizerClasses, input: TeacherForcedInput): Promise<OptimizerProbes['fit']> {
  const Optimizer = classes[input.optimizer] as unknown as new (...args: number[]) => tf.Optimizer;
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'zeros', biasInitializer: 'zeros' })] });
  const x = tf.tensor2d([[1, 2], [2, 1], [0, 1], [1, 0]]);
  const y = tf.tensor2d([[3], [3], [1], [1]]);
  let optimizer: tf.Optimizer | undefined;
  try {
    optimizer = new Optimizer(0.01, ...input.args.slice(1));
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const before = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    const history = await model.fit(x, y, { epochs: 3, batchSize: 2, verbose: 0, shuffle: false });
    const after = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    return { ok: true, losses: history.history['loss'] as number[], weightsChanged: after.some((v, i) => v !== before[i]) };
  } catch (thrown) {
    return { ok: false, fault: `model.fit threw: ${describeThrown(thrown)}` };
  } finally {
    try { optimizer?.dispose(); } catch { /* the student's dispose */ }
    tf.dispose([x, y]);
    model.dispose();
  }
}
