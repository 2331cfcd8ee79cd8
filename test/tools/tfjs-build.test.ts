/**
 * course/tfjs, the project's `@tensorflow/tfjs`: its generated chained-ops module is what tfjs-core
 * builds to today, npm installed it as a copy (the grading child reads node_modules only), and
 * plain Node, importing or requiring it as tfjs-node does, gets every name of tfjs-core,
 * tfjs-layers and the cpu backend, tensors with their chained methods, and the gradients.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleChainedOps, CHAINED_OPS_MODULE } from '../../tools/tfjs-build.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SOURCE = join(ROOT, 'course', 'tfjs');
const INSTALLED = join(ROOT, 'node_modules', '@tensorflow', 'tfjs');

function node(args: string[]): string {
  return execFileSync(process.execPath, args, {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const PROBE = `
const names = (o) => Object.keys(o).filter((k) => k !== 'default');
const parts = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-cpu'];
const missing = parts.flatMap((p) => names(require(p)).filter((k) => !(k in tf)));
const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
const f = tf.tensor4d([1, 0, 0, -1], [2, 2, 1, 1]);
const g = tf.grad((w) => tf.conv2d(x, w, 1, 'valid').maxPool(2, 1, 'valid').square().sum())(f);
console.log(JSON.stringify({
  missing,
  chained: x.reshape([9]).mul(2).add(1).slice(0, 3).arraySync(),
  grad: Array.from(g.dataSync()),
  version: tf.version,
}));
`;

describe('course/tfjs', () => {
  it(`${CHAINED_OPS_MODULE} matches a fresh build (run npm run build:tfjs after upgrading tfjs)`, async () => {
    const fresh = await bundleChainedOps(ROOT);
    expect(
      readFileSync(join(ROOT, CHAINED_OPS_MODULE), 'utf8') === fresh,
      `${CHAINED_OPS_MODULE} is stale: run npm run build:tfjs`,
    ).toBe(true);
  });

  it('is installed as a copy of course/tfjs, not a link (run npm ci after changing it)', () => {
    expect(lstatSync(INSTALLED).isSymbolicLink()).toBe(false);
    const files = readdirSync(SOURCE).sort();
    expect(readdirSync(INSTALLED).sort()).toEqual(files);
    for (const file of files)
      expect(readFileSync(join(INSTALLED, file), 'utf8'), `node_modules copy of ${file}`).toBe(
        readFileSync(join(SOURCE, file), 'utf8'),
      );
  });

  for (const [how, prelude] of [
    [
      'imported',
      "import { createRequire } from 'node:module'; const require = createRequire(process.cwd() + '/'); const tf = await import('@tensorflow/tfjs');",
    ],
    ['required (as tfjs-node requires it)', "const tf = require('@tensorflow/tfjs');"],
  ] as const) {
    it(`${how} in plain Node: every name, chained methods, gradients`, () => {
      const type = how === 'imported' ? ['--input-type=module'] : [];
      const out = node([...type, '-e', `${prelude}\n${PROBE}`]);
      const result = JSON.parse(out.trim().split('\n').at(-1)!) as {
        missing: string[];
        chained: number[];
        grad: number[];
        version: Record<string, string>;
      };
      expect(result.missing).toEqual([]);
      expect(result.chained).toEqual([3, 5, 7]);
      // conv: [[-4,-4],[-4,-4]] → max-pool 2×2 stride 1 → -4 → d(square)/d = -8, spread over the
      // first window element that was the maximum (the top-left), through the conv's filter gradient.
      expect(result.grad).toEqual([-8, -16, -32, -40]);
      expect(result.version['tfjs-core']).toMatch(/^\d+\.\d+\.\d+$/);
    });
  }
});
