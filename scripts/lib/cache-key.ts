/**
 * The key a batch uses to skip submissions whose results are current: a hash over what the grading
 * of a submission reads. That is the build's real input (every file esbuild read, from its metafile,
 * symlink targets included), every file of the submission's tree (dot-directories, `node_modules/`
 * and symlinks included, so files the graders read themselves, such as `tuning.json`, count too),
 * the harness that grades it (graders, runner, course, contract, results, fixtures, the lockfile),
 * the hidden fixtures and the options that change a grade.
 */
import { createHash, type Hash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildInputs } from '../../runner/build.js';

/** Files larger than this are keyed by size and modification time instead of content. */
const CONTENT_LIMIT = 64 * 1024 * 1024;

function files(dir: string, skip: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (skip(entry.name)) return [];
      return entry.isDirectory() ? files(path, skip) : [path];
    })
    .sort();
}

/** One file into the hash: a symlink by its target (and the target's content when a regular file). */
function hashFile(hash: Hash, path: string): void {
  const link = lstatSync(path, { throwIfNoEntry: false });
  if (link === undefined) {
    hash.update('missing\0');
    return;
  }
  if (link.isSymbolicLink()) hash.update(`link:${readlinkSync(path)}\0`);
  const target = statSync(path, { throwIfNoEntry: false });
  if (target === undefined) hash.update('dangling\0');
  else if (!target.isFile()) hash.update(`${target.isDirectory() ? 'dir' : 'special'}\0`);
  else if (target.size > CONTENT_LIMIT) hash.update(`large:${target.size}:${target.mtimeMs}\0`);
  else hash.update(readFileSync(path)).update('\0');
}

function treeHash(path: string, skip: (name: string) => boolean): string {
  const hash = createHash('sha256');
  const list = existsSync(path) && statSync(path).isFile() ? [path] : files(path, skip);
  for (const file of list) {
    hash.update(relative(path, file) || file).update('\0');
    hashFile(hash, file);
  }
  return hash.digest('hex');
}

/** sha256 over the relative paths and contents of every file under `dir` (a file: just it), everything included. */
export function hashTree(path: string): string {
  return treeHash(path, () => false);
}

/** sha256 over the files the build reads (absolute paths and contents), or the reason it fails. */
export async function hashBuildInputs(submissionDir: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for (const input of await buildInputs(submissionDir)) {
      hash.update(input).update('\0');
      hashFile(hash, input);
    }
  } catch (error) {
    // A build that fails is keyed by its reason; the tree hash covers the files it would have read.
    hash.update(`build failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return hash.digest('hex');
}

const HARNESS_PARTS = [
  'graders',
  'runner',
  'course',
  'contract',
  'results',
  'fixtures/public',
  'package-lock.json',
];

let harnessHash: string | undefined;

export function harnessKey(root: string): string {
  const skip = (name: string): boolean => name === 'node_modules' || name.startsWith('.');
  return (harnessHash ??= createHash('sha256')
    .update(HARNESS_PARTS.map((p) => `${p}:${treeHash(join(root, p), skip)}`).join('\n'))
    .digest('hex'));
}

export interface KeyOptions {
  hiddenDir?: string;
  backend: string;
  sandbox?: string;
  only?: readonly string[];
}

export async function cacheKey(root: string, submissionDir: string, options: KeyOptions): Promise<string> {
  return createHash('sha256')
    .update(
      JSON.stringify({
        harness: harnessKey(root),
        build: await hashBuildInputs(submissionDir),
        submission: hashTree(submissionDir),
        hidden: options.hiddenDir ? hashTree(options.hiddenDir) : null,
        backend: options.backend,
        sandbox: options.sandbox ?? null,
        only: options.only ?? null,
      }),
    )
    .digest('hex');
}
