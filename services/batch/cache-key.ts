/**
 * The key a batch uses to skip submissions whose results are current: a hash over what the grading
 * of a submission reads. That is the submission as `readSubmissionTree` reads it (the contents of its
 * source and JSON files, which are all the build and the graders read, and the paths of links out of
 * it), the harness that grades it and writes its outputs (graders, runner, course, contract,
 * results, services/grading, reports, fixtures, the lockfile), the hidden fixtures and the options that change a grade. Contents only: no size or
 * modification time, which a student controls, is ever trusted. A submission whose tree is refused
 * is keyed by the refusal.
 */
import { createHash, type Hash } from 'node:crypto';
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  readdirSync,
} from 'node:fs';
import { basename, join, relative } from 'node:path';
import { readSubmissionTree, treeDigest, TreeRefused } from '../../runner/submission-tree.js';

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

/** One file's contents into the hash, read without following a link or blocking; anything else by its kind. */
function hashFile(hash: Hash, path: string): void {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    hash.update(`unreadable:${(error as NodeJS.ErrnoException).code ?? ''}\0`);
    return;
  }
  try {
    if (!fstatSync(fd).isFile()) {
      hash.update('special\0');
      return;
    }
    const buffer = Buffer.alloc(1 << 20);
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) hash.update(buffer.subarray(0, n));
    hash.update('\0');
  } finally {
    closeSync(fd);
  }
}

function treeHash(path: string, skip: (name: string) => boolean): string {
  const hash = createHash('sha256');
  const list = lstatSync(path, { throwIfNoEntry: false })?.isFile() ? [path] : files(path, skip);
  for (const file of list) {
    // A file's own name, never where the checkout is: the same harness keys the same anywhere.
    hash.update(relative(path, file) || basename(file)).update('\0');
    hashFile(hash, file);
  }
  return hash.digest('hex');
}

/** sha256 over the relative paths and contents of every file under `dir` (a file: just it): the TA's trees. */
export function hashTree(path: string): string {
  return treeHash(path, () => false);
}

/** sha256 of what a grading reads of the submission, or of the reason its tree is refused. */
export function hashSubmission(submissionDir: string): string {
  try {
    return treeDigest(readSubmissionTree(submissionDir));
  } catch (error) {
    if (!(error instanceof TreeRefused)) throw error;
    return createHash('sha256').update(`refused:${error.message}`).digest('hex');
  }
}

const HARNESS_PARTS = [
  'graders',
  'runner',
  'course',
  'contract',
  'results',
  // What writes a submission's outputs, and the report pages among them.
  'services/grading',
  'reports',
  'fixtures/public',
  'package-lock.json',
];

const harnessHashes = new Map<string, string>();

export function harnessKey(root: string): string {
  const skip = (name: string): boolean => name === 'node_modules' || name.startsWith('.');
  let hash = harnessHashes.get(root);
  if (hash === undefined) {
    hash = createHash('sha256')
      .update(HARNESS_PARTS.map((p) => `${p}:${treeHash(join(root, p), skip)}`).join('\n'))
      .digest('hex');
    harnessHashes.set(root, hash);
  }
  return hash;
}

export interface KeyOptions {
  hiddenDir?: string;
  backend: string;
  sandbox?: string;
  only?: readonly string[];
  /** `--memory-mib`: a limit that can change a verdict. */
  memoryMiB?: number;
}

export async function cacheKey(root: string, submissionDir: string, options: KeyOptions): Promise<string> {
  return createHash('sha256')
    .update(
      JSON.stringify({
        harness: harnessKey(root),
        submission: hashSubmission(submissionDir),
        hidden: options.hiddenDir ? hashTree(options.hiddenDir) : null,
        backend: options.backend,
        sandbox: options.sandbox ?? null,
        only: options.only ?? null,
        ...(options.memoryMiB === undefined ? {} : { memoryMiB: options.memoryMiB }),
      }),
    )
    .digest('hex');
}
