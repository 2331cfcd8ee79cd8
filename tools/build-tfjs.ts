/**
 * `npm run build:tfjs`: writes course/tfjs/chained-ops.mjs from the installed tfjs-core
 * (tools/tfjs-build.ts says why), which is committed so that `npm ci` builds nothing. Run it after
 * upgrading tfjs; `--check` only compares the committed file with a fresh build and exits 1 when
 * they differ.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleChainedOps, CHAINED_OPS_MODULE } from './tfjs-build.js';
import { parseFlags, usage, type FlagSpec } from '../scripts/cli/args.js';
import { runMain } from '../scripts/cli/main.js';
import { writeOrCheck } from './generated-file.js';

const FLAGS: Record<string, FlagSpec> = {
  check: { type: 'boolean', description: 'compare the committed module with a fresh build; change nothing' },
  help: { type: 'boolean', description: 'print this help' },
};
const USAGE = usage('npm run build:tfjs -- [--check]', `Builds ${CHAINED_OPS_MODULE}.`, FLAGS);
const ROOT = join(fileURLToPath(import.meta.url), '..', '..');

async function main(): Promise<void> {
  const { flags } = parseFlags(process.argv.slice(2), FLAGS);
  if (flags['help']) {
    console.log(USAGE);
    return;
  }
  writeOrCheck(
    ROOT,
    CHAINED_OPS_MODULE,
    await bundleChainedOps(ROOT),
    flags['check'] === true,
    'npm run build:tfjs',
  );
}

runMain(main, USAGE);
