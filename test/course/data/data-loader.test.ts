import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  DataLoader,
  randomSplit,
  splitLengths,
  subset,
  type Batch,
} from '../../../course/data/data-loader.js';
import { ArrayImageDataset, type ImageDataset } from '../../../course/data/dataset.js';
import { HarnessError } from '../../../course/errors.js';

const PIXELS = 28 * 28;

/** `n` images where every pixel of image i is i, and label i mod 10; nothing is stored. */
function indexDataset(n: number): ImageDataset {
  return {
    length: n,
    imageShape: [28, 28, 1],
    copyImage: (i, target, offset) => target.fill(i, offset, offset + PIXELS),
    label: (i) => i % 10,
  };
}

/** Reads a batch back as the dataset indices it holds (pixel 0 and pixel 783 of each image), and disposes it. */
function indicesOf(batch: Batch): number[] {
  const pixels = batch.images.dataSync();
  const labels = batch.labels.dataSync();
  const n = batch.labels.shape[0];
  const indices = Array.from({ length: n }, (_, k) => {
    expect(pixels[k * PIXELS + PIXELS - 1]).toBe(pixels[k * PIXELS]);
    expect(labels[k]).toBe(pixels[k * PIXELS]! % 10);
    return pixels[k * PIXELS]!;
  });
  tf.dispose([batch.images, batch.labels]);
  return indices;
}

/** One epoch: the indices of each batch. */
function epoch(loader: DataLoader): number[][] {
  return [...loader].map(indicesOf);
}

const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('DataLoader', () => {
  it('yields float32 [b, 28, 28, 1] images and int32 [b] labels, in order, with a last partial batch', () => {
    const loader = new DataLoader(indexDataset(10), { batchSize: 4 });
    expect([loader.length, loader.batchSize]).toEqual([3, 4]);
    const batches = [...loader];
    expect(batches.map((b) => b.images.shape)).toEqual([
      [4, 28, 28, 1],
      [4, 28, 28, 1],
      [2, 28, 28, 1],
    ]);
    expect(batches.map((b) => b.labels.shape)).toEqual([[4], [4], [2]]);
    for (const b of batches) expect([b.images.dtype, b.labels.dtype]).toEqual(['float32', 'int32']);
    expect(batches.map(indicesOf)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
  });

  it('drops the last partial batch with dropLast, and counts batches accordingly', () => {
    const dropping = new DataLoader(indexDataset(10), { batchSize: 4, dropLast: true });
    expect(dropping.length).toBe(2);
    expect(epoch(dropping)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    expect(new DataLoader(indexDataset(8), { batchSize: 4 }).length).toBe(2);
    expect(new DataLoader(indexDataset(8), { batchSize: 4, dropLast: true }).length).toBe(2);
    expect(new DataLoader(indexDataset(3), { batchSize: 4, dropLast: true }).length).toBe(0);
    expect(epoch(new DataLoader(indexDataset(3), { batchSize: 4, dropLast: true }))).toEqual([]);
    expect(new DataLoader(indexDataset(0), { batchSize: 4 }).length).toBe(0);
  });

  it('defaults to batches of one, unshuffled', () => {
    const loader = new DataLoader(indexDataset(3));
    expect([loader.length, loader.batchSize, loader.shuffle, loader.seed, loader.dropLast]).toEqual([
      3,
      1,
      false,
      1,
      false,
    ]);
    expect(epoch(loader)).toEqual([[0], [1], [2]]);
    expect(epoch(loader)).toEqual([[0], [1], [2]]);
  });

  it('shuffles every index once per epoch, differently each epoch, reproducibly for a seed', () => {
    const make = (seed: number): DataLoader =>
      new DataLoader(indexDataset(100), { batchSize: 16, shuffle: true, seed });
    const a = make(7);
    const epochs = [epoch(a), epoch(a), epoch(a)];
    for (const e of epochs) {
      expect(e.map((b) => b.length)).toEqual([16, 16, 16, 16, 16, 16, 4]);
      expect(sorted(e.flat())).toEqual(range(100));
    }
    expect(epochs[0]!.flat()).not.toEqual(range(100));
    expect(epochs[1]!.flat()).not.toEqual(epochs[0]!.flat());
    expect(epochs[2]!.flat()).not.toEqual(epochs[1]!.flat());
    const b = make(7);
    expect([epoch(b), epoch(b), epoch(b)]).toEqual(epochs);
    expect(epoch(make(8))[0]).not.toEqual(epochs[0]![0]);
    expect(Array.from(a.order(1))).toEqual(epochs[1]!.flat());
  });

  it('with shuffle and dropLast, yields only full batches of distinct samples', () => {
    const loader = new DataLoader(indexDataset(10), { batchSize: 3, shuffle: true, dropLast: true });
    for (let e = 0; e < 3; e++) {
      const batches = epoch(loader);
      expect(batches.map((b) => b.length)).toEqual([3, 3, 3]);
      expect(new Set(batches.flat()).size).toBe(9);
    }
  });

  it('iterates through [Symbol.iterator] and leaks no tensors once the batches are disposed', () => {
    const loader = new DataLoader(indexDataset(9), { batchSize: 2, shuffle: true });
    const before = tf.memory().numTensors;
    const iterator = loader[Symbol.iterator]();
    let count = 0;
    for (let step = iterator.next(); !step.done; step = iterator.next()) {
      indicesOf(step.value);
      count += 1;
    }
    expect(count).toBe(5);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('batches a stored dataset exactly', () => {
    const images = Float32Array.from({ length: 3 * PIXELS }, (_, i) => (i % 255) / 255 - 0.5);
    const dataset = new ArrayImageDataset(images, Uint8Array.from([4, 5, 6]), [28, 28, 1]);
    const [batch] = [...new DataLoader(dataset, { batchSize: 3 })];
    expect(batch!.images.dataSync()).toEqual(images);
    expect(Array.from(batch!.labels.dataSync())).toEqual([4, 5, 6]);
    tf.dispose([batch!.images, batch!.labels]);
  });

  it('rejects bad options, naming the option, what was expected and what came', () => {
    const data = indexDataset(4);
    const message = (options: unknown): string => {
      try {
        new DataLoader(data, options as ConstructorParameters<typeof DataLoader>[1]);
      } catch (error) {
        expect(error).toBeInstanceOf(HarnessError);
        expect((error as HarnessError).code).toBe('OPTNN_BAD_OPTION');
        return (error as HarnessError).message;
      }
      throw new Error(`expected ${JSON.stringify(options)} to be rejected`);
    };
    expect(message({ batchSize: -1 })).toBe(
      'Expected the `batchSize` option to be a positive integer, got `-1` (number)',
    );
    expect(message({ batchSize: 0 })).toBe(
      'Expected the `batchSize` option to be a positive integer, got `0` (number)',
    );
    expect(message({ batchSize: 1.5 })).toBe(
      'Expected the `batchSize` option to be a positive integer, got `1.5` (number)',
    );
    expect(message({ batchSize: '64' })).toBe(
      'Expected the `batchSize` option to be a positive integer, got `"64"` (string)',
    );
    expect(message({ shuffle: 'yes' })).toBe(
      'Expected the `shuffle` option to be a boolean, got `"yes"` (string)',
    );
    expect(message({ seed: 0.5 })).toBe('Expected the `seed` option to be an integer, got `0.5` (number)');
    expect(message({ dropLast: 1 })).toBe('Expected the `dropLast` option to be a boolean, got `1` (number)');
    expect(message({ batch_size: 64 })).toBe(
      'Unknown DataLoader option `batch_size`: expected `batchSize`, `shuffle`, `seed`, `dropLast`',
    );
    expect(message(null)).toBe('Expected the DataLoader options to be an object, got `null`');
    expect(() => new DataLoader([1, 2] as unknown as ImageDataset)).toThrow(
      'Expected the dataset given to DataLoader to be an ImageDataset (length, imageShape, copyImage, label), got an array of length 2',
    );
  });
});

describe('subset', () => {
  it('is a view at the given indices, in their order, and keeps its own copy of them', () => {
    const data = indexDataset(20);
    const indices = [5, 0, 19, 5];
    const view = subset(data, indices);
    indices[0] = 1;
    expect(view.length).toBe(4);
    expect(view.dataset).toBe(data);
    expect(view.imageShape).toEqual([28, 28, 1]);
    expect(range(4).map((i) => view.label(i))).toEqual([5, 0, 9, 5]);
    expect(epoch(new DataLoader(view, { batchSize: 4 }))).toEqual([[5, 0, 19, 5]]);
    const nested = subset(view, [2, 1]);
    expect(epoch(new DataLoader(nested, { batchSize: 2 }))).toEqual([[19, 0]]);
  });

  it('rejects indices outside the dataset, and reads outside the view', () => {
    const data = indexDataset(5);
    expect(() => subset(data, [0, 5])).toThrow(
      "Expected every index to be an integer in 0..4 (the dataset's length is 5), got `5` (number) at position 1",
    );
    expect(() => subset(data, [-1])).toThrow(HarnessError);
    expect(() => subset(data, [1.5])).toThrow(HarnessError);
    expect(() => subset(data, 3 as unknown as number[])).toThrow(
      'Expected the `indices` option to be an array of indices, got `3` (number)',
    );
    expect(() => subset(data, [1, 2]).label(2)).toThrow('Subset: index 2 is outside 0..1');
  });
});

describe('randomSplit', () => {
  it('splits 10,000 samples 90 % / 5 % / 5 % into 9000 / 500 / 500 disjoint subsets covering all', () => {
    const data = indexDataset(10_000);
    const parts = randomSplit(data, [0.9, 0.05, 0.05], 1);
    expect(parts.map((p) => p.length)).toEqual([9000, 500, 500]);
    const all = parts.flatMap((p) => Array.from(p.indices));
    expect(new Set(all).size).toBe(10_000);
    expect(sorted(all)).toEqual(range(10_000));
    expect(Array.from(parts[1]!.indices)).not.toEqual(range(500).map((i) => i + 9000));
    for (const p of parts) expect(p.dataset).toBe(data);
  });

  it('is fixed by the seed', () => {
    const data = indexDataset(50);
    const a = randomSplit(data, [30, 20], 3);
    expect(a.map((p) => Array.from(p.indices))).toEqual(
      randomSplit(data, [30, 20], 3).map((p) => Array.from(p.indices)),
    );
    expect(Array.from(a[0]!.indices)).not.toEqual(Array.from(randomSplit(data, [30, 20], 4)[0]!.indices));
  });

  it('gives the remainder of fractional lengths round-robin from the first split, as PyTorch', () => {
    expect(splitLengths(11, [0.5, 0.25, 0.25])).toEqual([6, 3, 2]);
    expect(splitLengths(7, [1 / 3, 1 / 3, 1 / 3])).toEqual([3, 2, 2]);
    expect(splitLengths(10, [0.3, 0.3, 0.4])).toEqual([3, 3, 4]);
    expect(splitLengths(2, [0.5, 0.5, 0])).toEqual([1, 1, 0]);
    expect(splitLengths(10, [3, 7])).toEqual([3, 7]);
  });

  it('rejects lengths that neither sum to 1 nor to the dataset length', () => {
    const data = indexDataset(10);
    expect(() => randomSplit(data, [3, 6])).toThrow(
      "Expected the `lengths` option to be fractions summing to 1 or integer lengths summing to the dataset's length 10, got [3, 6] (sum 9)",
    );
    expect(() => randomSplit(data, [0.5, 0.4])).toThrow(HarnessError);
    expect(() => randomSplit(data, [-0.5, 1.5])).toThrow(
      'Expected the `lengths` option to be a non-empty array of non-negative fractions or lengths, got an array of length 2',
    );
    expect(() => randomSplit(data, [])).toThrow(HarnessError);
    expect(() => randomSplit(data, [5, 5], 0.5)).toThrow(
      'Expected the `seed` option to be an integer, got `0.5` (number)',
    );
  });
});
