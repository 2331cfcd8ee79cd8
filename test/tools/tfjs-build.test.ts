/**
 * The committed course/tfjs/chained-ops.mjs is what the installed tfjs-core bundles to today, and it
 * loads nothing itself (a second tfjs-core would compute with another engine).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleChainedOps, CHAINED_OPS_MODULE } from '../../tools/tfjs-build.js';

const ROOT = join(import.meta.dirname, '..', '..');

describe('course/tfjs/chained-ops.mjs', () => {
  it('matches a fresh build (run npm run build:tfjs after upgrading tfjs)', async () => {
    const fresh = await bundleChainedOps(ROOT);
    const committed = readFileSync(join(ROOT, CHAINED_OPS_MODULE), 'utf8');
    expect(committed === fresh, `${CHAINED_OPS_MODULE} is stale: run npm run build:tfjs`).toBe(true);
    expect(committed).not.toMatch(/\brequire\(|^import |\bimport\(/m);
  });
});
