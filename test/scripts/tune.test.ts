/**
 * `npm run tune` measures a tuning choice exactly as the grader retrains it: tune --write on a copy
 * of the reference, then the grader's own tuning check (gradeSubmission, only `tuning`, in its
 * confined child) reproduces the written claim in full.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { TuningChoice } from '../../contract/tuning-schema.js';
import { validateOrThrow } from '../../contract/validate.js';
import { gradeSubmission } from '../../graders/grade.js';

const root = join(import.meta.dirname, '..', '..');
mkdirSync(join(root, '.work'), { recursive: true });
const work = mkdtempSync(join(root, '.work', 'tune-'));
const tune = (args: string[]) =>
  execa(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'tune.ts'), ...args], {
    cwd: root,
    reject: false,
    env: { OPTNN_PROGRESS: '0' },
  });

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm run tune', () => {
  it('writes the best choice of a grid with its measured claim, and the grader reproduces the claim in full', async () => {
    const dir = join(work, 'submission');
    cpSync(join(root, 'reference'), dir, { recursive: true });
    const plot = join(work, 'tune.svg');
    const result = await tune([
      '--submission',
      dir,
      '--optimizer',
      'AdaGrad',
      '--lr',
      '0.01,0.03',
      '--batch-size',
      '32',
      '--out',
      plot,
      '--write',
    ]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/AdaGrad\(lr 0\.01, eps 1e-10\), batch 32\s+\d\.\d{4}\s+\d+\.\d\d %/);
    expect(result.stdout).toMatch(/★\s+AdaGrad\(lr 0\.03, eps 1e-10\), batch 32/);
    expect(readFileSync(plot, 'utf8')).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);

    const written = validateOrThrow(
      TuningChoice,
      JSON.parse(readFileSync(join(dir, 'tuning.json'), 'utf8')),
      'tuning.json',
    );
    expect(written).toMatchObject({
      optimizer: 'AdaGrad',
      hyperparameters: { lr: 0.03, eps: 1e-10 },
      batchSize: 32,
    });

    const [verdict] = await gradeSubmission(dir, { only: ['tuning'] });
    expect(verdict!.message).toContain('your claim is reproduced');
    expect(verdict!.status).toBe('passed');
    // Not merely within the tolerance: the same numbers, as written (4 decimals).
    expect(verdict!.diagnostics?.measured).toBeCloseTo(written.claimed.testAccuracy, 4);
    expect(verdict!.message).toContain(`validation loss ${written.claimed.valLoss.toFixed(4)}`);
  }, 120_000);

  it('rejects a hyperparameter the optimizer does not have, and a bad list, with exit code 2', async () => {
    const foreign = await tune(['--optimizer', 'Adam', '--momentum', '0.9']);
    expect(foreign.exitCode).toBe(2);
    expect(foreign.stderr).toContain(
      'Adam has no hyperparameter --momentum; it has --lr, --grad-decay, --squared-grad-decay, --eps',
    );
    const bad = await tune(['--optimizer', 'Adam', '--lr', '0.001,x']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain(
      'Expected --lr to be non-negative numbers, separated by commas, got `"x"` (string)',
    );
    expect(bad.stderr).toContain('Usage: npm run tune');
  });
});
