/** A small BatchSource made in the test: fresh tensors on every pass, as the DataLoader yields them. */
import * as tf from '@tensorflow/tfjs';
import type { Batch, BatchSource } from '../../contract/index.js';

export class FixedBatches implements BatchSource {
  private readonly data: Array<{ images: Float32Array; labels: Int32Array }>;

  /** `count` batches of `size` random images (values in [−1, 1]) with labels 0..9, from `seed`. */
  constructor(count: number, size: number, seed: number) {
    this.data = Array.from({ length: count }, (_, k) =>
      tf.tidy(() => ({
        images: tf.randomUniform([size, 28, 28, 1], -1, 1, 'float32', seed + k).dataSync() as Float32Array,
        labels: Int32Array.from({ length: size }, (_, i) => (i * 7 + k * 3 + seed) % 10),
      })),
    );
  }

  get length(): number {
    return this.data.length;
  }

  batch(k: number): Batch {
    const { images, labels } = this.data[k]!;
    return { images: tf.tensor4d(images, [labels.length, 28, 28, 1]), labels: tf.tensor1d(labels, 'int32') };
  }

  *[Symbol.iterator](): Iterator<Batch> {
    for (let k = 0; k < this.data.length; k++) yield this.batch(k);
  }
}
