/**
 * The two nets of the notebook, as tfjs-layers models on 28×28×1 images (NHWC) returning logits.
 * SPEC.md, "Parts a student implements": nets.
 */
import * as tf from '@tensorflow/tfjs';
import { torchInit } from '../course/torch-init.js';

export interface NetOptions {
  /** Seed of the initial weights; the same seed gives the same weights on every backend. */
  seed?: number;
}

/** Flatten, then one dense layer 784 → 10. 7,850 parameters. */
export function getOneFCNet({ seed = 1 }: NetOptions = {}): tf.Sequential {
  return tf.sequential({
    name: 'OneFCNet',
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: 10, ...torchInit(784, seed) }),
    ],
  });
}

/** conv 1→6 k5, relu, pool 2, conv 6→16 k5, relu, pool 2, dense 256→120→84→10. 44,426 parameters. */
export function getGarmentClassifier({ seed = 1 }: NetOptions = {}): tf.Sequential {
  return tf.sequential({
    name: 'GarmentClassifier',
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, activation: 'relu', ...torchInit(1 * 25, seed) }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu', ...torchInit(6 * 25, seed + 1) }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 120, activation: 'relu', ...torchInit(256, seed + 2) }),
      tf.layers.dense({ units: 84, activation: 'relu', ...torchInit(120, seed + 3) }),
      tf.layers.dense({ units: 10, ...torchInit(84, seed + 4) }),
    ],
  });
}
