import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildInputs } from '../../runner/build.js';
import { cacheKey } from '../../scripts/lib/cache-key.js';

const root = join(import.meta.dirname, '..', '..');
const options = { backend: 'wasm', sandbox: 'auto' };

/** The reference, with Adam moved into a dot-directory that optimizers/adam.ts re-exports. */
function submission(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'cache-key-')), 's001');
  cpSync(join(root, 'reference'), dir, { recursive: true });
  cpSync(join(dir, 'optimizers', 'adam.ts'), join(dir, '.src', 'adam.ts'), { recursive: true });
  writeFileSync(join(dir, 'optimizers', 'adam.ts'), "export { Adam } from '../.src/adam.js';\n");
  return dir;
}

describe("the cache key: the build's real input, and everything else a grade reads", () => {
  it('covers the files esbuild read (its metafile), dot-directories included', async () => {
    const dir = submission();
    const inputs = await buildInputs(dir);
    expect(inputs.some((p) => p.endsWith('/.src/adam.ts'))).toBe(true);
    const before = await cacheKey(root, dir, options);
    expect(await cacheKey(root, dir, options)).toBe(before);
    writeFileSync(join(dir, '.src', 'adam.ts'), 'export class Adam {}\n');
    expect(await cacheKey(root, dir, options)).not.toBe(before);
  }, 60_000);

  it('follows a symlink to its target: a changed target changes the key', async () => {
    const dir = submission();
    const outside = join(dir, '..', 'elsewhere.ts');
    cpSync(join(dir, '.src', 'adam.ts'), outside);
    rmSync(join(dir, '.src', 'adam.ts'));
    symlinkSync(outside, join(dir, '.src', 'adam.ts'));
    const before = await cacheKey(root, dir, options);
    writeFileSync(outside, 'export class Adam { broken = true }\n');
    expect(await cacheKey(root, dir, options)).not.toBe(before);
  }, 60_000);

  it('covers files the graders read themselves (tuning.json), node_modules/, and the options', async () => {
    const dir = submission();
    const before = await cacheKey(root, dir, options);
    writeFileSync(join(dir, 'tuning.json'), '{}\n');
    const tuned = await cacheKey(root, dir, options);
    expect(tuned).not.toBe(before);
    cpSync(join(dir, 'data.ts'), join(dir, 'node_modules', 'x', 'index.ts'), { recursive: true });
    expect(await cacheKey(root, dir, options)).not.toBe(tuned);
    expect(await cacheKey(root, dir, { ...options, backend: 'cpu' })).not.toBe(
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
});
