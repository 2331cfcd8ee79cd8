/**
 * Turns whatever a student uploaded to an LMS into one submission directory: a zip of `submission/`,
 * the starter repository (from GitHub), loose files, or a folder around any of these. Only regular
 * files are copied (symlinks and special files are dropped and named), under caps on count and size,
 * onto a copy of the student template, so a missing file reads "not implemented" instead of a build
 * error. Everything uploaded is hostile: nothing of it is executed or followed here. A zip is
 * unpacked by `upload-zip.ts` with the same limits checked while it unpacks (entries, bytes written,
 * names and depth); over them the upload is refused and nothing unpacked is left behind, and the
 * unpacked copy is removed once its files are placed.
 */
import { copyFileSync, cpSync, lstatSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { UploadRefused, unzipWithinLimits } from './upload-zip.js';

export const UPLOAD_LIMITS = { files: 2000, bytes: 50 * 1024 * 1024, depth: 8 };

const SKIPPED_DIRS = new Set(['node_modules', '.git', '__MACOSX', '.work', 'out']);

export interface MappedUpload {
  /** The submission directory to grade. */
  dir: string;
  /** What was found and done, for the student's output. */
  notes: string[];
  /** False when the upload holds nothing that belongs to a submission, or was refused. */
  found: boolean;
  /** Why the upload was refused (over the limits, a damaged zip), for the student; nothing is graded. */
  refused?: string;
}

interface Listing {
  files: string[];
  dropped: string[];
  bytes: number;
}

/** Regular files under `root` (relative paths), not following links, within the caps. */
function listUpload(root: string): Listing {
  const listing: Listing = { files: [], dropped: [], bytes: 0 };
  const walk = (dir: string, depth: number): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      const rel = relative(root, path);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && depth < UPLOAD_LIMITS.depth) walk(path, depth + 1);
        continue;
      }
      if (!entry.isFile()) {
        listing.dropped.push(`${rel} (${entry.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'})`);
        continue;
      }
      const size = lstatSync(path).size;
      if (listing.files.length >= UPLOAD_LIMITS.files || listing.bytes + size > UPLOAD_LIMITS.bytes) {
        listing.dropped.push(`${rel} (over the upload limits)`);
        continue;
      }
      listing.files.push(rel);
      listing.bytes += size;
    }
  };
  walk(root, 0);
  return listing;
}

interface Unpacked {
  dir?: string;
  dropped: string[];
  refused?: string;
}

/** A lone .zip upload is unpacked into a fresh directory, within the upload limits (see upload-zip.ts). */
function unpackLoneZip(upload: string, work: string, listing: Listing): Unpacked | undefined {
  if (listing.files.length !== 1 || !listing.files[0]!.toLowerCase().endsWith('.zip')) return undefined;
  const into = join(work, 'unzipped');
  rmSync(into, { recursive: true, force: true });
  try {
    const unzipped = unzipWithinLimits(join(upload, listing.files[0]!), into, UPLOAD_LIMITS, SKIPPED_DIRS);
    return { dir: into, dropped: unzipped.dropped };
  } catch (error) {
    if (!(error instanceof UploadRefused)) throw error;
    return { dropped: [], refused: `${listing.files[0]} was not graded: ${error.message}.` };
  }
}

/** The directory holding the submission's `index.ts`: one named `submission` first, else the shallowest. */
function submissionRoot(files: readonly string[]): string | undefined {
  const roots = files
    .filter((f) => basename(f) === 'index.ts')
    .map((f) => dirname(f))
    .filter(
      (d) =>
        !d
          .split(sep)
          .some((part) =>
            ['course', 'contract', 'runner', 'graders', 'results', 'reports', 'services', 'scripts'].includes(
              part,
            ),
          ),
    );
  const depth = (d: string): number => (d === '.' ? 0 : d.split(sep).length);
  const rank = (d: string): number => (basename(d) === 'submission' ? 0 : 1);
  return roots.sort((a, b) => rank(a) - rank(b) || depth(a) - depth(b) || a.localeCompare(b))[0];
}

function templateFiles(template: string): string[] {
  return readdirSync(template, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(template, join(e.parentPath, e.name)));
}

export function mapUpload(upload: string, template: string, work: string): MappedUpload {
  mkdirSync(work, { recursive: true });
  let source = upload;
  let listing = listUpload(upload);
  const notes: string[] = [];
  const unzipped = unpackLoneZip(upload, work, listing);
  if (unzipped?.refused !== undefined)
    return {
      dir: join(work, 'submission'),
      notes: [unzipped.refused],
      found: false,
      refused: unzipped.refused,
    };
  if (unzipped?.dir !== undefined) {
    notes.push(`Unpacked ${listing.files[0]}.`);
    source = unzipped.dir;
    listing = listUpload(unzipped.dir);
    listing.dropped.unshift(...unzipped.dropped);
  }
  const dir = join(work, 'submission');
  rmSync(dir, { recursive: true, force: true });
  cpSync(template, dir, { recursive: true });
  const known = templateFiles(template);
  const found = submissionRoot(listing.files);
  const root = found ?? '.';
  const placed: string[] = [];
  const ignored: string[] = [];
  for (const file of listing.files.filter((f) => root === '.' || f.startsWith(`${root}${sep}`))) {
    const rel = root === '.' ? file : relative(root, file);
    // Where the template has this path, or else the one template file of this name (flat uploads).
    const byName = known.filter((k) => basename(k) === basename(rel));
    const target = known.includes(rel)
      ? rel
      : byName.length === 1
        ? byName[0]!
        : found !== undefined
          ? rel
          : undefined;
    if (target === undefined) {
      ignored.push(file);
      continue;
    }
    mkdirSync(dirname(join(dir, target)), { recursive: true });
    copyFileSync(join(source, file), join(dir, target));
    placed.push(target);
  }
  if (unzipped?.dir !== undefined) rmSync(unzipped.dir, { recursive: true, force: true });
  const parts = placed.filter((p) => known.includes(p));
  notes.push(
    found !== undefined
      ? `Graded the submission found in ${root === '.' ? 'the top of your upload' : `${root}/`} (${placed.length} file(s)).`
      : parts.length > 0
        ? `No index.ts in your upload: placed ${parts.length} file(s) by name where the starter has them (${parts.join(', ')}); the other parts are the starter's.`
        : "Your upload holds no file of the submission (no index.ts, and no file named as one of the starter's).",
  );
  if (ignored.length > 0)
    notes.push(`Ignored: ${ignored.slice(0, 10).join(', ')}${ignored.length > 10 ? ', …' : ''}.`);
  if (listing.dropped.length > 0)
    notes.push(
      `Not used: ${listing.dropped.slice(0, 10).join(', ')}${listing.dropped.length > 10 ? ', …' : ''}.`,
    );
  return { dir, notes, found: parts.length > 0 };
}
