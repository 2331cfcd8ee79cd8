/**
 * A committed generated file, as the build tools (`npm run build:kernels`, `npm run build:tfjs`)
 * write it: written, or with `check` only compared with a fresh build (exit code 1 when they
 * differ), so that `npm ci && npm test` builds nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFlags, usage, type FlagSpec } from '../scripts/cli/args.js';
import { runMain } from '../scripts/cli/main.js';

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

const CHECK_FLAGS: Record<string, FlagSpec> = {
  check: { type: 'boolean', description: 'compare the committed module with a fresh build; change nothing' },
  help: { type: 'boolean', description: 'print this help' },
};

/**
 * The main of a build tool for one committed generated file: `npm run <script> -- [--check]`
 * builds `path` under `root` with `build` and writes it, or with --check only compares it.
 */
export function runGeneratedFileCommand(
  script: string,
  root: string,
  path: string,
  build: () => Promise<string>,
): void {
  const command = `npm run ${script}`;
  const usageText = usage(`${command} -- [--check]`, `Builds ${path}.`, CHECK_FLAGS);
  runMain(async () => {
    const { flags } = parseFlags(process.argv.slice(2), CHECK_FLAGS);
    if (flags['help']) {
      console.log(usageText);
      return;
    }
    writeOrCheck(root, path, await build(), flags['check'] === true, command);
  }, usageText);
}
