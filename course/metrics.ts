/** Loss and accuracy of a net over every sample a loader yields (batches weighted by their size). */
import * as tf from '@tensorflow/tfjs';
import type { BatchSource } from './data/data-loader.js';
import type { LossFn, Net } from './params.js';

export interface Evaluation {
  loss: number;
  accuracy: number;
  samples: number;
}

export function evaluate(net: Net, loader: BatchSource, lossFn: LossFn): Evaluation {
  let loss = 0;
  let correct = 0;
  let samples = 0;
  for (const batch of loader) {
    const n = batch.labels.shape[0];
    const [batchLoss, batchCorrect] = tf.tidy(() => {
      const logits = net.apply(batch.images) as tf.Tensor2D;
      const hits = tf.equal(tf.argMax(logits, 1), tf.cast(batch.labels, 'int32')).sum();
      return [lossFn(logits, batch.labels).dataSync()[0]!, hits.dataSync()[0]!];
    });
    loss += batchLoss * n;
    correct += batchCorrect;
    samples += n;
    tf.dispose([batch.images, batch.labels]);
  }
  return samples === 0
    ? { loss: Number.NaN, accuracy: 0, samples }
    : { loss: loss / samples, accuracy: correct / samples, samples };
}
