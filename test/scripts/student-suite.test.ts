import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const suite = (submission: string) =>
  execa('npx', ['vitest', 'run', '--config', 'scripts/student-suite/vitest.config.ts'], {
    cwd: root,
    reject: false,
    env: { OPTNN_SUBMISSION: join(root, submission), OPTNN_PROGRESS: '0', FORCE_COLOR: '0', NO_COLOR: '1' },
  });

describe('the student-facing grading suite (vitest, as a real child process)', () => {
  it('shows every public test passing for the reference', async () => {
    const result = await suite('reference');
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Tests\s+33 passed \(33\)/);
  }, 180_000);

  it('shows every public test failing with its "not implemented" message for the template', async () => {
    const result = await suite('student-template');
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/Tests\s+33 failed \(33\)/);
    expect(result.stdout + result.stderr).toContain(
      'not implemented: Adam.updateParameter — see SPEC.md section "Optimizers"',
    );
    expect(result.stdout + result.stderr).toContain('not implemented: tuning.json');
  }, 180_000);
});

describe('a filtered run (npm test -- -t Adam)', () => {
  it('grades only the selected part, says the run was partial, and writes no score', async () => {
    const result = await execa(
      'npx',
      ['vitest', 'run', '--config', 'scripts/student-suite/vitest.config.ts', '-t', 'Adam'],
      {
        cwd: root,
        reject: false,
        env: {
          OPTNN_SUBMISSION: join(root, 'reference'),
          OPTNN_PROGRESS: '0',
          FORCE_COLOR: '0',
          NO_COLOR: '1',
        },
      },
    );
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Tests\s+4 passed \| 29 skipped \(33\)/);
    expect(result.stdout).toContain('partial run: 4 of 33 public tests graded');
    expect(result.stdout).not.toMatch(/^score:/m);
  }, 180_000);
});
