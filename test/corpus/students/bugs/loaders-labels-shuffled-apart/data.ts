/** A dataLoader that shuffles the image order and the label order separately (two calls to tf.util.shuffle), so images lose their labels. */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '#course/data/dataset.js';
import { DataLoader, subset } from '#course/data/data-loader.js';
import type { Batch, BatchSource, LoaderOptions, Loaders } from '#contract/index.js';

class TwoShuffles implements BatchSource {
  constructor(private readonly data: ImageDataset, private readonly size: number) {}

  get length(): number {
    return Math.ceil(this.data.length / this.size);
  }

  *[Symbol.iterator](): Iterator<Batch> {
    const imageOrder = Array.from({ length: this.data.length }, (_, i) => i);
    const labelOrder = Array.from({ length: this.data.length }, (_, i) => i);
    tf.util.shuffle(imageOrder);
    tf.util.shuffle(labelOrder);
    for (let start = 0; start < imageOrder.length; start += this.size) {
      const ids = imageOrder.slice(start, start + this.size);
      const pixels = new Float32Array(ids.length * 784);
      ids.forEach((id, k) => this.data.copyImage(id, pixels, k * 784));
      const labels = labelOrder.slice(start, start + this.size).map((id) => this.data.label(id));
      yield { images: tf.tensor4d(pixels, [ids.length, 28, 28, 1]), labels: tf.tensor1d(labels, 'int32') };
    }
  }
}

export function makeLoaders(data: ImageDataset, { batches = 50, batchSize = 64 }: LoaderOptions = {}): Loaders {
  const part = subset(data, Array.from({ length: batches * batchSize }, (_, i) => i));
  return { subset: part, gdDataLoader: new DataLoader(part, { batchSize: part.length }), dataLoader: new TwoShuffles(part, batchSize) };
}
