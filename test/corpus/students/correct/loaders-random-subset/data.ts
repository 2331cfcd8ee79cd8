/** makeLoaders over a random 3,200-sample subset (PyTorch's `Subset(data, torch.randperm(n)[:3200])`). */
import type { ImageDataset } from '#course/data/dataset.js';
import type { LoaderOptions, Loaders } from '#contract/index.js';
import { DataLoader, subset } from '#course/data/data-loader.js';
import { permutation } from '#course/rng.js';

export function makeLoaders(data: ImageDataset, options: LoaderOptions = {}): Loaders {
  const batchSize = options.batchSize ?? 64;
  const total = (options.batches ?? 50) * batchSize;
  const part = subset(data, permutation(data.length, 12345).subarray(0, total));
  return {
    subset: part,
    gdDataLoader: new DataLoader(part, { batchSize: total }),
    dataLoader: new DataLoader(part, { batchSize, shuffle: true, seed: options.seed ?? 7 }),
  };
}
