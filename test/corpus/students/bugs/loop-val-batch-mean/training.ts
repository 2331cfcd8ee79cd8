/** theLoop averaging the validation loss over batches, unweighted by their sizes. */
import * as tf from '@tensorflow/tfjs';
import type { Batch, BatchSource, LossFn, LoopOptions, LoopResult, Net, State } from '#contract/index.js';
import { readState } from '#course/params.js';
import { evaluate } from '#course/metrics.js';

export const lossFn: LossFn = (logits, labels) =>
  tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.cast(labels, 'int32'), 10), logits) as tf.Scalar);


export function trainingStep(net: Net, optimizer: tf.Optimizer, loss: LossFn, batch: Batch): number {
  const vars = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const cost = optimizer.minimize(() => loss(net.apply(batch.images, { training: true }) as tf.Tensor, batch.labels), true, vars)!;
  const value = cost.dataSync()[0]!;
  cost.dispose();
  return value;
}

function batchMean(net: Net, loader: BatchSource, loss: LossFn): number {
  const values: number[] = [];
  for (const { images, labels } of loader) {
    values.push(tf.tidy(() => loss(net.predict(images) as tf.Tensor, labels).dataSync()[0]!));
    tf.dispose([images, labels]);
  }
  return values.reduce((a, b) => a + b, 0) / values.length;
}
export function theLoop(net: Net, optimizer: tf.Optimizer, loader: BatchSource, options: LoopOptions): LoopResult {
  if (options.epochs === undefined) throw new Error('theLoop needs epochs');
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
    if (options.valLoader) valLosses.push(batchMean(net, options.valLoader, loss));
  }
  void readState; void evaluate;
  return options.valLoader ? { losses, states, valLosses } : { losses, states };
}
