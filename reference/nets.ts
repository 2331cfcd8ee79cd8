/**
 * The two nets of the notebook, as tfjs-layers models on 28×28×1 images (NHWC) returning logits.
 * SPEC.md, "Parts a student implements" (nets).
 */
import * as tf from '@tensorflow/tfjs';
import type { NetOptions } from '#contract/index.js';
import { torchInit } from '#course/torch-init.js';
// TEMPLATE: import { notImplemented } from '#course/not-implemented.js';

/** Flatten, then one dense layer 784 → 10. 7,850 parameters. */
export function getOneFCNet({ seed = 1 }: NetOptions = {}): tf.Sequential {
  // tf.sequential with tf.layers.flatten({ inputShape: [28, 28, 1] }) and tf.layers.dense.
  // Give every layer PyTorch's initialisation with ...torchInit(fanIn, seed) (fanIn = inputs per unit).
  // BEGIN SOLUTION getOneFCNet @nets
  return tf.sequential({
    name: 'OneFCNet',
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: 10, ...torchInit(784, seed) }),
    ],
  });
  // END SOLUTION
}

/** conv 1→6 k5, relu, pool 2, conv 6→16 k5, relu, pool 2, dense 256→120→84→10. 44,426 parameters. */
export function getGarmentClassifier({ seed = 1 }: NetOptions = {}): tf.Sequential {
  // The notebook gives this net in PyTorch:
  //   Conv2d(1, 6, kernel_size=5), ReLU, MaxPool2d(2, 2), Conv2d(6, 16, kernel_size=5), ReLU,
  //   MaxPool2d(2, 2), Flatten, Linear(16·4·4, 120), ReLU, Linear(120, 84), ReLU, Linear(84, 10).
  // In tfjs: tf.layers.conv2d({ filters, kernelSize, activation: 'relu' }), tf.layers.maxPooling2d,
  // tf.layers.flatten, tf.layers.dense. Initialise layer k (from 0) with ...torchInit(fanIn, seed + k),
  // where fanIn is inChannels·5·5 for a conv and the input size for a dense layer.
  // BEGIN SOLUTION getGarmentClassifier @nets
  return tf.sequential({
    name: 'GarmentClassifier',
    layers: [
      tf.layers.conv2d({
        inputShape: [28, 28, 1],
        filters: 6,
        kernelSize: 5,
        activation: 'relu',
        ...torchInit(1 * 25, seed),
      }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu', ...torchInit(6 * 25, seed + 1) }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 120, activation: 'relu', ...torchInit(256, seed + 2) }),
      tf.layers.dense({ units: 84, activation: 'relu', ...torchInit(120, seed + 3) }),
      tf.layers.dense({ units: 10, ...torchInit(84, seed + 4) }),
    ],
  });
  // END SOLUTION
}
