/** PyTorch's layout: activations as separate layers, ReLU after the pooling, and channels first before flattening. */
import * as tf from '@tensorflow/tfjs';
import type { NetOptions } from '#contract/index.js';
import { torchInit } from '#course/torch-init.js';

export function getOneFCNet({ seed = 1 }: NetOptions = {}): tf.Sequential {
  const net = tf.sequential();
  net.add(tf.layers.reshape({ targetShape: [784], inputShape: [28, 28, 1] }));
  net.add(tf.layers.dense({ units: 10, ...torchInit(784, seed) }));
  return net;
}

export function getGarmentClassifier({ seed = 1 }: NetOptions = {}): tf.Sequential {
  const net = tf.sequential();
  net.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, ...torchInit(25, seed) }));
  net.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  net.add(tf.layers.reLU());
  net.add(tf.layers.conv2d({ filters: 16, kernelSize: 5, ...torchInit(150, seed + 1) }));
  net.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
  net.add(tf.layers.reLU());
  net.add(tf.layers.permute({ dims: [3, 1, 2] }));
  net.add(tf.layers.flatten());
  net.add(tf.layers.dense({ units: 120, ...torchInit(256, seed + 2) }));
  net.add(tf.layers.activation({ activation: 'relu' }));
  net.add(tf.layers.dense({ units: 84, ...torchInit(120, seed + 3) }));
  net.add(tf.layers.activation({ activation: 'relu' }));
  net.add(tf.layers.dense({ units: 10, ...torchInit(84, seed + 4) }));
  return net;
}
