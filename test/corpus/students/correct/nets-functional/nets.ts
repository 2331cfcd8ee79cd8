/** The nets with tfjs's functional API (tf.input, layer.apply, tf.model), as a PyTorch forward() reads. */
import * as tf from '@tensorflow/tfjs';
import type { NetOptions } from '#contract/index.js';
import { torchInit } from '#course/torch-init.js';

export function getOneFCNet({ seed = 1 }: NetOptions = {}): tf.LayersModel {
  const input = tf.input({ shape: [28, 28, 1] });
  const flat = tf.layers.flatten().apply(input);
  const out = tf.layers.dense({ units: 10, ...torchInit(784, seed) }).apply(flat) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

export function getGarmentClassifier({ seed = 1 }: NetOptions = {}): tf.LayersModel {
  const input = tf.input({ shape: [28, 28, 1] });
  let x = tf.layers.conv2d({ filters: 6, kernelSize: 5, activation: 'relu', ...torchInit(25, seed) }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu', ...torchInit(150, seed + 1) }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten().apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 120, activation: 'relu', ...torchInit(256, seed + 2) }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 84, activation: 'relu', ...torchInit(120, seed + 3) }).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 10, ...torchInit(84, seed + 4) }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
