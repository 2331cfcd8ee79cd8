/**
 * graders/export-hint.ts: a missing export is traced to the file index.ts takes it from, with what
 * that file exports instead (a renamed class), read from real files.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportHint } from '../../graders/export-hint.js';

function submission(index: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'export-hint-'));
  writeFileSync(join(dir, 'index.ts'), index);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('exportHint', () => {
  it('names the file a renamed class lives in, and what it exports instead', () => {
    const dir = submission("export { GD } from './optimizers/gd.js';\n", {
      'optimizers/gd.ts': 'export class GradientDescent {}\n',
    });
    expect(exportHint(dir, 'GD')).toBe(
      'index.ts takes GD from ./optimizers/gd.js, but optimizers/gd.ts exports no GD (it exports GradientDescent)',
    );
  });

  it('says when index.ts never names it, and says nothing when the file does export it', () => {
    const dir = submission("export { GD } from './optimizers/gd.js';\n", {
      'optimizers/gd.ts': 'export class GD {}\n',
    });
    expect(exportHint(dir, 'GD')).toBeUndefined();
    expect(exportHint(dir, 'Adam')).toBe("index.ts has no `export { Adam } from '…'` line");
  });

  it('never reads outside the submission', () => {
    const dir = submission("export { GD } from '../elsewhere.js';\n", {});
    expect(exportHint(dir, 'GD')).toBe(
      'index.ts takes GD from ../elsewhere.js, which the grader could not read',
    );
  });
});
