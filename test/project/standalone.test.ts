/**
 * The project stands alone: its files, copied into a fresh folder that only root may enter (mode
 * 700, as `mktemp -d` makes) with nothing beside it, build a release and grade there. Nothing it
 * reads at build, test or run time lies outside its own root; only its installed packages are
 * linked in.
 */
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const outer = mkdtempSync(join(tmpdir(), 'standalone-'));
const clone = join(outer, 'clone');

async function projectFiles(): Promise<string[]> {
  const listed = await execa('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
  });
  return listed.stdout.split('\0').filter((f) => f !== '' && existsSync(join(root, f)));
}

beforeAll(async () => {
  chmodSync(outer, 0o700);
  for (const file of await projectFiles()) {
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    cpSync(join(root, file), join(clone, file), { verbatimSymlinks: true });
  }
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'));
}, 60_000);

describe('a copy of the project with nothing beside it, under a folder of mode 700', () => {
  it('sits where only root may enter', () => {
    expect(statSync(outer).mode & 0o777).toBe(0o700);
    expect(existsSync(join(outer, 'shared'))).toBe(false);
  });

  it('names no path outside its root in its source, scripts or workflows', async () => {
    const offenders: string[] = [];
    for (const file of await projectFiles()) {
      if (!/\.(ts|js|json|sh|yml|md)$/.test(file) || file.startsWith('test/corpus/hostile/')) continue;
      const text = readFileSync(join(root, file), 'utf8');
      if (/\.\.\/shared\b|'\.\.', *'shared'/.test(text)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });

  it('builds the student release from its own assignment/SPEC.md', async () => {
    const run = await execa('npx', ['tsx', 'scripts/release.ts', '--out', join(outer, 'starter')], {
      cwd: clone,
      reject: false,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(readFileSync(join(outer, 'starter', 'SPEC.md'), 'utf8')).toBe(
      readFileSync(join(root, 'assignment', 'SPEC.md'), 'utf8'),
    );
  }, 120_000);

  for (const sandbox of ['auto', 'none']) {
    it(`grades the reference there (--sandbox ${sandbox})`, async () => {
      const only = 'optimizer.Adam.steps,optimizer.GD.closed-loop,nets,training.step';
      const run = await execa(
        'npx',
        [
          'tsx',
          'scripts/grade.ts',
          '--only',
          only,
          '--sandbox',
          sandbox,
          '--out',
          join(outer, `grades-${sandbox}`),
        ],
        {
          cwd: clone,
          reject: false,
          env: { OPTNN_PROGRESS: '0', NO_COLOR: '1' },
        },
      );
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      const result = JSON.parse(
        readFileSync(join(outer, `grades-${sandbox}`, 'reference', 'results.json'), 'utf8'),
      );
      expect(result.graderErrors, run.stdout).toBe(0);
      expect(result.score).toBe(result.maxScore);
    }, 180_000);
  }
});
