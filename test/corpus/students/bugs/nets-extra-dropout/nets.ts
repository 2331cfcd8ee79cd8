/** GarmentClassifier with a dropout before its classifier head "against overfitting": a layer SPEC.md's net does not have, active only in training. */
import * as tf from '@tensorflow/tfjs';
import type { NetOptions } from '#contract/index.js';
import { torchInit } from '#course/torch-init.js';

export function getOneFCNet({ seed = 1 }: NetOptions = {}): tf.Sequential {
  return tf.sequential({ layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10, ...torchInit(784, seed) })] });
}

export function getGarmentClassifier({ seed = 1 }: NetOptions = {}): tf.Sequential {
  const net = tf.sequential();
  net.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, activation: 'relu', ...torchInit(25, seed) }));
  net.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  net.add(tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu', ...torchInit(150, seed + 1) }));
  net.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  net.add(tf.layers.flatten());
  net.add(tf.layers.dropout({ rate: 0.25 }));
  net.add(tf.layers.dense({ units: 120, activation: 'relu', ...torchInit(256, seed + 2) }));
  net.add(tf.layers.dense({ units: 84, activation: 'relu', ...torchInit(120, seed + 3) }));
  net.add(tf.layers.dense({ units: 10, ...torchInit(84, seed + 4) }));
  return net;
}
