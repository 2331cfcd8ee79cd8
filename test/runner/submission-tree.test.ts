/**
 * runner/submission-tree.ts: the one read of a submission that the build and the cache key use.
 * Real files, links, FIFOs and deep trees: every fault is a TreeRefused naming the path, never
 * another exception, and nothing but regular files inside the submission is read.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSubmissionTree, TREE_LIMITS, treeDigest, TreeRefused } from '../../runner/submission-tree.js';

const fresh = (): string => {
  const dir = join(mkdtempSync(join(tmpdir(), 'tree-')), 'sub');
  mkdirSync(dir);
  writeFileSync(join(dir, 'index.ts'), 'export {};\n');
  return dir;
};

describe('readSubmissionTree', () => {
  it('reads source and JSON files, skips .git and node_modules, and follows links only inside', () => {
    const dir = fresh();
    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, 'lib', 'a.ts'), 'export const a = 1;\n');
    writeFileSync(join(dir, 'notes.md'), '# not read\n');
    mkdirSync(join(dir, 'node_modules', 'x'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'x', 'index.js'), '');
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'config.json'), '{}');
    writeFileSync(join(dir, '..', 'secret.ts'), 'export const secret = 1;\n');
    symlinkSync('../secret.ts', join(dir, 'out.ts'));
    symlinkSync('lib/a.ts', join(dir, 'alias.ts'));
    symlinkSync('/dev/zero', join(dir, 'zero.ts'));
    symlinkSync('loop.ts', join(dir, 'loop.ts'));
    symlinkSync('.', join(dir, 'lib', 'self'));
    const tree = readSubmissionTree(dir);
    expect([...tree.files.keys()].sort()).toEqual(['alias.ts', 'index.ts', 'lib/a.ts']);
    expect(tree.files.get('alias.ts')?.toString()).toBe('export const a = 1;\n');
    expect([...tree.outside].sort()).toEqual(['loop.ts', 'out.ts', 'zero.ts']);
  });

  it('never opens a FIFO (it would block) and records it as not a plain file', () => {
    const dir = fresh();
    execFileSync('mkfifo', [join(dir, 'pipe.ts')]);
    const tree = readSubmissionTree(dir);
    expect(tree.outside.has('pipe.ts')).toBe(true);
    expect(tree.files.has('pipe.ts')).toBe(false);
  });

  it('keeps a file over the one-file limit out of what is read, and refuses past the other caps', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'big.json'), 'x'.repeat(2000));
    const small = { ...TREE_LIMITS, maxFileBytes: 1000 };
    expect([...readSubmissionTree(dir, small).oversized]).toEqual(['big.json']);
    expect(() => readSubmissionTree(dir, { ...TREE_LIMITS, maxTotalBytes: 1000 })).toThrow(
      /over 1000 bytes together/,
    );
    expect(() => readSubmissionTree(dir, { ...TREE_LIMITS, maxFiles: 1 })).toThrow(/more than 1 source/);
    expect(() => readSubmissionTree(dir, { ...TREE_LIMITS, maxEntries: 1 })).toThrow(/more than 1 files/);
    let deep = dir;
    for (let i = 0; i < 5; i++) mkdirSync((deep = join(deep, 'd')));
    expect(() => readSubmissionTree(dir, { ...TREE_LIMITS, maxDepth: 3 })).toThrow(TreeRefused);
    expect(() => readSubmissionTree(join(dir, 'missing'))).toThrow(TreeRefused);
  });

  it('digests contents: the same names with other bytes are another digest', () => {
    const dir = fresh();
    const before = treeDigest(readSubmissionTree(dir));
    writeFileSync(join(dir, 'index.ts'), 'export {}; \n');
    expect(treeDigest(readSubmissionTree(dir))).not.toBe(before);
  });
});
