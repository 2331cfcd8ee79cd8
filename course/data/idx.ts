/**
 * The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a big-endian
 * magic number `00 00 <type> <ndims>`, `ndims` big-endian uint32 dimensions, then the data. The
 * course reads unsigned bytes only: images (0x00000803, [n, rows, cols]) and labels (0x00000801,
 * [n]). Files may be gzip-compressed (recognised by their first bytes 1f 8b, whatever the name).
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { HarnessError } from '../errors.js';

export const IDX_UBYTE = 0x08;
export const IDX_IMAGES_MAGIC = 0x00000803;
export const IDX_LABELS_MAGIC = 0x00000801;

export interface IdxImages {
  file: string;
  count: number;
  rows: number;
  cols: number;
  /** count·rows·cols bytes, image after image, row-major. */
  pixels: Uint8Array;
}

export interface IdxLabels {
  file: string;
  count: number;
  labels: Uint8Array;
}

export interface IdxReadOptions {
  /** The image size the caller needs; a file with another size is an error. */
  rows?: number;
  cols?: number;
  /** Labels must lie in 0..numClasses-1 (default 10). */
  numClasses?: number;
}

const KINDS: Record<number, string> = {
  [IDX_IMAGES_MAGIC]: 'uint8 images [n, rows, cols]',
  [IDX_LABELS_MAGIC]: 'uint8 labels [n]',
};

const hex = (magic: number): string => `0x${magic.toString(16).padStart(8, '0')}`;

function describeMagic(bytes: Uint8Array): string {
  const magic = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
  const known = KINDS[magic];
  if (known !== undefined) return `${hex(magic)} (an IDX file of ${known})`;
  if (bytes[0] === 0 && bytes[1] === 0)
    return `${hex(magic)} (an IDX file of type 0x${bytes[2]!.toString(16)} with ${bytes[3]} dimensions)`;
  return `${hex(magic)} (not an IDX file)`;
}

/** The file's bytes, gunzipped if they start with the gzip magic 1f 8b. */
function readBytes(file: string): { bytes: Uint8Array; gzipped: boolean } {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'it does not exist'
        : code === 'EISDIR'
          ? 'it is a directory'
          : String((cause as Error).message);
    throw new HarnessError('OPTNN_DATA_MISSING', `Cannot read the IDX file ${file}: ${why}`, { cause });
  }
  if (raw.length < 2 || raw[0] !== 0x1f || raw[1] !== 0x8b) return { bytes: raw, gzipped: false };
  try {
    return { bytes: gunzipSync(raw), gzipped: true };
  } catch (cause) {
    throw new HarnessError(
      'OPTNN_DATA_MALFORMED',
      `Expected ${file} to be gzip-compressed (it starts with 1f 8b), but it does not decompress (${(cause as Error).message}); it is probably cut short, download it again`,
      { cause },
    );
  }
}

/** Reads an IDX file of unsigned bytes with the given magic number: its dimensions and data. */
function readIdx(file: string, expectedMagic: number): { dims: number[]; data: Uint8Array } {
  const { bytes, gzipped } = readBytes(file);
  const found = (n: number): string => `found ${n} bytes${gzipped ? ' after decompression' : ''}`;
  const ndims = expectedMagic & 0xff;
  const what = KINDS[expectedMagic] ?? `${ndims} dimensions`;
  if (bytes.length < 4) {
    throw new HarnessError(
      'OPTNN_DATA_MALFORMED',
      `Expected ${file} to hold at least 4 bytes (the IDX magic number), ${found(bytes.length)}: the file is truncated`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== expectedMagic) {
    throw new HarnessError(
      'OPTNN_DATA_MALFORMED',
      `Expected ${file} to start with the IDX magic number ${hex(expectedMagic)} (${what}), got ${describeMagic(bytes)}`,
    );
  }
  const headerSize = 4 + 4 * ndims;
  if (bytes.length < headerSize) {
    throw new HarnessError(
      'OPTNN_DATA_MALFORMED',
      `Expected ${file} to hold at least ${headerSize} bytes (the IDX header), ${found(bytes.length)}: the file is truncated`,
    );
  }
  const dims = Array.from({ length: ndims }, (_, k) => view.getUint32(4 + 4 * k));
  const dataSize = dims.reduce((a, b) => a * b, 1);
  const total = headerSize + dataSize;
  if (bytes.length !== total) {
    const problem =
      bytes.length < total
        ? 'the file is truncated, download it again'
        : `${bytes.length - total} bytes follow the data`;
    throw new HarnessError(
      'OPTNN_DATA_MALFORMED',
      `Expected ${file} to hold ${total} bytes (a header of ${headerSize} bytes and data of shape [${dims.join(', ')}]), ${found(bytes.length)}: ${problem}`,
    );
  }
  return { dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + headerSize, dataSize) };
}

/** Reads an IDX images file (magic 0x00000803). */
export function readIdxImages(file: string, options: IdxReadOptions = {}): IdxImages {
  const { dims, data } = readIdx(file, IDX_IMAGES_MAGIC);
  const [count, rows, cols] = dims as [number, number, number];
  if (
    (options.rows !== undefined && rows !== options.rows) ||
    (options.cols !== undefined && cols !== options.cols)
  ) {
    throw new HarnessError(
      'OPTNN_DATA_MALFORMED',
      `Expected the images in ${file} to be ${options.rows ?? rows}×${options.cols ?? cols} pixels, got ${rows}×${cols}`,
    );
  }
  return { file, count, rows, cols, pixels: data };
}

/** Reads an IDX labels file (magic 0x00000801); every label must lie in 0..numClasses-1. */
export function readIdxLabels(file: string, { numClasses = 10 }: IdxReadOptions = {}): IdxLabels {
  const { dims, data } = readIdx(file, IDX_LABELS_MAGIC);
  const bad = data.findIndex((label) => label >= numClasses);
  if (bad >= 0) {
    throw new HarnessError(
      'OPTNN_DATA_MALFORMED',
      `Expected the labels in ${file} to lie in 0..${numClasses - 1}, got ${data[bad]} at index ${bad}`,
    );
  }
  return { file, count: dims[0]!, labels: data };
}

/** Reads an images file and its labels file, and checks that they hold the same number of samples. */
export function readIdxPair(
  imagesFile: string,
  labelsFile: string,
  options: IdxReadOptions = {},
): { images: IdxImages; labels: IdxLabels } {
  const images = readIdxImages(imagesFile, options);
  const labels = readIdxLabels(labelsFile, options);
  if (images.count !== labels.count) {
    throw new HarnessError(
      'OPTNN_DATA_MALFORMED',
      `Expected ${labelsFile} to hold one label per image of ${imagesFile} (${images.count}), got ${labels.count} labels`,
    );
  }
  return { images, labels };
}

/** Encodes unsigned bytes of shape `dims` as an IDX file (uncompressed), e.g. to write fixtures. */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const size = dims.reduce((a, b) => a * b, 1);
  if (data.length !== size) {
    throw new RangeError(`encodeIdx: shape [${dims.join(', ')}] needs ${size} bytes, got ${data.length}`);
  }
  const out = new Uint8Array(4 + 4 * dims.length + size);
  const view = new DataView(out.buffer);
  view.setUint32(0, (IDX_UBYTE << 8) | dims.length);
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
