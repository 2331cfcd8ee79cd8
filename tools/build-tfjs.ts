/**
 * `npm run build:tfjs`: writes course/tfjs/chained-ops.cjs from the installed tfjs-core
 * (tools/tfjs-build.ts says why), which is committed so that `npm ci` builds nothing. Run it after
 * upgrading tfjs; `--check` only compares the committed file with a fresh build and exits 1 when
 * they differ.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleChainedOps, CHAINED_OPS_MODULE } from './tfjs-build.js';
import { parseFlags, usage, type FlagSpec } from '../scripts/cli/args.js';
import { runMain } from '../scripts/cli/main.js';

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
  const text = await bundleChainedOps(ROOT);
  const target = join(ROOT, CHAINED_OPS_MODULE);
  if (flags['check']) {
    const same = readFileSync(target, 'utf8') === text;
    console.log(
      same
        ? `${CHAINED_OPS_MODULE} matches a fresh build`
        : `${CHAINED_OPS_MODULE} differs from a fresh build: run npm run build:tfjs`,
    );
    if (!same) process.exitCode = 1;
    return;
  }
  writeFileSync(target, text);
  console.log(`wrote ${CHAINED_OPS_MODULE}`);
}

runMain(main, USAGE);
