import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const workflowFiles = [
  ...readdirSync(join(root, 'release', 'workflows')).map((f) => join(root, 'release', 'workflows', f)),
  ...readdirSync(join(root, '.github', 'workflows')).map((f) => join(root, '.github', 'workflows', f)),
].filter((f) => f.endsWith('.yml'));

interface Step {
  name?: string;
  run?: string;
  uses?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  id?: string;
}
interface Workflow {
  jobs: Record<string, { env?: Record<string, string>; steps: Step[] }>;
}
const load = (file: string): Workflow => parse(readFileSync(file, 'utf8')) as Workflow;
const steps = (file: string): Step[] => Object.values(load(file).jobs).flatMap((j) => j.steps);

describe('the workflows', () => {
  it('pass an offline workflow linter (@action-validator/cli), which does fail a broken one', async () => {
    expect(workflowFiles.length).toBeGreaterThanOrEqual(3);
    for (const file of workflowFiles) {
      const run = await execa('npx', ['action-validator', file], { cwd: root, reject: false, all: true });
      expect(run.exitCode, `${file}: ${run.all}`).toBe(0);
    }
    const broken = join(mkdtempSync(join(tmpdir(), 'workflow-')), 'broken.yml');
    writeFileSync(
      broken,
      'name: broken\non: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    stepz:\n      - run: true\n',
    );
    expect((await execa('npx', ['action-validator', broken], { cwd: root, reject: false })).exitCode).toBe(1);
  }, 60_000);

  it('never expand an expression inside a script, install without optional packages and cache npm', () => {
    for (const file of workflowFiles) {
      for (const step of steps(file)) {
        if (step.run !== undefined)
          expect(step.run, `${file}: ${step.name ?? step.run}`).not.toContain('${{');
        if (step.run?.includes('npm ci')) expect(step.run, file).toMatch(/npm ci --omit=optional/);
        if (step.uses?.startsWith('actions/setup-node')) expect(step.with?.['cache'], file).toBe('npm');
      }
    }
  });
});

describe("the starter's workflow, run with the harness's own commands under GITHUB_ACTIONS=true", () => {
  const file = join(root, 'release', 'workflows', 'grade.yml');
  const checkouts: string[] = [];
  afterAll(() => {
    for (const dir of checkouts) rmSync(dir, { recursive: true, force: true });
  });
  const repo = (submission: string): string => {
    // A checkout of the starter: the harness (linked from this project) and a submission.
    const dir = mkdtempSync(join(tmpdir(), 'starter-'));
    checkouts.push(dir);
    for (const name of [
      'package.json',
      'node_modules',
      'services',
      'scripts',
      'course',
      'contract',
      'runner',
      'graders',
      'results',
      'reports',
      'fixtures',
      'tsconfig.json',
    ]) {
      symlinkSync(join(root, name), join(dir, name));
    }
    cpSync(join(root, submission), join(dir, 'submission'), { recursive: true });
    return dir;
  };
  const stepNamed = (name: string): Step => steps(file).find((s) => s.name === name)!;
  const runStep = (step: Step, cwd: string, env: Record<string, string>) =>
    execa('bash', ['-e', '-o', 'pipefail', '-c', step.run!], {
      cwd,
      reject: false,
      all: true,
      env: { ...env, GITHUB_ACTIONS: 'true', OPTNN_PROGRESS: '0' },
    });

  let job: Workflow['jobs'][string];
  beforeAll(() => {
    job = load(file).jobs['grade']!;
  });

  it('takes the minimum score from a repository variable, through an environment variable', () => {
    expect(job.env?.['MIN_SCORE']).toBe("${{ vars.OPTNN_MIN_SCORE || '100' }}");
    expect(stepNamed('Grade').run).toContain('--min-score "$MIN_SCORE"');
  });

  it('fails below --min-score (the template at 0 of a minimum of 50), with annotations on the files', async () => {
    const dir = repo('student-template');
    const summary = join(dir, 'summary.txt');
    const env = { MIN_SCORE: '50', GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: join(dir, 'output.txt') };
    const run = await runStep(stepNamed('Grade'), dir, env);
    expect(run.exitCode, run.all).toBe(3);
    expect(run.stdout).toContain(
      '::error title=Score below the minimum::submission scored 0/100 points, below the minimum of 50',
    );
    expect(run.stdout).toMatch(
      /^::error file=submission\/optimizers\/adam\.ts,title=optimizer\.Adam\.steps \(0\/\d+\)::/m,
    );
    expect(run.stdout).toMatch(/^::stop-commands::[0-9a-f]{32}$/m);
    expect((await runStep(stepNamed('Job summary'), dir, env)).exitCode).toBe(0);
    expect(readFileSync(summary, 'utf8')).toMatch(/0\s*\/\s*100/);
  }, 240_000);

  it('passes at the minimum (the reference at 100 of 100), and gives GitHub Classroom its points', async () => {
    const dir = repo('reference');
    const output = join(dir, 'output.txt');
    const run = await runStep(stepNamed('Grade'), dir, {
      MIN_SCORE: '100',
      GITHUB_STEP_SUMMARY: join(dir, 'summary.txt'),
      GITHUB_OUTPUT: output,
    });
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stdout).toContain('at or above the minimum of 100');
    const encoded = /^result=(.+)$/m.exec(readFileSync(output, 'utf8'))![1]!;
    const classroom = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8'));
    expect(classroom).toMatchObject({ version: 1, status: 'pass', max_score: 100 });
    expect(classroom.tests.reduce((s: number, t: { score: number }) => s + t.score, 0)).toBe(100);
  }, 240_000);

  it('rejects a --min-score that is not a number of points, with exit code 2', async () => {
    const run = await execa(
      process.execPath,
      ['--import', 'tsx', join(root, 'scripts', 'grade.ts'), 'student-template', '--min-score', 'lots'],
      { cwd: root, reject: false, all: true },
    );
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('Expected --min-score to be a number of points ≥ 0, got `"lots"` (string)');
  });
});
