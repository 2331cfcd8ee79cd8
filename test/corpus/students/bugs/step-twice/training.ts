/** trainingStep that applies the optimizer twice per batch (a second minimize for "stability"). */
import * as tf from '@tensorflow/tfjs';
import type { Batch, BatchSource, LossFn, LoopOptions, LoopResult, Net, State } from '#contract/index.js';
import { readState } from '#course/params.js';
import { evaluate } from '#course/metrics.js';

export const lossFn: LossFn = (logits, labels) =>
  tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.cast(labels, "int32"), 10), logits) as tf.Scalar);

export function trainingStep(net: Net, optimizer: tf.Optimizer, loss: LossFn, batch: Batch): number {
  const vars = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const value = optimizer.minimize(() => loss(net.apply(batch.images, { training: true }) as tf.Tensor, batch.labels), true, vars);
  const out = value!.dataSync()[0]!;
  optimizer.minimize(() => loss(net.apply(batch.images, { training: true }) as tf.Tensor, batch.labels), false, vars);
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
    if (options.valLoader) valLosses.push(evaluate(net, options.valLoader, loss).loss);
  }
  return options.valLoader ? { losses, states, valLosses } : { losses, states };
}
