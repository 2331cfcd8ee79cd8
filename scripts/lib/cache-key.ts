/**
 * The key a batch uses to skip submissions whose results are current: a hash over the
 * submission's files, the harness that grades them (graders, runner, course, contract, results,
 * fixtures, manifest, thresholds, the lockfile) and the options that change a grade.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

function files(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name.startsWith('.') ? [] : files(path);
    return entry.isFile() ? [path] : [];
  }).sort();
}

/** sha256 over the relative paths and contents of every file under `dir` (a file: just it). */
export function hashTree(path: string): string {
  const hash = createHash('sha256');
  const list = existsSync(path) && statSync(path).isFile() ? [path] : files(path);
  for (const file of list) {
    hash.update(relative(path, file) || file).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

const HARNESS_PARTS = ['graders', 'runner', 'course', 'contract', 'results', 'fixtures/public', 'package-lock.json'];

let harnessHash: string | undefined;

export function harnessKey(root: string): string {
  return (harnessHash ??= createHash('sha256').update(HARNESS_PARTS.map((p) => `${p}:${hashTree(join(root, p))}`).join('\n')).digest('hex'));
}

export function cacheKey(root: string, submissionDir: string, options: { hiddenDir?: string; backend: string; only?: readonly string[] }): string {
  return createHash('sha256').update(JSON.stringify({
    harness: harnessKey(root),
    submission: hashTree(submissionDir),
    hidden: options.hiddenDir ? hashTree(options.hiddenDir) : null,
    backend: options.backend,
    only: options.only ?? null,
  })).digest('hex');
}
