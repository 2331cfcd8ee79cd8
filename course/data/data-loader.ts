/**
 * PyTorch's `Subset`, `random_split` and `DataLoader` for an ImageDataset. The loader yields
 * tensors; the consumer disposes each batch's `images` and `labels`.
 */
import * as tf from '@tensorflow/tfjs';
import { HarnessError, badOption, describeValue } from '../errors.js';
import { deriveSeed, permutation } from '../rng.js';
import type { ImageDataset } from './dataset.js';

export interface Batch {
  /** [b, height, width, channels], float32. */
  images: tf.Tensor4D;
  /** [b], int32. */
  labels: tf.Tensor1D;
}

/** Anything that yields batches and knows how many per pass, such as a DataLoader. */
export interface BatchSource extends Iterable<Batch> {
  readonly length: number;
}

export interface DataLoaderOptions {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Reshuffle at the start of every epoch (default false). */
  shuffle?: boolean;
  /** Epoch `e` uses `permutation(n, deriveSeed(seed, e))` (default 1). */
  seed?: number;
  /** Leave out the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
}

const LOADER_OPTIONS: ReadonlyArray<keyof DataLoaderOptions> = ['batchSize', 'shuffle', 'seed', 'dropLast'];

function checkDataset(dataset: unknown, where: string): asserts dataset is ImageDataset {
  const d = dataset as Partial<ImageDataset> | null | undefined;
  const ok =
    d !== null &&
    typeof d === 'object' &&
    Number.isSafeInteger(d.length) &&
    (d.length ?? -1) >= 0 &&
    Array.isArray(d.imageShape) &&
    d.imageShape.length === 3 &&
    typeof d.copyImage === 'function' &&
    typeof d.label === 'function';
  if (!ok) {
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected the dataset given to ${where} to be an ImageDataset (length, imageShape, copyImage, label), got ${describeValue(dataset)}`,
    );
  }
}

/** A view of `dataset` at `indices`, in that order (PyTorch's `Subset`); nothing is copied. */
export class Subset implements ImageDataset {
  readonly indices: Int32Array;

  constructor(
    readonly dataset: ImageDataset,
    indices: ArrayLike<number>,
  ) {
    checkDataset(dataset, 'subset');
    if (indices === null || typeof indices !== 'object' || !Number.isSafeInteger(indices.length)) {
      throw badOption('indices', 'an array of indices', describeValue(indices));
    }
    this.indices = new Int32Array(indices.length);
    for (let k = 0; k < indices.length; k++) {
      const i = indices[k];
      if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= dataset.length) {
        throw new HarnessError(
          'OPTNN_BAD_OPTION',
          `Expected every index to be an integer in 0..${dataset.length - 1} (the dataset's length is ${dataset.length}), got ${describeValue(i)} at position ${k}`,
        );
      }
      this.indices[k] = i;
    }
  }

  get length(): number {
    return this.indices.length;
  }

  get imageShape(): readonly [number, number, number] {
    return this.dataset.imageShape;
  }

  copyImage(i: number, target: Float32Array, offset: number): void {
    this.dataset.copyImage(this.at(i), target, offset);
  }

  label(i: number): number {
    return this.dataset.label(this.at(i));
  }

  private at(i: number): number {
    const index = this.indices[i];
    if (index === undefined || !Number.isInteger(i)) {
      throw new RangeError(`Subset: index ${i} is outside 0..${this.indices.length - 1}`);
    }
    return index;
  }
}

/** A view of `dataset` at `indices` (PyTorch's `Subset(dataset, indices)`). */
export function subset(dataset: ImageDataset, indices: ArrayLike<number>): Subset {
  return new Subset(dataset, indices);
}

/**
 * The split sizes for `n` samples, as `torch.utils.data.random_split`: fractions summing to 1 give
 * floor(n·f) each, and the remainder one by one, round-robin from the first split; otherwise the
 * lengths must be non-negative integers summing to `n`.
 */
export function splitLengths(n: number, lengths: readonly number[]): number[] {
  if (
    !Array.isArray(lengths) ||
    lengths.length === 0 ||
    !lengths.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0)
  ) {
    throw badOption(
      'lengths',
      'a non-empty array of non-negative fractions or lengths',
      describeValue(lengths),
    );
  }
  const sum = lengths.reduce((a, b) => a + b, 0);
  const isFractions = Math.abs(sum - 1) <= 1e-9 * Math.max(1, Math.abs(sum)) && sum <= 1;
  if (isFractions) {
    const sizes = lengths.map((f) => Math.floor(n * f));
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length]! += 1;
    return sizes;
  }
  if (!lengths.every(Number.isInteger) || sum !== n) {
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected the \`lengths\` option to be fractions summing to 1 or integer lengths summing to the dataset's length ${n}, got [${lengths.join(', ')}] (sum ${sum})`,
    );
  }
  return [...lengths];
}

/**
 * Splits `dataset` into disjoint random subsets (PyTorch's `random_split`): `lengths` are
 * fractions summing to 1 (e.g. [0.9, 0.05, 0.05]) or lengths summing to `dataset.length`.
 */
export function randomSplit(dataset: ImageDataset, lengths: readonly number[], seed = 1): Subset[] {
  checkDataset(dataset, 'randomSplit');
  if (!Number.isSafeInteger(seed)) throw badOption('seed', 'an integer', describeValue(seed));
  const sizes = splitLengths(dataset.length, lengths);
  const order = permutation(dataset.length, seed);
  let offset = 0;
  return sizes.map((size) => {
    const part = new Subset(dataset, order.subarray(offset, offset + size));
    offset += size;
    return part;
  });
}

/** Batches of a dataset as tensors, iterable once per epoch (PyTorch's `DataLoader`). */
export class DataLoader implements Iterable<Batch> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dropLast: boolean;
  /** How many epochs (iterations over the loader) have started. */
  private epochs = 0;

  constructor(
    readonly dataset: ImageDataset,
    options: DataLoaderOptions = {},
  ) {
    checkDataset(dataset, 'DataLoader');
    if (options === null || typeof options !== 'object') {
      throw new HarnessError(
        'OPTNN_BAD_OPTION',
        `Expected the DataLoader options to be an object, got ${describeValue(options)}`,
      );
    }
    const unknown = Object.keys(options).filter(
      (key) => !(LOADER_OPTIONS as readonly string[]).includes(key),
    );
    if (unknown.length > 0) {
      throw new HarnessError(
        'OPTNN_BAD_OPTION',
        `Unknown DataLoader option ${unknown.map((key) => `\`${key}\``).join(', ')}: expected ${LOADER_OPTIONS.map((key) => `\`${key}\``).join(', ')}`,
      );
    }
    const { batchSize = 1, shuffle = false, seed = 1, dropLast = false } = options;
    if (typeof batchSize !== 'number' || !Number.isSafeInteger(batchSize) || batchSize < 1)
      throw badOption('batchSize', 'a positive integer', describeValue(batchSize));
    if (typeof shuffle !== 'boolean') throw badOption('shuffle', 'a boolean', describeValue(shuffle));
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed))
      throw badOption('seed', 'an integer', describeValue(seed));
    if (typeof dropLast !== 'boolean') throw badOption('dropLast', 'a boolean', describeValue(dropLast));
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.dropLast = dropLast;
  }

  /** The number of batches in one epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The sample order of epoch `epoch` (counting from 0): 0..n-1, or its shuffle for that epoch. */
  order(epoch: number): Int32Array {
    const n = this.dataset.length;
    if (this.shuffle) return permutation(n, deriveSeed(this.seed, epoch));
    return Int32Array.from({ length: n }, (_, i) => i);
  }

  /** Starts the next epoch: each call (each `for … of`) reshuffles when `shuffle` is set. */
  [Symbol.iterator](): Iterator<Batch> {
    const epoch = this.epochs;
    this.epochs += 1;
    return this.batches(this.order(epoch));
  }

  private *batches(order: Int32Array): Generator<Batch> {
    const [height, width, channels] = this.dataset.imageShape;
    const imageSize = height * width * channels;
    for (let b = 0; b < this.length; b++) {
      const indices = order.subarray(b * this.batchSize, Math.min((b + 1) * this.batchSize, order.length));
      const size = indices.length;
      const pixels = new Float32Array(size * imageSize);
      const labels = new Int32Array(size);
      for (let k = 0; k < size; k++) {
        const i = indices[k]!;
        this.dataset.copyImage(i, pixels, k * imageSize);
        labels[k] = this.dataset.label(i);
      }
      yield {
        images: tf.tensor4d(pixels, [size, height, width, channels], 'float32'),
        labels: tf.tensor1d(labels, 'int32'),
      };
    }
  }
}
