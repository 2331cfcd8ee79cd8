import { cpSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheKey, harnessKey } from '../../../services/batch/cache-key.js';

const root = join(import.meta.dirname, '..', '..', '..');
const options = { backend: 'wasm', sandbox: 'auto' };

/** The reference, with Adam moved into a dot-directory that optimizers/adam.ts re-exports. */
function submission(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'cache-key-')), 's001');
  cpSync(join(root, 'reference'), dir, { recursive: true });
  cpSync(join(dir, 'optimizers', 'adam.ts'), join(dir, '.src', 'adam.ts'), { recursive: true });
  writeFileSync(join(dir, 'optimizers', 'adam.ts'), "export { Adam } from '../.src/adam.js';\n");
  return dir;
}

describe('the cache key: the contents of everything a grade reads', () => {
  it('covers the source files the build reads, dot-directories included', async () => {
    const dir = submission();
    const before = await cacheKey(root, dir, options);
    expect(await cacheKey(root, dir, options)).toBe(before);
    writeFileSync(join(dir, '.src', 'adam.ts'), 'export class Adam {}\n');
    expect(await cacheKey(root, dir, options)).not.toBe(before);
  }, 60_000);

  it('keys a link out of the submission as a link: its target is never read (the build refuses it)', async () => {
    const dir = submission();
    const outside = join(dir, '..', 'elsewhere.ts');
    cpSync(join(dir, '.src', 'adam.ts'), outside);
    rmSync(join(dir, '.src', 'adam.ts'));
    symlinkSync(outside, join(dir, '.src', 'adam.ts'));
    const linked = await cacheKey(root, dir, options);
    writeFileSync(outside, 'export class Adam { broken = true }\n');
    expect(await cacheKey(root, dir, options)).toBe(linked);
    rmSync(join(dir, '.src', 'adam.ts'));
    cpSync(outside, join(dir, '.src', 'adam.ts'));
    expect(await cacheKey(root, dir, options)).not.toBe(linked);
  }, 60_000);

  it('trusts no size or modification time: the same size and mtime with other contents is another key', async () => {
    const dir = submission();
    const big = join(dir, 'optimizers', 'gd.ts');
    writeFileSync(big, `export class GD {}\n//${'a'.repeat(3_000_000)}\n`);
    const { atime, mtime } = statSync(big);
    const before = await cacheKey(root, dir, options);
    writeFileSync(big, `export class GD {}\n//${'b'.repeat(3_000_000)}\n`);
    utimesSync(big, atime, mtime);
    expect(await cacheKey(root, dir, options)).not.toBe(before);
  }, 60_000);

  it('covers files the graders read themselves (tuning.json) and the options, not node_modules/ (never read)', async () => {
    const dir = submission();
    const before = await cacheKey(root, dir, options);
    writeFileSync(join(dir, 'tuning.json'), '{}\n');
    const tuned = await cacheKey(root, dir, options);
    expect(tuned).not.toBe(before);
    cpSync(join(dir, 'data.ts'), join(dir, 'node_modules', 'x', 'index.ts'), { recursive: true });
    expect(await cacheKey(root, dir, options)).toBe(tuned);
    expect(await cacheKey(root, dir, { ...options, backend: 'cpu' })).not.toBe(
      await cacheKey(root, dir, options),
    );
    expect(await cacheKey(root, dir, { ...options, memoryMiB: 1024 })).not.toBe(
      await cacheKey(root, dir, options),
    );
  }, 60_000);

  it('keys a submission that does not build, and never reads a device behind a symlink', async () => {
    const dir = submission();
    writeFileSync(join(dir, 'optimizers', 'gd.ts'), 'export class GD {\n  this is not TypeScript\n}\n');
    symlinkSync('/dev/zero', join(dir, 'zero'));
    const key = await cacheKey(root, dir, options);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);

  it('covers the harness that grades and writes the outputs, wherever the checkout is: a change to the grading service or the report pages is another key', () => {
    const copy = mkdtempSync(join(tmpdir(), 'cache-key-harness-'));
    for (const part of [
      'graders',
      'runner',
      'course',
      'contract',
      'results',
      'services',
      'reports',
      'fixtures',
    ])
      cpSync(join(root, part), join(copy, part), { recursive: true });
    cpSync(join(root, 'package-lock.json'), join(copy, 'package-lock.json'));
    const before = harnessKey(copy);
    expect(before).toBe(harnessKey(root));
    for (const file of ['services/grading/outputs.ts', 'reports/render.ts']) {
      const other = mkdtempSync(join(tmpdir(), 'cache-key-harness-'));
      cpSync(copy, other, { recursive: true });
      writeFileSync(join(other, file), '// changed\n', { flag: 'a' });
      expect(harnessKey(other), file).not.toBe(before);
    }
  }, 60_000);
});
