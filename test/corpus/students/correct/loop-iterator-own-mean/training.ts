/** theLoop with an explicit iterator, its own step counter, and its own validation mean weighted by batch size. */
import * as tf from '@tensorflow/tfjs';
import type { Batch, BatchSource, LossFn, LoopOptions, LoopResult, Net, State } from '#contract/index.js';

export const lossFn: LossFn = (logits, labels) => tf.tidy(() => {
  const logProbs = tf.logSoftmax(logits);
  const picked = tf.sum(tf.mul(logProbs, tf.oneHot(tf.cast(labels, 'int32'), 10)), 1);
  return tf.neg(tf.mean(picked)) as tf.Scalar;
});

export function trainingStep(net: Net, optimizer: tf.Optimizer, loss: LossFn, batch: Batch): number {
  const { value, grads } = tf.variableGrads(() => loss(net.apply(batch.images, { training: true }) as tf.Tensor, batch.labels),
    net.trainableWeights.map((w) => w.read() as tf.Variable));
  optimizer.applyGradients(grads);
  const out = value.arraySync() as number;
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

function meanLoss(net: Net, loader: BatchSource, loss: LossFn): number {
  let total = 0;
  let count = 0;
  for (const { images, labels } of loader) {
    const n = labels.shape[0];
    total += tf.tidy(() => loss(net.predict(images) as tf.Tensor, labels).dataSync()[0]!) * n;
    count += n;
    tf.dispose([images, labels]);
  }
  return total / count;
}

export function theLoop(net: Net, optimizer: tf.Optimizer, loader: BatchSource, options: LoopOptions): LoopResult {
  const { epochs, valLoader, swaModel, swaStart = 5 } = options;
  if (typeof epochs !== 'number') throw new Error('missing option: epochs');
  const loss = options.lossFn ?? lossFn;
  const losses: number[] = [];
  const states: State[] = [];
  const valLosses: number[] = [];
  let step = 0;
  for (let e = 0; e < epochs; e++) {
    const it = loader[Symbol.iterator]();
    for (let next = it.next(); !next.done; next = it.next()) {
      states.push(net.trainableWeights.map((w) => new Float32Array(w.read().dataSync())));
      losses.push(trainingStep(net, optimizer, loss, next.value));
      tf.dispose([next.value.images, next.value.labels]);
      step += 1;
    }
    if (swaModel !== undefined && e > swaStart) swaModel.updateParameters(net);
    if (valLoader !== undefined) valLosses.push(meanLoss(net, valLoader, loss));
  }
  void step;
  return valLoader === undefined ? { losses, states } : { losses, states, valLosses };
}
