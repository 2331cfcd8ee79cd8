/**
 * Unpacks a student's zip upload under the upload limits, checked while unpacking: the zip is read
 * by this module (never the system `unzip`), entry by entry, with a running count of entries and a
 * running total of the bytes written. An entry is inflated with zlib's `maxOutputLength` set to what
 * is left of the byte limit, so a zip bomb stops inside zlib at the limit, not after it has been
 * written. Every name is checked before anything is written: no absolute path, drive letter,
 * backslash, `.`/`..` segment, control character or depth over the limit; only regular files and
 * directories are made (a symbolic link or other special entry is dropped and named), with
 * O_EXCL | O_NOFOLLOW. The zip itself is opened without following a link and must be a regular file
 * within the byte limit. Over a limit, or damaged, the whole upload is refused and everything
 * unpacked so far is removed.
 */
import { closeSync, constants, fstatSync, mkdirSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  /** Entries of the zip, of any kind. */
  files: number;
  /** Bytes written, all entries together. */
  bytes: number;
  /** Path segments of an entry's name. */
  depth: number;
}

export interface Unzipped {
  /** Entries not unpacked, each with why (`a/b (a symbolic link)`). */
  dropped: string[];
  files: number;
  bytes: number;
}

/** The upload was refused: the message says why, for the student. Nothing of it is left on disk. */
export class UploadRefused extends Error {
  readonly code = 'OPTNN_UPLOAD_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'UploadRefused';
  }
}

const MiB = 1024 * 1024;
const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

function readZip(path: string, maxBytes: number): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new UploadRefused('the zip is not a regular file');
    if (stat.size > maxBytes) throw new UploadRefused(`the zip is larger than ${maxBytes / MiB} MiB`);
    const data = Buffer.alloc(stat.size);
    let at = 0;
    while (at < data.length) {
      const n = readSync(fd, data, at, data.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return data.subarray(0, at);
  } finally {
    closeSync(fd);
  }
}

/** The problem with an entry's name, or undefined for a safe relative path. */
function nameProblem(name: string, maxDepth: number): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f\\]/.test(name)) return 'a name with a control character or a backslash';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'an absolute path';
  const segments = name.replace(/\/$/, '').split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return 'a path out of the upload';
  if (segments.length > maxDepth + 1) return 'deeper than the upload limits';
  if (Buffer.byteLength(name) > 1024) return 'a name too long';
  return undefined;
}

interface Entry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  size: number;
  mode: number;
  localOffset: number;
}

function* entriesOf(zip: Buffer): Generator<Entry> {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i -= 1) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new UploadRefused('it is not a zip file (no end of central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  const offset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new UploadRefused('ZIP64 zips are not accepted');
  let at = offset;
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL)
      throw new UploadRefused('the zip is damaged (its central directory)');
    const nameLength = zip.readUInt16LE(at + 28);
    const next = at + 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    if (next > zip.length) throw new UploadRefused('the zip is damaged (its central directory)');
    const madeBy = zip.readUInt16LE(at + 4) >> 8;
    yield {
      name: zip.subarray(at + 46, at + 46 + nameLength).toString('utf8'),
      flags: zip.readUInt16LE(at + 8),
      method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      // Unix (3) and macOS (19) keep the file's mode in the high half of the external attributes.
      mode: madeBy === 3 || madeBy === 19 ? zip.readUInt32LE(at + 38) >>> 16 : 0,
      localOffset: zip.readUInt32LE(at + 42),
    };
    at = next;
  }
}

function dataOf(zip: Buffer, entry: Entry): Buffer {
  const at = entry.localOffset;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL)
    throw new UploadRefused(`the zip is damaged (the entry ${entry.name})`);
  const start = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
  if (start + entry.compressedSize > zip.length)
    throw new UploadRefused(`the zip is damaged (the entry ${entry.name})`);
  return zip.subarray(start, start + entry.compressedSize);
}

/** The entry's bytes, never more than `room`; undefined when it holds more. */
function contentOf(zip: Buffer, entry: Entry, room: number): Buffer | undefined {
  if (entry.size > room) return undefined;
  const data = dataOf(zip, entry);
  if (entry.method === 0) return data.length > room ? undefined : data;
  try {
    // zlib stops at maxOutputLength: a bomb is never inflated past what is left of the limit.
    return inflateRawSync(data, { maxOutputLength: Math.max(1, room) });
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw new UploadRefused(`the zip is damaged (the entry ${entry.name} does not inflate)`);
  }
}

function writeNew(path: string, data: Buffer): void {
  const fd = openSync(
    path,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    0o644,
  );
  try {
    let at = 0;
    while (at < data.length) at += writeSync(fd, data, at, data.length - at);
  } finally {
    closeSync(fd);
  }
}

/**
 * Unpacks `zipPath` into `into` (made here; it must not exist) within `limits`. `skip` names
 * directories whose entries are passed over silently (`__MACOSX`, `node_modules`). Throws
 * UploadRefused, having removed `into`, when a limit is passed or the zip is damaged.
 */
export function unzipWithinLimits(
  zipPath: string,
  into: string,
  limits: ZipLimits,
  skip: ReadonlySet<string> = new Set(),
): Unzipped {
  mkdirSync(into);
  const result: Unzipped = { dropped: [], files: 0, bytes: 0 };
  try {
    const zip = readZip(zipPath, limits.bytes);
    let entries = 0;
    for (const entry of entriesOf(zip)) {
      entries += 1;
      if (entries > limits.files)
        throw new UploadRefused(`it holds more than ${limits.files} entries (the upload limit)`);
      const problem = nameProblem(entry.name, limits.depth);
      if (problem !== undefined) {
        result.dropped.push(`${JSON.stringify(entry.name)} (${problem})`);
        continue;
      }
      const segments = entry.name.replace(/\/$/, '').split('/');
      if (segments.some((s) => skip.has(s))) continue;
      const type = entry.mode & S_IFMT;
      const isDir = entry.name.endsWith('/') || type === S_IFDIR;
      if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) {
        result.dropped.push(`${entry.name} (${type === S_IFLNK ? 'a symbolic link' : 'not a regular file'})`);
        continue;
      }
      const path = join(into, ...segments);
      try {
        if (isDir) {
          mkdirSync(path, { recursive: true });
          continue;
        }
        if ((entry.flags & 1) !== 0) {
          result.dropped.push(`${entry.name} (encrypted)`);
          continue;
        }
        if (entry.method !== 0 && entry.method !== 8) {
          result.dropped.push(`${entry.name} (compressed with method ${entry.method})`);
          continue;
        }
        const room = limits.bytes - result.bytes;
        const data = contentOf(zip, entry, room);
        if (data === undefined)
          throw new UploadRefused(`it unpacks to more than ${limits.bytes / MiB} MiB (the upload limit)`);
        if (data.length !== entry.size)
          throw new UploadRefused(`the zip is damaged (the entry ${entry.name} is not the size it declares)`);
        mkdirSync(join(into, ...segments.slice(0, -1)), { recursive: true });
        writeNew(path, data);
        result.files += 1;
        result.bytes += data.length;
      } catch (error) {
        if (error instanceof UploadRefused) throw error;
        // A duplicate name, or a file where a directory is needed (or the reverse).
        const code = (error as NodeJS.ErrnoException).code;
        result.dropped.push(
          `${entry.name} (${code === 'EEXIST' ? 'a name that comes twice' : code === 'ENOTDIR' ? 'under a file of the same name' : 'not unpacked'})`,
        );
      }
    }
    return result;
  } catch (error) {
    rmSync(into, { recursive: true, force: true });
    if (error instanceof UploadRefused) throw error;
    throw new UploadRefused(
      `it could not be read (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}
