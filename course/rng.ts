/**
 * A small seeded random number generator for shuffles and splits. Everything here is 32-bit
 * integer arithmetic (Math.imul, >>>), so a seed gives the same numbers on every run, platform and
 * Node version. Not for cryptography.
 */
import { HarnessError } from './errors.js';

/** Returns a float in [0, 1) on each call. */
export type Rng = () => number;

function checkSeed(seed: number, where: string): void {
  if (!Number.isSafeInteger(seed)) {
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected the seed of ${where} to be an integer, got \`${String(seed)}\` (${typeof seed})`,
    );
  }
}

/** mulberry32 (Tommy Ettinger): a 32-bit state, period 2^32. The seed is taken modulo 2^32. */
export function mulberry32(seed: number): Rng {
  checkSeed(seed, 'mulberry32');
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in 0..n-1 from `rng`. */
export function randomIndex(rng: Rng, n: number): number {
  return Math.floor(rng() * n);
}

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * One seed from a seed and stream numbers (an epoch, a worker id), for independent streams:
 * neighbouring epochs get unrelated seeds. Deterministic, 32-bit.
 */
export function deriveSeed(seed: number, ...streams: number[]): number {
  checkSeed(seed, 'deriveSeed');
  let h = fmix32((seed >>> 0) ^ 0x5bd1e995);
  for (const stream of streams) {
    checkSeed(stream, 'deriveSeed');
    // boost::hash_combine, then the finaliser.
    h = fmix32((h ^ ((stream >>> 0) + 0x9e3779b9 + (h << 6) + (h >>> 2))) >>> 0);
  }
  return h;
}

/** Fisher–Yates: shuffles `array` in place, uniformly, and returns it. */
export function shuffleInPlace<T extends { length: number; [i: number]: unknown }>(array: T, rng: Rng): T {
  for (let i = array.length - 1; i > 0; i--) {
    const j = randomIndex(rng, i + 1);
    const tmp = array[i];
    array[i] = array[j];
    array[j] = tmp;
  }
  return array;
}

/** A uniformly random ordering of 0..n-1, fixed by `seed`. */
export function permutation(n: number, seed: number): Int32Array {
  if (!Number.isSafeInteger(n) || n < 0 || n > 0x7fffffff) {
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected the length of a permutation to be a non-negative integer, got \`${String(n)}\` (${typeof n})`,
    );
  }
  checkSeed(seed, 'permutation');
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return shuffleInPlace(order, mulberry32(seed));
}
