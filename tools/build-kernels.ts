/**
 * `npm run build:kernels`: compiles the AssemblyScript kernels (course/kernels/assembly/) to
 * WebAssembly with SIMD and writes the bytes, base64, into course/kernels/training-kernels-wasm.ts,
 * which is committed: `npm ci && npm test` need no compiler and no network. `--check` only
 * compares the committed bytes with a fresh build and exits 1 when they differ.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTrainingKernels, KERNELS_MODULE, renderKernelsModule } from './kernels-build.js';
import { parseFlags, usage, type FlagSpec } from '../scripts/cli/args.js';
import { runMain } from '../scripts/cli/main.js';
import { writeOrCheck } from './generated-file.js';

const FLAGS: Record<string, FlagSpec> = {
  check: { type: 'boolean', description: 'compare the committed module with a fresh build; change nothing' },
  help: { type: 'boolean', description: 'print this help' },
};
const USAGE = usage(
  'npm run build:kernels -- [--check]',
  'Builds course/kernels/training-kernels-wasm.ts.',
  FLAGS,
);
const ROOT = join(fileURLToPath(import.meta.url), '..', '..');

async function main(): Promise<void> {
  const { flags } = parseFlags(process.argv.slice(2), FLAGS);
  if (flags['help']) {
    console.log(USAGE);
    return;
  }
  writeOrCheck(
    ROOT,
    KERNELS_MODULE,
    renderKernelsModule(await compileTrainingKernels(ROOT)),
    flags['check'] === true,
    'npm run build:kernels',
  );
}

runMain(main, USAGE);
