/**
 * The submission as the grading process reads it: one walk of its tree, with caps on entries,
 * depth, file size and total size, that keeps the contents of the files a grading can read (source
 * and JSON) in memory. The build compiles from this snapshot and nothing else, and the batch's cache
 * key hashes these contents (never sizes or times). Every file is opened without following a link
 * and without blocking (a device or FIFO is never read); a symbolic link is followed only where its
 * real target is a regular file or directory inside the submission. Anything the walk cannot read
 * as a plain file is the submission's failure (`TreeRefused`, with a message naming the path and the
 * rule), never an exception that stops a grading or a batch.
 */
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  readdirSync,
  realpathSync,
  type Stats,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { extname, join, sep } from 'node:path';

/** Extensions the build and the graders read; other files are walked (and counted) but not read. */
export const READ_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'] as const;

/** Directories never part of what is graded (a repository's metadata, installed packages). */
export const SKIPPED_DIRECTORIES = ['.git', 'node_modules'] as const;

export interface TreeLimits {
  /** Directory entries looked at, all kinds. */
  maxEntries: number;
  /** Files read (those with a READ_EXTENSIONS extension). */
  maxFiles: number;
  /** Largest file read, bytes. */
  maxFileBytes: number;
  /** All files read together, bytes. */
  maxTotalBytes: number;
  /** Deepest directory below the submission's root. */
  maxDepth: number;
}

export const TREE_LIMITS: TreeLimits = {
  maxEntries: 20_000,
  maxFiles: 2_000,
  maxFileBytes: 4 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  maxDepth: 16,
};

export class TreeRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TreeRefused';
  }
}

export interface SubmissionTree {
  /** The submission's directory (its real path). */
  root: string;
  /** Relative paths (with `/`) of the files read, to their contents. */
  files: Map<string, Buffer>;
  /** Relative paths of links (and what lies below them) whose target is outside the submission or not a plain file. */
  outside: Set<string>;
  /** Relative paths of source or JSON files over the one-file limit: never read, refused where imported. */
  oversized: Set<string>;
}

const within = (path: string, dir: string): boolean => path === dir || path.startsWith(dir + sep);

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (error instanceof Error ? error.name : 'unknown error');
}

/** The bytes of a regular file, opened without following links or blocking, up to `cap` bytes. */
function readRegular(path: string, name: string, cap: number): Buffer {
  let fd: number;
  try {
    fd = openSync(
      path,
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY,
    );
  } catch (error) {
    throw new TreeRefused(`${name} could not be opened (${describe(error)})`);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      throw new TreeRefused(`${name} is not a regular file; the grader reads only regular files`);
    if (stat.size > cap)
      throw new TreeRefused(`${name} is ${stat.size} bytes, over the limit of ${cap} for one file`);
    const buffer = Buffer.alloc(Math.min(cap + 1, stat.size + 1));
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length;) {
      n = readSync(fd, buffer, length, buffer.length - length, null);
      length += n;
    }
    if (length > cap) throw new TreeRefused(`${name} grew past the limit of ${cap} bytes while it was read`);
    return buffer.subarray(0, length);
  } catch (error) {
    if (error instanceof TreeRefused) throw error;
    throw new TreeRefused(`${name} could not be read (${describe(error)})`);
  } finally {
    closeSync(fd);
  }
}

/** Reads the submission under `dir` with the caps of `limits`; throws TreeRefused for the submission's faults. */
export function readSubmissionTree(dir: string, limits: TreeLimits = TREE_LIMITS): SubmissionTree {
  let root: string;
  try {
    root = realpathSync(dir);
    if (!lstatSync(root).isDirectory()) throw new TreeRefused('the submission is not a directory');
  } catch (error) {
    if (error instanceof TreeRefused) throw error;
    throw new TreeRefused(`the submission's directory could not be read (${describe(error)})`);
  }
  const tree: SubmissionTree = { root, files: new Map(), outside: new Set(), oversized: new Set() };
  let entries = 0;
  let total = 0;
  const visited = new Set<string>([root]);

  const walk = (real: string, rel: string, depth: number): void => {
    if (depth > limits.maxDepth)
      throw new TreeRefused(`${rel} is nested deeper than ${limits.maxDepth} directories`);
    let names: string[];
    try {
      names = readdirSync(real).sort();
    } catch (error) {
      throw new TreeRefused(`the directory ${rel || '.'} could not be read (${describe(error)})`);
    }
    for (const name of names) {
      if (++entries > limits.maxEntries)
        throw new TreeRefused(`the submission has more than ${limits.maxEntries} files and directories`);
      const path = join(real, name);
      const relPath = rel ? `${rel}/${name}` : name;
      let stat: Stats;
      try {
        stat = lstatSync(path);
      } catch (error) {
        throw new TreeRefused(`${relPath} could not be examined (${describe(error)})`);
      }
      let target = path;
      if (stat.isSymbolicLink()) {
        try {
          target = realpathSync(path);
          stat = lstatSync(target);
        } catch {
          tree.outside.add(relPath);
          continue;
        }
        if (!within(target, root) || !(stat.isFile() || stat.isDirectory())) {
          tree.outside.add(relPath);
          continue;
        }
      }
      if (stat.isDirectory()) {
        if ((SKIPPED_DIRECTORIES as readonly string[]).includes(name)) continue;
        // A link back up the tree would walk forever: each real directory is walked once.
        if (visited.has(target)) continue;
        visited.add(target);
        walk(target, relPath, depth + 1);
      } else if (stat.isFile()) {
        if (!(READ_EXTENSIONS as readonly string[]).includes(extname(name))) continue;
        if (tree.files.size >= limits.maxFiles)
          throw new TreeRefused(`the submission has more than ${limits.maxFiles} source and JSON files`);
        if (stat.size > limits.maxFileBytes) {
          tree.oversized.add(relPath);
          continue;
        }
        const bytes = readRegular(target, relPath, limits.maxFileBytes);
        total += bytes.length;
        if (total > limits.maxTotalBytes)
          throw new TreeRefused(
            `the submission's source and JSON files are over ${limits.maxTotalBytes} bytes together`,
          );
        tree.files.set(relPath, bytes);
      } else if ((READ_EXTENSIONS as readonly string[]).includes(extname(name))) {
        // A device, FIFO or socket with a source name: never read, and never a module.
        tree.outside.add(relPath);
      }
    }
  };
  walk(root, '', 0);
  return tree;
}

/**
 * sha256 over the relative paths and contents of the files read, and the paths of the links that
 * lead outside and of the files over the limit: everything a grading can read of the submission.
 */
export function treeDigest(tree: SubmissionTree): string {
  const hash = createHash('sha256');
  for (const path of [...tree.files.keys()].sort())
    hash.update(`file:${path}\0`).update(tree.files.get(path)!).update('\0');
  for (const path of [...tree.outside].sort()) hash.update(`outside:${path}\0`);
  for (const path of [...tree.oversized].sort()) hash.update(`oversized:${path}\0`);
  return hash.digest('hex');
}

/** Whether `rel` (a relative path with `/`) is a link out of the tree or lies below one. */
export function leadsOutside(tree: SubmissionTree, rel: string): boolean {
  for (const link of tree.outside) if (rel === link || rel.startsWith(`${link}/`)) return true;
  return false;
}
