/**
 * A committed generated file, as the build tools (`npm run build:kernels`, `npm run build:tfjs`)
 * write it: written, or with `check` only compared with a fresh build (exit code 1 when they
 * differ), so that `npm ci && npm test` builds nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeOrCheck(
  root: string,
  path: string,
  text: string,
  check: boolean,
  command: string,
): void {
  const target = join(root, path);
  if (check) {
    const same = readFileSync(target, 'utf8') === text;
    console.log(
      same ? `${path} matches a fresh build` : `${path} differs from a fresh build: run ${command}`,
    );
    if (!same) process.exitCode = 1;
    return;
  }
  writeFileSync(target, text);
  console.log(`wrote ${path}`);
}
