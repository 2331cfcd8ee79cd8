/** makeLoaders taking 3,190 samples: the last batch holds 54, not 64. */
import type { ImageDataset } from '#course/data/dataset.js';
import type { LoaderOptions, Loaders } from '#contract/index.js';
import { DataLoader, subset } from '#course/data/data-loader.js';

export function makeLoaders(data: ImageDataset, { batchSize = 64, seed = 1 }: LoaderOptions = {}): Loaders {
  const part = subset(data, Array.from({ length: 3190 }, (_, i) => i));
  return { subset: part, gdDataLoader: new DataLoader(part, { batchSize: 3190 }), dataLoader: new DataLoader(part, { batchSize, shuffle: true, seed }) };
}
