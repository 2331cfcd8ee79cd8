/**
 * A training loop that reads only asynchronously, so it runs on every backend, webgpu included
 * (which cannot read synchronously under Node). The harness's own trusted trainings use it where
 * the GPU pays; it is not the contract's `theLoop`, which a student writes and which reads
 * synchronously.
 */
import * as tf from '@tensorflow/tfjs';
import type { BatchSource } from './data/data-loader.js';
import type { LossFn, Net } from './params.js';

/** Softmax cross-entropy on logits with integer labels, the mean over the batch. */
export const meanCrossEntropy: LossFn = (logits, labels) =>
  tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.cast(labels, 'int32'), 10), logits) as tf.Scalar);

export interface AsyncTrainOptions {
  epochs: number;
  lossFn?: LossFn;
  /** Stop after this many steps in all (a short check); default: every batch of every epoch. */
  maxSteps?: number;
}

/** Trains `net` with `optimizer` and returns the loss of every step, each read with `await`. */
export async function trainAsync(
  net: Net,
  optimizer: tf.Optimizer,
  loader: BatchSource,
  options: AsyncTrainOptions,
): Promise<number[]> {
  const lossFn = options.lossFn ?? meanCrossEntropy;
  const variables = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const losses: number[] = [];
  for (let e = 0; e < options.epochs; e++) {
    for (const { images, labels } of loader) {
      const cost = optimizer.minimize(
        () => lossFn(net.apply(images, { training: true }) as tf.Tensor, labels),
        true,
        variables,
      );
      tf.dispose([images, labels]);
      losses.push(cost === null ? Number.NaN : (await cost.data())[0]!);
      cost?.dispose();
      if (options.maxSteps !== undefined && losses.length >= options.maxSteps) return losses;
    }
  }
  return losses;
}

/** The mean loss over every sample of `loader` (batches weighted by size), read with `await`. */
export async function evaluateAsync(
  net: Net,
  loader: BatchSource,
  lossFn: LossFn = meanCrossEntropy,
): Promise<number> {
  let total = 0;
  let count = 0;
  for (const { images, labels } of loader) {
    const loss = tf.tidy(() => lossFn(net.apply(images) as tf.Tensor, labels));
    total += (await loss.data())[0]! * labels.shape[0];
    count += labels.shape[0];
    tf.dispose([images, labels, loss]);
  }
  return count === 0 ? Number.NaN : total / count;
}
