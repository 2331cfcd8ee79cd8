/** Correct code the backend cannot run: lossFn picks the label log-probabilities with tf.einsum, which tfjs-backend-wasm 4.22 has no kernel for. Graded as failed, with a message that says it is the backend, not the student's code. */
import * as tf from '@tensorflow/tfjs';
import type { Batch, BatchSource, LossFn, LoopOptions, LoopResult, Net, State } from '#contract/index.js';
import { readState } from '#course/params.js';
import { evaluate } from '#course/metrics.js';

export const lossFn: LossFn = (logits, labels) =>
  tf.tidy(() => {
    const picked = tf.einsum("ij,ij->i", tf.logSoftmax(logits), tf.oneHot(tf.cast(labels, "int32"), logits.shape[1] ?? 10));
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
    if (options.valLoader) valLosses.push(evaluate(net, options.valLoader, loss).loss);
  }
  return options.valLoader ? { losses, states, valLosses } : { losses, states };
}
