// Student template, generated from the reference by `npm run template`. Implement every part
// that throws "not implemented"; SPEC.md (the assignment) defines each one.
/**
 * The notebook's data cell: a subset of `batches · batchSize` = 50 · 64 = 3,200 samples and two
 * loaders over it. SPEC.md, "Parts a student implements" (data).
 */
import type { ImageDataset } from '#course/data/dataset.js';
import { DataLoader, subset } from '#course/data/data-loader.js';
import type { LoaderOptions, Loaders } from '#contract/index.js';
import { notImplemented } from '#course/not-implemented.js';

export function makeLoaders(
  data: ImageDataset,
  { batches = 50, batchSize = 64, seed = 1 }: LoaderOptions = {},
): Loaders {
  // The subset is the first batches·batchSize samples (the embedded MNIST comes in a fixed,
  // class-mixed order). gdDataLoader: one batch with all of them; dataLoader: batches of
  // batchSize, reshuffled every epoch with the given seed.
  throw notImplemented('makeLoaders', 'Parts a student implements (data)');
}
