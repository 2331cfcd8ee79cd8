/** makeLoaders whose full-batch loader reshuffles too (shuffle: true on both, as a PyTorch habit): the full batch's mean gradient does not depend on the order. */
import type { ImageDataset } from '#course/data/dataset.js';
import { DataLoader, subset } from '#course/data/data-loader.js';
import type { LoaderOptions, Loaders } from '#contract/index.js';

export function makeLoaders(data: ImageDataset, { batches = 50, batchSize = 64, seed = 1 }: LoaderOptions = {}): Loaders {
  const part = subset(data, Array.from({ length: batches * batchSize }, (_, i) => i));
  return {
    subset: part,
    gdDataLoader: new DataLoader(part, { batchSize: part.length, shuffle: true, seed: seed + 1 }),
    dataLoader: new DataLoader(part, { batchSize, shuffle: true, seed }),
  };
}
