/**
 * `npm run build:kernels`: compiles the AssemblyScript kernels (course/kernels/assembly/) to
 * WebAssembly with SIMD and writes the bytes, base64, into course/kernels/training-kernels-wasm.ts,
 * which is committed: `npm ci && npm test` need no compiler and no network. `--check` only
 * compares the committed bytes with a fresh build and exits 1 when they differ.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTrainingKernels, KERNELS_MODULE, renderKernelsModule } from './kernels-build.js';
import { runGeneratedFileCommand } from './generated-file.js';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');

runGeneratedFileCommand('build:kernels', ROOT, KERNELS_MODULE, async () =>
  renderKernelsModule(await compileTrainingKernels(ROOT)),
);
