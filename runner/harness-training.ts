/**
 * The harness's own small training code, used where a test needs a net or a training run that is
 * not the part under test. It is deliberately not the reference solution: the child process that
 * runs a submission is bundled with this file and never with the reference's code.
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchSource } from '../course/data/data-loader.js';
import type { LossFn, Net } from '../course/params.js';
import { torchInit } from '../course/torch-init.js';

/** Softmax cross-entropy on logits with integer labels, the mean over the batch. */
export const harnessLoss: LossFn = (logits, labels) =>
  tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.cast(labels, 'int32'), 10), logits) as tf.Scalar);

type LayerSpec = ['conv', number, number] | ['pool'] | ['flatten'] | ['dense', number, number, boolean];

const SPECS: Record<'OneFCNet' | 'GarmentClassifier', LayerSpec[]> = {
  OneFCNet: [['flatten'], ['dense', 10, 784, false]],
  GarmentClassifier: [
    ['conv', 6, 25],
    ['pool'],
    ['conv', 16, 150],
    ['pool'],
    ['flatten'],
    ['dense', 120, 256, true],
    ['dense', 84, 120, true],
    ['dense', 10, 84, false],
  ],
};

/** The notebook's nets, built from a table; initialised like PyTorch from `seed`. */
export function harnessNet(kind: 'OneFCNet' | 'GarmentClassifier', seed: number): tf.Sequential {
  const net = tf.sequential();
  let k = 0;
  SPECS[kind].forEach((spec, i) => {
    const first = i === 0 ? { inputShape: [28, 28, 1] } : {};
    if (spec[0] === 'conv')
      net.add(
        tf.layers.conv2d({
          ...first,
          filters: spec[1],
          kernelSize: 5,
          activation: 'relu',
          ...torchInit(spec[2], seed + k++),
        }),
      );
    else if (spec[0] === 'pool') net.add(tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }));
    else if (spec[0] === 'flatten') net.add(tf.layers.flatten(first));
    else
      net.add(
        tf.layers.dense({
          units: spec[1],
          ...(spec[3] ? { activation: 'relu' as const } : {}),
          ...torchInit(spec[2], seed + k++),
        }),
      );
  });
  return net;
}

/** Trains for `epochs` passes with `optimizer`, returning the loss of every step. */
export function harnessTrain(
  net: Net,
  optimizer: tf.Optimizer,
  loader: BatchSource,
  epochs: number,
  lossFn: LossFn = harnessLoss,
): number[] {
  const variables = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const losses: number[] = [];
  for (let e = 0; e < epochs; e++) {
    for (const { images, labels } of loader) {
      const cost = optimizer.minimize(
        () => lossFn(net.apply(images, { training: true }) as tf.Tensor, labels),
        true,
        variables,
      );
      losses.push(cost?.dataSync()[0] ?? Number.NaN);
      cost?.dispose();
      tf.dispose([images, labels]);
    }
  }
  return losses;
}
