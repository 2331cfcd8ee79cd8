/**
 * `npm run build:tfjs`: writes course/tfjs/chained-ops.mjs from the installed tfjs-core
 * (tools/tfjs-build.ts says why), which is committed so that `npm ci` builds nothing. Run it after
 * upgrading tfjs; `--check` only compares the committed file with a fresh build and exits 1 when
 * they differ.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleChainedOps, CHAINED_OPS_MODULE } from './tfjs-build.js';
import { runGeneratedFileCommand } from './generated-file.js';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');

runGeneratedFileCommand('build:tfjs', ROOT, CHAINED_OPS_MODULE, () => bundleChainedOps(ROOT));
