import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'batch-isolation-'));
const empty = join(work, 'class');
mkdirSync(empty);
const batch = (args: string[]) =>
  execa(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'scripts', 'grade.ts'),
      'batch',
      empty,
      '--out',
      join(work, 'out'),
      ...args,
    ],
    {
      cwd: root,
      reject: false,
      all: true,
      env: { OPTNN_PROGRESS: '0' },
    },
  );

describe('batch grading where submissions are not isolated from each other', () => {
  it('refuses several workers without bubblewrap, saying what that risks, unless --allow-unsandboxed', async () => {
    const refused = await batch(['--sandbox', 'none', '--jobs', '2']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain(
      '--sandbox none turns bubblewrap off, so the submissions graded at the same time are not isolated from each other',
    );
    expect(refused.stderr).toContain('kill(-1, SIGKILL)');
    expect(refused.stderr).toContain('pass --allow-unsandboxed to accept the risk');
    const allowed = await batch(['--sandbox', 'none', '--jobs', '2', '--allow-unsandboxed']);
    expect(allowed.exitCode, allowed.all).toBe(0);
    expect(allowed.stderr).toContain(
      'batch: warning: --allow-unsandboxed: --sandbox none turns bubblewrap off',
    );
    const alone = await batch(['--sandbox', 'none', '--jobs', '1']);
    expect(alone.exitCode, alone.all).toBe(0);
  }, 60_000);
});
