/**
 * What the grading process measures itself from a net's parameters that a child returned: it
 * builds the harness's net, checks the parameters' shapes and values (finite), loads them and
 * evaluates on data it loads itself. No loss or accuracy figure from the child is believed.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '../course/data/dataset.js';
import { DataLoader, randomSplit, subset } from '../course/data/data-loader.js';
import { loadMnist } from '../course/data/mnist.js';
import { evaluate, type Evaluation } from '../course/metrics.js';
import { readState, writeState } from '../course/params.js';
import { harnessLoss, harnessNet } from '../runner/harness-training.js';

/** The training checks measure the loss on this many samples of the training subset (its first ones). */
export const MEASURED_SAMPLES = 640;

let embedded: ImageDataset | undefined;
export const gradingData = (): ImageDataset => (embedded ??= loadMnist().train);

/**
 * One GarmentClassifier for every measurement in this process: its parameters are overwritten
 * whole before each (the net has no other state), so nets are not rebuilt per check.
 */
let measuringNet: tf.Sequential | undefined;
const sharedNet = (): tf.Sequential => (measuringNet ??= harnessNet('GarmentClassifier', 1));

/** The number of values of each of the GarmentClassifier's parameter tensors. */
function parameterSizes(): number[] {
  return sharedNet().trainableWeights.map((w) => w.shape.reduce<number>((a, b) => a * (b ?? 1), 1));
}

/** Why `params` cannot be the GarmentClassifier's parameters, or undefined. */
export function parameterProblem(params: readonly (readonly number[])[], what: string): string | undefined {
  const sizes = parameterSizes();
  if (params.length !== sizes.length || params.some((p, i) => p.length !== sizes[i])) {
    return `incomplete observation: ${what} holds ${params.length} tensors of ${params.map((p) => p.length).join(', ')} values, expected ${sizes.length} of ${sizes.join(', ')}`;
  }
  const bad = params.reduce((n, p) => n + p.filter((v) => !Number.isFinite(v)).length, 0);
  return bad > 0 ? `${what} holds ${bad} NaN or infinite values` : undefined;
}

/** The GarmentClassifier initialised from `seed` with `params` loaded (or as initialised), evaluated on `loader`. */
export function evaluateParams(
  seed: number,
  params: readonly (readonly number[])[] | undefined,
  loader: DataLoader,
): Evaluation {
  const net = sharedNet();
  writeState(
    net,
    (params ?? initialParams(seed)).map((p) => Float32Array.from(p)),
  );
  return evaluate(net, loader, harnessLoss);
}

const initial = new Map<number, readonly (readonly number[])[]>();

/** The initial parameters of the harness's GarmentClassifier for `seed` (made once per seed). */
export function initialParams(seed: number): readonly (readonly number[])[] {
  let params = initial.get(seed);
  if (params === undefined) {
    const net = harnessNet('GarmentClassifier', seed);
    try {
      params = readState(net).map((a) => Array.from(a));
    } finally {
      net.dispose();
    }
    initial.set(seed, params);
  }
  return params;
}

export const measuredSubset = (): DataLoader =>
  new DataLoader(
    subset(
      gradingData(),
      Array.from({ length: MEASURED_SAMPLES }, (_, i) => i),
    ),
    { batchSize: 320 },
  );

/** The tuning split's validation and test loaders for `seed` (as the child's training used). */
export function tuningLoaders(seed: number): { val: DataLoader; test: DataLoader } {
  const [, val, test] = randomSplit(gradingData(), [0.9, 0.05, 0.05], seed);
  return { val: new DataLoader(val!, { batchSize: 256 }), test: new DataLoader(test!, { batchSize: 256 }) };
}
