/** trainingStep as PyTorch's zero_grad / forward / backward / step: tf.variableGrads, then applyGradients. */
import * as tf from '@tensorflow/tfjs';
import type { Batch, BatchSource, LossFn, LoopOptions, LoopResult, Net, State } from '#contract/index.js';
import { readState } from '#course/params.js';
import { evaluate } from '#course/metrics.js';

export const lossFn: LossFn = (logits, labels) => tf.tidy(() => {
  const target = tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1] ?? 10);
  return tf.mean(tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)), -1))) as tf.Scalar;
});

export function trainingStep(net: Net, optimizer: tf.Optimizer, criterion: LossFn, { images, labels }: Batch): number {
  const params = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => criterion(net.apply(images, { training: true }) as tf.Tensor, labels), params);
  const loss = value.dataSync()[0]!;
  optimizer.applyGradients(grads);
  value.dispose();
  tf.dispose(grads);
  return loss;
}

export function theLoop(net: Net, optimizer: tf.Optimizer, trainLoader: BatchSource, { valLoader, epochs, swaModel, swaStart = 5, lossFn: loss = lossFn }: LoopOptions): LoopResult {
  if (!epochs) throw new Error('theLoop: pass epochs');
  const losses: number[] = [];
  const states: State[] = [];
  const valLosses: number[] = [];
  for (let i = 0; i < epochs; i++) {
    for (const batch of trainLoader) {
      states.push(readState(net));
      losses.push(trainingStep(net, optimizer, loss, batch));
      batch.images.dispose();
      batch.labels.dispose();
    }
    if (valLoader) valLosses.push(evaluate(net, valLoader, loss).loss);
    if (swaModel && i > swaStart) swaModel.updateParameters(net);
  }
  return valLoader ? { losses, states, valLosses } : { losses, states };
}
