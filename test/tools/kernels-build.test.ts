/**
 * The committed WebAssembly module (course/kernels/training-kernels-wasm.ts) is what its
 * AssemblyScript source compiles to today, and it instantiates here with no file and no network.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { layout } from '../../course/kernels/simd.js';
import { compileTrainingKernels, KERNELS_MODULE, renderKernelsModule } from '../../tools/kernels-build.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('training kernels module', () => {
  it('matches a fresh build of its source (run npm run build:kernels after changing it)', async () => {
    const fresh = renderKernelsModule(await compileTrainingKernels(ROOT));
    expect(
      readFileSync(join(ROOT, KERNELS_MODULE), 'utf8') === fresh,
      `${KERNELS_MODULE} is stale: run npm run build:kernels`,
    ).toBe(true);
  });

  it('loads, grows its memory for large regions and keeps it', () => {
    const small = layout([1024]);
    const pages = small.wasm.memory.buffer.byteLength / 65_536;
    const big = layout([8 << 20, 1024]);
    expect(big.wasm.memory.buffer.byteLength).toBeGreaterThanOrEqual(65_536 + (8 << 20) + 1024);
    expect(big.regions[1]!.byteOffset % 16).toBe(0);
    expect(big.regions[1]!.byteOffset).toBeGreaterThanOrEqual(big.regions[0]!.byteOffset + (8 << 20));
    expect(layout([1024]).wasm.memory.buffer.byteLength).toBeGreaterThan(pages * 65_536);
  });
});
