/** theLoop whose validation loss adds up the batch losses weighted by their size but forgets to divide by the number of samples. */
import * as tf from '@tensorflow/tfjs';
import type { Batch, BatchSource, LossFn, LoopOptions, LoopResult, Net, State } from '#contract/index.js';
import { readState } from '#course/params.js';

export const lossFn: LossFn = (logits, labels) =>
  tf.tidy(() => {
    const logProbs = tf.logSoftmax(logits);
    const picked = tf.sum(tf.mul(logProbs, tf.oneHot(tf.cast(labels, "int32"), logits.shape[1] ?? 10)), 1);
    return tf.neg(tf.mean(picked)) as tf.Scalar;
  });

export function trainingStep(net: Net, optimizer: tf.Optimizer, loss: LossFn, batch: Batch): number {
  const vars = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const value = optimizer.minimize(() => loss(net.apply(batch.images, { training: true }) as tf.Tensor, batch.labels), true, vars);
  const out = value!.dataSync()[0]!;
  value!.dispose();
  return out;
}

export function theLoop(net: Net, optimizer: tf.Optimizer, loader: BatchSource, options: LoopOptions): LoopResult {
  if (options.epochs === undefined) throw new Error('theLoop: the `epochs` option is required');
  const loss = options.lossFn ?? lossFn;
  const losses: number[] = [];
  const states: State[] = [];
  const valLosses: number[] = [];
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (const batch of loader) {
      states.push(readState(net));
      losses.push(trainingStep(net, optimizer, loss, batch));
      tf.dispose([batch.images, batch.labels]);
    }
    if (options.swaModel && epoch > (options.swaStart ?? 5)) options.swaModel.updateParameters(net);
    if (options.valLoader) {
      let total = 0;
      for (const b of options.valLoader) {
        total += tf.tidy(() => loss(net.apply(b.images) as tf.Tensor, b.labels).dataSync()[0]!) * b.images.shape[0]!;
        tf.dispose([b.images, b.labels]);
      }
      valLosses.push(total);
    }
  }
  return options.valLoader ? { losses, states, valLosses } : { losses, states };
}
