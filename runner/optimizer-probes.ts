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

type Steps = Trajectory['steps'];

/**
 * Raw observations only: the grading process computes every figure from them (with its own,
 * unpatched arithmetic), so code in the child that patches Math or Array cannot bend a verdict.
 */
export interface OptimizerProbes {
  /** The parameters after every step with lr = 0. */
  lrZero: Probe<{ steps: Steps }>;
  /** The first two parameters stepped together, and each alone. */
  separateState: Probe<{ together: Steps; aloneFirst: Steps; aloneSecond: Steps }>;
  /** tf.memory().numTensors after each of 10 steps on one parameter. */
  leak: Probe<{ counts: number[] }>;
  /** model.fit on a small dense model: the loss per epoch, and the weights before and after. */
  fit: Probe<{ losses: number[]; before: number[]; after: number[] }>;
}

function faultOf(trajectory: Trajectory): string | undefined {
  return trajectory.fault === undefined
    ? undefined
    : `${trajectory.fault.step === 0 ? 'the constructor' : `step ${trajectory.fault.step}`} threw: ${trajectory.fault.message}`;
}

/** `input` is a teacher-forced case of this optimizer (its first two parameters are used). */
export async function probeOptimizer(
  classes: OptimizerClasses,
  input: TeacherForcedInput,
): Promise<OptimizerProbes> {
  const [first, second] = input.params as [TeacherForcedInput['params'][0], TeacherForcedInput['params'][0]];
  const only = (names: string[]): TeacherForcedInput => ({
    ...input,
    params: input.params.filter((p) => names.includes(p.name)),
    grads: input.grads.map((g) => Object.fromEntries(names.map((n) => [n, g[n] ?? null]))),
  });
  const probes = {} as OptimizerProbes;

  const zero = runOptimizerCase(classes, { ...input, args: [0, ...input.args.slice(1)] });
  const zeroFault = faultOf(zero);
  probes.lrZero = zeroFault ? { ok: false, fault: zeroFault } : { ok: true, steps: zero.steps };

  const together = runOptimizerCase(classes, only([first.name, second.name]));
  const aloneA = runOptimizerCase(classes, only([first.name]));
  const aloneB = runOptimizerCase(classes, only([second.name]));
  const separateFault = faultOf(together) ?? faultOf(aloneA) ?? faultOf(aloneB);
  probes.separateState = separateFault
    ? { ok: false, fault: separateFault }
    : { ok: true, together: together.steps, aloneFirst: aloneA.steps, aloneSecond: aloneB.steps };

  const steady = only([first.name]);
  const repeated: TeacherForcedInput = {
    ...steady,
    grads: Array.from({ length: 10 }, (_, k) => steady.grads[k % steady.grads.length]!),
  };
  const leak = runOptimizerCase(classes, repeated);
  const leakFault = faultOf(leak);
  probes.leak = leakFault ? { ok: false, fault: leakFault } : { ok: true, counts: leak.tensorCounts };

  probes.fit = await probeFit(classes, input);
  return probes;
}

async function probeFit(
  classes: OptimizerClasses,
  input: TeacherForcedInput,
): Promise<OptimizerProbes['fit']> {
  const Optimizer = classes[input.optimizer] as unknown as new (...args: number[]) => tf.Optimizer;
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ units: 1, inputShape: [2], kernelInitializer: 'zeros', biasInitializer: 'zeros' }),
    ],
  });
  const x = tf.tensor2d([
    [1, 2],
    [2, 1],
    [0, 1],
    [1, 0],
  ]);
  const y = tf.tensor2d([[3], [3], [1], [1]]);
  let optimizer: tf.Optimizer | undefined;
  try {
    optimizer = new Optimizer(0.01, ...input.args.slice(1));
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const before = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    const history = await model.fit(x, y, { epochs: 3, batchSize: 2, verbose: 0, shuffle: false });
    const after = model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    return { ok: true, losses: history.history['loss'] as number[], before, after };
  } catch (thrown) {
    return { ok: false, fault: `model.fit threw: ${describeThrown(thrown)}` };
  } finally {
    try {
      optimizer?.dispose();
    } catch {
      /* the student's dispose */
    }
    tf.dispose([x, y]);
    model.dispose();
  }
}
