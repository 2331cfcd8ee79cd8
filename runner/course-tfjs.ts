/**
 * Where `@tensorflow/tfjs` resolves: to the course's own module, course/tfjs/index.ts (it says
 * why), never to an installed package. tsconfig.json's `paths` maps it for tsc and tsx; the
 * vitest configurations use `tfjsAlias()`; the esbuild bundles of the grading child and the commands
 * put `courseTfjs()` first among their plugins (the GPU run's bundle, which has no plugin that
 * resolves packages, takes tsconfig.json's `paths` as esbuild reads them), so one resolution holds
 * everywhere.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';

export const TFJS_PACKAGE = '@tensorflow/tfjs';

/** course/tfjs/index.ts under `root` (default: this checkout). */
export function courseTfjsPath(root = resolve(dirname(fileURLToPath(import.meta.url)), '..')): string {
  return join(root, 'course', 'tfjs', 'index.ts');
}

/** For vite's `resolve.alias`: the bare name only (`@tensorflow/tfjs-core` is another package). */
export function tfjsAlias(root?: string): { find: RegExp; replacement: string }[] {
  return [{ find: /^@tensorflow\/tfjs$/, replacement: courseTfjsPath(root) }];
}

/** esbuild: `@tensorflow/tfjs` is course/tfjs/index.ts under `root`, bundled as project code. */
export function courseTfjs(root: string): Plugin {
  const path = courseTfjsPath(root);
  return {
    name: 'optnn-course-tfjs',
    setup(b) {
      b.onResolve({ filter: /^@tensorflow\/tfjs$/ }, () => ({ path }));
    },
  };
}
