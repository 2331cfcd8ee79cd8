/**
 * The project files that command-line entry points need, read from their import graph (esbuild's
 * metafile, nothing written), so that a student repository (scripts/release.ts) or an autograder
 * package (services/packages/export-package.ts) never misses a module a command imports, statically or
 * dynamically. Only files under scripts/ and services/ are listed: the directories below them
 * (course/, runner/, graders/ …) are copied whole.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { buildSync } from 'esbuild';
import { PROJECT_ROOT } from '../../runner/build.js';

/**
 * The scripts/ and services/ files `entries` (paths from the project root) import, themselves included, sorted;
 * a JavaScript module's declarations (`x.d.mts` beside `x.mjs`) come with it, for tsc.
 */
export function scriptFilesOf(entries: readonly string[]): string[] {
  const { metafile } = buildSync({
    entryPoints: entries.map((e) => `${PROJECT_ROOT}/${e}`),
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    outdir: `${PROJECT_ROOT}/.work/script-files`,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const files = Object.keys(metafile.inputs)
    .map((input) => relative(PROJECT_ROOT, `${PROJECT_ROOT}/${input}`))
    .filter((path) => path.startsWith('scripts/') || path.startsWith('services/'));
  const declarations = files
    .filter((path) => path.endsWith('.mjs'))
    .map((path) => path.replace(/\.mjs$/, '.d.mts'))
    .filter((path) => existsSync(`${PROJECT_ROOT}/${path}`));
  return [...files, ...declarations].sort();
}
