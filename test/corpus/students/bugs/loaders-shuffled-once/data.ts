/** makeLoaders shuffling the subset once, then replaying that order every epoch. */
import type { ImageDataset } from '#course/data/dataset.js';
import type { LoaderOptions, Loaders } from '#contract/index.js';
import { DataLoader, subset } from '#course/data/data-loader.js';
import { permutation } from '#course/rng.js';

export function makeLoaders(data: ImageDataset, { batches = 50, batchSize = 64, seed = 1 }: LoaderOptions = {}): Loaders {
  const shuffled = subset(data, permutation(batches * batchSize, seed));
  return { subset: shuffled, gdDataLoader: new DataLoader(shuffled, { batchSize: batches * batchSize }), dataLoader: new DataLoader(shuffled, { batchSize }) };
}
