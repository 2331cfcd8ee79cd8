/**
 * The project works wherever it is cloned: in a clone under a directory of mode 700 (as /root, or
 * what `mktemp -d` makes), the child, which runs as uid 65534 when the grader is root, cannot walk
 * to the bundle or node_modules; the sandbox stages them where it can (runner/sandbox.ts). Graded
 * there with the Node-only layers (`--sandbox none`), the reference keeps full marks.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const clone = mkdtempSync(join(tmpdir(), 'optnn-clone-'));
afterAll(() => rmSync(clone, { recursive: true, force: true }));

describe('a clone under a directory of mode 700', () => {
  it('grades the reference with full marks under the Node-only layers', () => {
    expect(statSync(clone).mode & 0o777).toBe(0o700);
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\0')
      .filter((f) => f !== '');
    for (const file of files) {
      try {
        mkdirSync(dirname(join(clone, file)), { recursive: true });
        cpSync(join(root, file), join(clone, file), { verbatimSymlinks: true });
      } catch {
        /* a tracked file deleted in the work tree */
      }
    }
    // node_modules as hard links (no copy of 450 MB), so its real path is inside the clone too.
    const linked = spawnSync('cp', ['-al', join(root, 'node_modules'), join(clone, 'node_modules')]);
    if (linked.status !== 0)
      cpSync(join(root, 'node_modules'), join(clone, 'node_modules'), {
        recursive: true,
        verbatimSymlinks: true,
      });
    const out = join(clone, 'out');
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'scripts/grade.ts', 'reference', '--sandbox', 'none', '--out', out],
      {
        cwd: clone,
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, OPTNN_PROGRESS: '0' },
      },
    );
    expect(run.status, `${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'reference', 'results.json'), 'utf8')) as {
      score: number;
      maxScore: number;
      graderErrors: number;
    };
    expect(result.graderErrors).toBe(0);
    expect(result.score).toBe(result.maxScore);
  }, 150_000);
});
