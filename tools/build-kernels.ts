/**
 * `npm run build:kernels`: compiles the AssemblyScript kernels (course/kernels/assembly/) to
 * WebAssembly with SIMD and writes the bytes, base64, into course/kernels/training-kernels-wasm.ts,
 * which is committed: `npm ci && npm test` need no compiler and no network. `--check` only
 * compares the committed bytes with a fresh build and exits 1 when they differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileTrainingKernels, KERNELS_MODULE, renderKernelsModule } from './kernels-build.js';
import { parseFlags, usage, type FlagSpec } from '../scripts/cli/args.js';
import { runMain } from '../scripts/cli/main.js';

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
  const text = renderKernelsModule(await compileTrainingKernels(ROOT));
  const target = join(ROOT, KERNELS_MODULE);
  if (flags['check']) {
    const same = readFileSync(target, 'utf8') === text;
    console.log(
      same
        ? `${KERNELS_MODULE} matches a fresh build`
        : `${KERNELS_MODULE} differs from a fresh build: run npm run build:kernels`,
    );
    if (!same) process.exitCode = 1;
    return;
  }
  writeFileSync(target, text);
  console.log(`wrote ${KERNELS_MODULE}`);
}

runMain(main, USAGE);
