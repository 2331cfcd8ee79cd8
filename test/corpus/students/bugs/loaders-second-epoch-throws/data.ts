/** A dataLoader written as a class whose iterator disposes its cached batches at the end of the first epoch and reuses them in the second. */
import * as tf from '@tensorflow/tfjs';
import type { ImageDataset } from '#course/data/dataset.js';
import { DataLoader, subset } from '#course/data/data-loader.js';
import type { Batch, BatchSource, LoaderOptions, Loaders } from '#contract/index.js';
import { mulberry32 } from '#course/rng.js';

class CachedBatches implements BatchSource {
  private cache: Batch[] | undefined;
  private readonly rng: () => number;

  constructor(private readonly data: ImageDataset, private readonly size: number, seed: number) {
    this.rng = mulberry32(seed);
  }

  get length(): number {
    return Math.ceil(this.data.length / this.size);
  }

  *[Symbol.iterator](): Iterator<Batch> {
    if (this.cache !== undefined) {
      for (const b of this.cache) yield { images: b.images.clone(), labels: b.labels.clone() };
      return;
    }
    const order = Array.from({ length: this.data.length }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(this.rng() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    this.cache = [];
    for (let start = 0; start < order.length; start += this.size) {
      const ids = order.slice(start, start + this.size);
      const pixels = new Float32Array(ids.length * 784);
      ids.forEach((id, k) => this.data.copyImage(id, pixels, k * 784));
      const batch = { images: tf.tensor4d(pixels, [ids.length, 28, 28, 1]), labels: tf.tensor1d(ids.map((id) => this.data.label(id)), 'int32') };
      this.cache.push(batch);
      yield { images: batch.images.clone(), labels: batch.labels.clone() };
    }
    for (const b of this.cache) tf.dispose([b.images, b.labels]);
  }
}

export function makeLoaders(data: ImageDataset, { batches = 50, batchSize = 64, seed = 1 }: LoaderOptions = {}): Loaders {
  const part = subset(data, Array.from({ length: batches * batchSize }, (_, i) => i));
  return { subset: part, gdDataLoader: new DataLoader(part, { batchSize: part.length }), dataLoader: new CachedBatches(part, batchSize, seed) };
}
