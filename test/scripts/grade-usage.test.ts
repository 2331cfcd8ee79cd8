import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const grade = (...args: string[]) =>
  execa('npx', ['tsx', 'scripts/grade.ts', ...args], { cwd: root, reject: false, env: { NO_COLOR: '1' } });

describe('npm run grade: usage errors name their own subcommand', () => {
  it("a bad option of batch prints batch's usage alone, exit 2", async () => {
    const run = await grade('batch', 'somewhere', '--nope');
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('Unknown option --nope');
    expect(run.stderr).toContain('Usage: npm run grade -- batch');
    expect(run.stderr).not.toContain('Usage: npm run grade -- merge');
    expect(run.stderr).not.toContain('Usage: npm run grade -- regrade-diff');
    expect(run.stderr.split('\n').length).toBeLessThan(25);
  }, 60_000);

  it("a bad --backend on a single grading prints that command's usage, whose help lists the accepted values", async () => {
    const run = await grade('--backend', 'gpu-please');
    expect(run.exitCode).toBe(2);
    const accepted =
      /Expected --backend to be one of ([\w, -]+), got/.exec(run.stderr)?.[1]?.split(', ') ?? [];
    expect(accepted.length).toBeGreaterThan(1);
    const help = run.stderr.split('\n').find((l) => l.trimStart().startsWith('--backend')) ?? '';
    for (const value of accepted) expect(help, `--backend's help names ${value}`).toContain(value);
    expect(run.stderr).not.toContain('Usage: npm run grade -- batch');
  }, 60_000);
});
