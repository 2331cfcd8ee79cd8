/** makeLoaders copying the first 3,200 samples into its own arrays, image and label together. */
import type { ImageDataset } from '#course/data/dataset.js';
import { ArrayImageDataset } from '#course/data/dataset.js';
import { DataLoader } from '#course/data/data-loader.js';
import type { LoaderOptions, Loaders } from '#contract/index.js';

export function makeLoaders(data: ImageDataset, { batches = 50, batchSize = 64, seed = 1 }: LoaderOptions = {}): Loaders {
  const n = batches * batchSize;
  const images = new Float32Array(n * 784);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    data.copyImage(i, images, i * 784);
    labels[i] = data.label(i);
  }
  const part = new ArrayImageDataset(images, labels, [28, 28, 1]);
  return { subset: part, gdDataLoader: new DataLoader(part, { batchSize: n }), dataLoader: new DataLoader(part, { batchSize, shuffle: true, seed }) };
}
