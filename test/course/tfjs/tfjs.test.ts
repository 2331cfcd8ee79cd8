/**
 * course/tfjs, `@tensorflow/tfjs` as this project resolves it: every name of tfjs-core, tfjs-layers
 * and the cpu backend, `tf.data`, tensors with their chained methods, gradients and layers, the
 * same in this process (vitest's alias) and in a command run by tsx (tsconfig.json's paths), and
 * no installed `@tensorflow/tfjs` anywhere it could be taken instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { probe, type Probe } from './probe.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function expectProbe(result: Probe): void {
  expect(result.missing).toEqual([]);
  expect(result.chained).toEqual([3, 5, 7]);
  // conv: [[-4,-4],[-4,-4]] → max-pool 2×2 stride 1 → -4 → d(square) = -8, through the first
  // maximum (the top-left window) into the filter's gradient.
  expect(result.grad).toEqual([-8, -16, -32, -40]);
  expect(result.parameters).toBe(8);
  expect(result.data).toBe('function');
  expect(result.same).toBe(true);
  for (const part of ['tfjs-core', 'tfjs-layers', 'tfjs-backend-cpu', 'tfjs-data', 'tfjs'])
    expect(result.version[part], part).toMatch(/^\d+\.\d+\.\d+$/);
}

describe("course/tfjs: the course's @tensorflow/tfjs", () => {
  it('in a vitest process: every name, chained methods, gradients, layers, tf.data and the default import', () => {
    expectProbe(probe());
  });

  it('in a command run by tsx, as npm run experiments runs: the same', async () => {
    const run = await execa('npx', ['tsx', join('test', 'course', 'tfjs', 'probe.ts')], {
      cwd: ROOT,
      reject: false,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expectProbe(JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Probe);
  }, 60_000);

  it('is never taken from an installed @tensorflow/tfjs: the project does not depend on one', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string>
    >;
    expect(pkg['dependencies']!['@tensorflow/tfjs']).toBeUndefined();
    expect(pkg['devDependencies']!['@tensorflow/tfjs']).toBeUndefined();
    // npm ci installs it only as a dependency of the optional tfjs-node, whose install fails offline.
    if (existsSync(join(ROOT, 'node_modules', '@tensorflow', 'tfjs-node')))
      expect(existsSync(join(ROOT, 'node_modules', '@tensorflow', 'tfjs'))).toBe(true);
    expect(createRequire(join(ROOT, 'package.json')).resolve('@tensorflow/tfjs-core')).toContain(
      'node_modules',
    );
  });
});
