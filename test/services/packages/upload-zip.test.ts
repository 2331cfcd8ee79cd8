/**
 * Issue 21, class 12: an LMS upload's limits hold while it is unpacked, not after. Real zip files
 * (test/helpers/zip-file.ts writes the ones `zip` will not make) are mapped by the real
 * `mapUpload`: a bomb, one that lies about its size, too many entries, names out of the upload and a
 * symbolic link; a refusal leaves nothing unpacked on disk, and an accepted zip's unpacked copy is
 * removed once its files are placed.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UPLOAD_LIMITS, mapUpload } from '../../../services/packages/export-upload.js';
import { UploadRefused, unzipWithinLimits } from '../../../services/packages/upload-zip.js';
import { PROJECT_ROOT } from '../../../runner/build.js';
import { writeZip, type ZipEntry } from '../../helpers/zip-file.js';

const TEMPLATE = join(PROJECT_ROOT, 'student-template');
const MiB = 1024 * 1024;
const INDEX = "export * from './optimizers/index.js';\n";

const made: string[] = [];
/** A fresh directory under the system's temporary directory, removed after the tests. */
function tempBase(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** Bytes of every file under `dir`, links not followed. */
function bytesUnder(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .reduce((sum, e) => sum + lstatSync(join(e.parentPath, e.name)).size, 0);
}

/** An LMS upload directory holding one zip of `entries`, and an empty work directory beside it. */
function uploadOf(entries: readonly ZipEntry[]): { upload: string; work: string; base: string } {
  const base = tempBase('optnn-upload-');
  const upload = join(base, 'upload');
  mkdirSync(upload);
  writeZip(join(upload, 'submission.zip'), entries);
  return { upload, work: join(base, 'work'), base };
}

describe('a zip upload, unpacked within the upload limits', () => {
  it('a bomb (64 MiB of zeros in a 64 KiB zip) is refused while unpacking, and nothing of it is left', () => {
    const { upload, work } = uploadOf([
      { name: 'submission/index.ts', data: Buffer.from(INDEX) },
      { name: 'submission/weights.bin', data: Buffer.alloc(64 * MiB) },
    ]);
    expect(lstatSync(join(upload, 'submission.zip')).size).toBeLessThan(MiB);
    const mapped = mapUpload(upload, TEMPLATE, work);
    expect(mapped.found).toBe(false);
    expect(mapped.refused).toMatch(/^submission\.zip was not graded: it unpacks to more than 50 MiB/);
    expect(mapped.notes).toEqual([mapped.refused]);
    expect(bytesUnder(work)).toBeLessThan(MiB);
    expect(readdirSync(work)).toEqual([]);
  });

  it('a bomb that declares a small size is stopped by the running total, not by what it declares', () => {
    const base = tempBase('optnn-unzip-');
    const zip = join(base, 'liar.zip');
    writeZip(zip, [{ name: 'a.bin', data: Buffer.alloc(32 * MiB), declaredSize: 10 }]);
    const into = join(base, 'into');
    const limits = { files: 10, bytes: MiB, depth: 8 };
    expect(() => unzipWithinLimits(zip, into, limits)).toThrow(UploadRefused);
    expect(() => unzipWithinLimits(zip, into, limits)).toThrow(/unpacks to more than 1 MiB/);
    expect(existsSync(into)).toBe(false);
    // Within a larger limit the lie is found too: the entry is not the size it declares.
    expect(() => unzipWithinLimits(zip, into, { ...limits, bytes: 64 * MiB })).toThrow(
      /not the size it declares/,
    );
    expect(existsSync(into)).toBe(false);
  });

  it(`more than ${UPLOAD_LIMITS.files} entries is refused, and what was unpacked before the count ran out is removed`, () => {
    const entries = Array.from({ length: UPLOAD_LIMITS.files + 1 }, (_, i) => ({
      name: `submission/many/f${i}.ts`,
      data: Buffer.from(`export const x${i} = ${i};\n`),
    }));
    const { upload, work } = uploadOf([
      { name: 'submission/index.ts', data: Buffer.from(INDEX) },
      ...entries,
    ]);
    const mapped = mapUpload(upload, TEMPLATE, work);
    expect(mapped.found).toBe(false);
    expect(mapped.refused).toMatch(/more than 2000 entries/);
    expect(readdirSync(work)).toEqual([]);
  });

  it('names out of the upload and a symbolic link are dropped and named; nothing is written outside', () => {
    const marker = `optnn-escaped-${process.pid}-${Date.now()}`;
    const { upload, work, base } = uploadOf([
      { name: 'submission/index.ts', data: Buffer.from(INDEX) },
      { name: `../${marker}.ts`, data: Buffer.from('escaped') },
      { name: `submission/../../${marker}-2.ts`, data: Buffer.from('escaped') },
      { name: `/tmp/${marker}-abs.ts`, data: Buffer.from('escaped') },
      { name: 'C:/windows.ts', data: Buffer.from('escaped') },
      { name: 'submission\\..\\..\\back.ts', data: Buffer.from('escaped') },
      { name: 'submission/tuning.json', data: Buffer.from('/etc/passwd'), mode: 0o120777, method: 0 },
      { name: 'submission/index.ts', data: Buffer.from('// the second index.ts\n') },
    ]);
    const mapped = mapUpload(upload, TEMPLATE, work);
    expect(mapped.found).toBe(true);
    expect(mapped.refused).toBeUndefined();
    const notes = mapped.notes.join('\n');
    expect(notes).toMatch(/tuning\.json \(a symbolic link\)/);
    expect(notes).toMatch(/a path out of the upload/);
    expect(notes).toMatch(/an absolute path/);
    expect(notes).toMatch(/a backslash/);
    expect(notes).toMatch(/submission\/index\.ts \(a name that comes twice\)/);
    for (const dir of [base, tmpdir(), join(base, '..')])
      expect(readdirSync(dir).filter((n) => n.includes(marker))).toEqual([]);
    expect(existsSync(`/tmp/${marker}-abs.ts`)).toBe(false);
    // The template's own tuning.json, a regular file; the submission's index.ts placed.
    expect(lstatSync(join(mapped.dir, 'tuning.json')).isFile()).toBe(true);
    expect(readFileSync(join(mapped.dir, 'index.ts'), 'utf8')).toBe(INDEX);
    expect(readdirSync(work).sort()).toEqual(['submission']);
  });

  it('a zip made by `zip -r -y` is unpacked and placed, and its unpacked copy removed', () => {
    const base = tempBase('optnn-zip-');
    const staging = join(base, 'staging', 'submission');
    mkdirSync(join(staging, 'optimizers'), { recursive: true });
    writeFileSync(join(staging, 'index.ts'), INDEX);
    writeFileSync(join(staging, 'optimizers', 'adam.ts'), '// my adam\n');
    const upload = join(base, 'upload');
    mkdirSync(upload);
    execFileSync('zip', ['-q', '-r', '-y', join(upload, 'mine.zip'), 'submission'], {
      cwd: join(base, 'staging'),
    });
    const work = join(base, 'work');
    const mapped = mapUpload(upload, TEMPLATE, work);
    expect(mapped.found).toBe(true);
    expect(mapped.notes[0]).toBe('Unpacked mine.zip.');
    expect(readFileSync(join(mapped.dir, 'optimizers', 'adam.ts'), 'utf8')).toBe('// my adam\n');
    expect(readdirSync(work)).toEqual(['submission']);
  });
});
