import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIdx, readIdxImages, readIdxLabels, readIdxPair } from '../../../course/data/idx.js';
import { HarnessError } from '../../../course/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'optnn-idx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

/** Runs `read` and returns the HarnessError it throws. */
function harnessError(read: () => unknown): HarnessError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(HarnessError);
    return error as HarnessError;
  }
  throw new Error('expected a HarnessError, nothing was thrown');
}

// 3 images of 2×4 pixels, and their labels.
const pixels = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256);
const labels = Uint8Array.from([3, 0, 9]);

describe('reading IDX files', () => {
  it('reads an images file written byte by byte (big-endian header)', () => {
    const header = [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 4];
    const file = write('hand-images', Uint8Array.from([...header, ...pixels]));
    const images = readIdxImages(file);
    expect({ count: images.count, rows: images.rows, cols: images.cols, file: images.file }).toEqual({
      count: 3,
      rows: 2,
      cols: 4,
      file,
    });
    expect(Array.from(images.pixels)).toEqual(Array.from(pixels));
  });

  it('reads a labels file written byte by byte', () => {
    const file = write('hand-labels', Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 3, ...labels]));
    const read = readIdxLabels(file);
    expect(read.count).toBe(3);
    expect(Array.from(read.labels)).toEqual([3, 0, 9]);
  });

  it('encodes what it reads', () => {
    expect(Array.from(encodeIdx([3], labels))).toEqual([0, 0, 8, 1, 0, 0, 0, 3, 3, 0, 9]);
    expect(() => encodeIdx([2, 2], labels)).toThrow('encodeIdx: shape [2, 2] needs 4 bytes, got 3');
  });

  it('reads gzipped files, recognised by their magic bytes whatever the name', () => {
    const gz = gzipSync(encodeIdx([3, 2, 4], pixels));
    for (const name of ['images.gz', 'images-no-suffix']) {
      const images = readIdxImages(write(name, gz));
      expect([images.count, images.rows, images.cols]).toEqual([3, 2, 4]);
      expect(Array.from(images.pixels)).toEqual(Array.from(pixels));
    }
    const read = readIdxLabels(write('labels.gz', gzipSync(encodeIdx([3], labels))));
    expect(Array.from(read.labels)).toEqual([3, 0, 9]);
  });

  it('reads a matching pair', () => {
    const pair = readIdxPair(
      write('pair-images', encodeIdx([3, 2, 4], pixels)),
      write('pair-labels', encodeIdx([3], labels)),
    );
    expect([pair.images.count, pair.labels.count]).toEqual([3, 3]);
  });
});

describe('IDX errors name the file, what was expected and what came', () => {
  it('a missing file', () => {
    const file = join(dir, 'no-such-file');
    const error = harnessError(() => readIdxImages(file));
    expect(error.code).toBe('OPTNN_DATA_MISSING');
    expect(error.message).toBe(`Cannot read the IDX file ${file}: it does not exist`);
  });

  it('a directory instead of a file', () => {
    const error = harnessError(() => readIdxLabels(dir));
    expect(error.code).toBe('OPTNN_DATA_MISSING');
    expect(error.message).toBe(`Cannot read the IDX file ${dir}: it is a directory`);
  });

  it('a truncated raw file, with the byte counts', () => {
    const file = write('truncated-images', encodeIdx([3, 2, 4], pixels).subarray(0, 30));
    const error = harnessError(() => readIdxImages(file));
    expect(error.code).toBe('OPTNN_DATA_MALFORMED');
    expect(error.message).toBe(
      `Expected ${file} to hold 40 bytes (a header of 16 bytes and data of shape [3, 2, 4]), found 30 bytes: the file is truncated, download it again`,
    );
  });

  it('a file cut inside its header, or before its magic number', () => {
    const header = write('header-only', encodeIdx([3, 2, 4], pixels).subarray(0, 10));
    expect(harnessError(() => readIdxImages(header)).message).toBe(
      `Expected ${header} to hold at least 16 bytes (the IDX header), found 10 bytes: the file is truncated`,
    );
    const tiny = write('tiny', Uint8Array.from([0, 0]));
    expect(harnessError(() => readIdxLabels(tiny)).message).toBe(
      `Expected ${tiny} to hold at least 4 bytes (the IDX magic number), found 2 bytes: the file is truncated`,
    );
  });

  it('a gzipped file whose data is truncated after decompression', () => {
    const file = write('truncated-data.gz', gzipSync(encodeIdx([3], labels).subarray(0, 9)));
    const error = harnessError(() => readIdxLabels(file));
    expect(error.message).toBe(
      `Expected ${file} to hold 11 bytes (a header of 8 bytes and data of shape [3]), found 9 bytes after decompression: the file is truncated, download it again`,
    );
  });

  it('a gzip stream cut short', () => {
    const gz = gzipSync(encodeIdx([3, 2, 4], pixels));
    const file = write('cut.gz', gz.subarray(0, gz.length - 12));
    const error = harnessError(() => readIdxImages(file));
    expect(error.code).toBe('OPTNN_DATA_MALFORMED');
    expect(error.message).toMatch(
      new RegExp(
        `^Expected ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} to be gzip-compressed \\(it starts with 1f 8b\\), but it does not decompress`,
      ),
    );
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('trailing bytes after the data', () => {
    const file = write('long-labels', Uint8Array.from([...encodeIdx([3], labels), 1, 2]));
    expect(harnessError(() => readIdxLabels(file)).message).toBe(
      `Expected ${file} to hold 11 bytes (a header of 8 bytes and data of shape [3]), found 13 bytes: 2 bytes follow the data`,
    );
  });

  it('a wrong magic number: labels read as images, and a file that is not IDX', () => {
    const labelsFile = write('swapped', encodeIdx([3], labels));
    const swapped = harnessError(() => readIdxImages(labelsFile));
    expect(swapped.code).toBe('OPTNN_DATA_MALFORMED');
    expect(swapped.message).toBe(
      `Expected ${labelsFile} to start with the IDX magic number 0x00000803 (uint8 images [n, rows, cols]), got 0x00000801 (an IDX file of uint8 labels [n])`,
    );
    const text = write('not-idx.txt', new TextEncoder().encode('hello world, not an IDX file'));
    expect(harnessError(() => readIdxLabels(text)).message).toBe(
      `Expected ${text} to start with the IDX magic number 0x00000801 (uint8 labels [n]), got 0x68656c6c (not an IDX file)`,
    );
  });

  it('images of the wrong size', () => {
    const file = write('small-images', encodeIdx([3, 2, 4], pixels));
    const error = harnessError(() => readIdxImages(file, { rows: 28, cols: 28 }));
    expect(error.message).toBe(`Expected the images in ${file} to be 28×28 pixels, got 2×4`);
  });

  it('labels outside 0..9', () => {
    const file = write('bad-labels', encodeIdx([4], Uint8Array.from([1, 2, 12, 3])));
    const error = harnessError(() => readIdxLabels(file));
    expect(error.code).toBe('OPTNN_DATA_MALFORMED');
    expect(error.message).toBe(`Expected the labels in ${file} to lie in 0..9, got 12 at index 2`);
  });

  it('a different number of labels and images', () => {
    const imagesFile = write('count-images', encodeIdx([3, 2, 4], pixels));
    const labelsFile = write('count-labels', encodeIdx([2], labels.subarray(0, 2)));
    const error = harnessError(() => readIdxPair(imagesFile, labelsFile));
    expect(error.code).toBe('OPTNN_DATA_MALFORMED');
    expect(error.message).toBe(
      `Expected ${labelsFile} to hold one label per image of ${imagesFile} (3), got 2 labels`,
    );
  });
});
