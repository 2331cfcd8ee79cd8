import { cpSync, writeFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { STARTER_DEPENDENCIES, STARTER_DEV_DEPENDENCIES } from '../../services/packages/starter-package.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRADE_COMMAND } from '../../services/grading/grade-command.js';
import { solutionLines } from '../helpers/solution-lines.js';

const root = join(import.meta.dirname, '..', '..');
const out = join(mkdtempSync(join(tmpdir(), 'release-')), 'student-repo');

const allFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.parentPath.includes('node_modules'))
    .map((e) => join(e.parentPath, e.name));

beforeAll(async () => {
  const run = await execa('npx', ['tsx', 'scripts/release.ts', '--out', out], { cwd: root, reject: false });
  expect(run.exitCode, run.stderr).toBe(0);
}, 60_000);

describe('npm run release', () => {
  it('holds the template, graders, public fixtures, a grading npm test, a README and a PR workflow', () => {
    const files = allFiles(out).map((f) => relative(out, f));
    for (const path of [
      'submission/optimizers/adam.ts',
      'submission/tuning.json',
      'graders/manifest.json',
      'fixtures/public/adam.json',
      'fixtures/public/mistakes/adam.json',
      'README.md',
      'SPEC.md',
      '.github/workflows/grade.yml',
      'package-lock.json',
    ]) {
      expect(files).toContain(path);
    }
    const pkg = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'));
    expect(pkg.scripts.test).toBe('vitest run --config scripts/student-suite/vitest.config.ts');
    for (const path of ['original-notebook.txt', 'scripts/student-suite/parts/adam.test.ts'])
      expect(files).toContain(path);
  });

  it('has its own package.json and lockfile: only what its commands need, no TA tool', () => {
    const pkg = JSON.parse(readFileSync(join(out, 'package.json'), 'utf8'));
    expect(Object.keys(pkg.dependencies).sort()).toEqual([...STARTER_DEPENDENCIES].sort());
    expect(Object.keys(pkg.devDependencies).sort()).toEqual([...STARTER_DEV_DEPENDENCIES].sort());
    expect(pkg.optionalDependencies).toBeUndefined();
    const lock = JSON.parse(readFileSync(join(out, 'package-lock.json'), 'utf8'));
    expect(lock.packages[''].dependencies).toEqual(pkg.dependencies);
    const taOnly = Object.keys(lock.packages).filter((key) =>
      /node_modules\/(eslint|@typescript-eslint|prettier|assemblyscript|binaryen|playwright-core|webgpu|@tensorflow\/tfjs-node|@action-validator|fast-xml-parser|yaml|@tensorflow\/tfjs|@tensorflow\/tfjs-backend-webgl|@tensorflow\/tfjs-converter|core-js)(\/|$)/.test(
        key,
      ),
    );
    expect(taOnly).toEqual([]);
    // Every package from the registry: none from a local path, none linked.
    const local = Object.entries(lock.packages as Record<string, { resolved?: string; link?: boolean }>)
      .filter(([key, entry]) => key !== '' && (entry.link === true || entry.resolved?.startsWith('file:')))
      .map(([key]) => key);
    expect(local).toEqual([]);
  });

  it('holds the launcher batch grading starts its workers with, and what it loads', () => {
    const files = allFiles(out).map((f) => relative(out, f));
    const launcher = relative(root, GRADE_COMMAND[0]!);
    for (const path of [
      launcher,
      'scripts/cli/bundle-launch.mjs',
      'scripts/cli/bundle-launch.d.mts',
      'scripts/cli/command-bundle.ts',
    ])
      expect(files).toContain(path);
  });

  it('never contains the reference solution, the buggy optimizers or hidden fixtures', () => {
    const files = allFiles(out);
    const paths = files.map((f) => relative(out, f));
    expect(
      paths.filter(
        (p) => p.startsWith('reference') || p.includes('graders/mistakes/') || p.includes('hidden'),
      ),
    ).toEqual([]);
    const lines = solutionLines();
    expect(lines.length).toBeGreaterThan(25);
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      expect(text.includes('BEGIN SOLUTION'), relative(out, file)).toBe(false);
      const leaked = lines.filter((line) => text.includes(line));
      expect(leaked, `${relative(out, file)} holds solution lines`).toEqual([]);
    }
  });

  it("its README's commands do what it says: npm ci, npm test (0 points, the score and report last), npm run grade, npm run typecheck", async () => {
    const install = await execa('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: out,
      reject: false,
    });
    expect(install.exitCode, install.stderr).toBe(0);
    const env = { OPTNN_PROGRESS: '0', NO_COLOR: '1', FORCE_COLOR: '0' };
    const test = await execa('npm', ['test'], { cwd: out, reject: false, env });
    expect(test.exitCode).toBe(1);
    expect(test.stdout).toMatch(/Tests\s+33 failed \(33\)/);
    expect(test.stdout + test.stderr).toContain('not implemented: Adam.updateParameter');
    const last = test.stdout.trimEnd().split('\n').slice(-2);
    expect(last[0]).toMatch(/^score: 0\/\d+ points \(public tests\)$/);
    expect(last[1]).toBe('report: out/grades/submission/report.html (open it in a browser)');
    expect(existsSync(join(out, 'out', 'grades', 'submission', 'report.html'))).toBe(true);
    rmSync(join(out, 'out'), { recursive: true });

    const grade = await execa('npm', ['run', 'grade'], { cwd: out, reject: false, env });
    expect(grade.exitCode, grade.stderr).toBe(0);
    const lines = grade.stdout.trimEnd().split('\n');
    expect(lines.at(-2)).toMatch(/^submission: 0\/\d+ points, 0 grader error\(s\), [\d.]+ s$/);
    expect(lines.at(-1)).toBe('report: out/grades/submission/report.html (open it in a browser)');

    const typecheck = await execa('npm', ['run', 'typecheck'], { cwd: out, reject: false });
    expect(typecheck.exitCode, typecheck.stdout + typecheck.stderr).toBe(0);

    // The template's experiments: every cell says its optimizer is not implemented yet, and the page is written.
    const experiments = await execa('npm', ['run', 'experiments', '--', '--quick'], {
      cwd: out,
      reject: false,
      env,
    });
    expect(experiments.exitCode, experiments.stderr).toBe(0);
    expect(readFileSync(join(out, 'out', 'experiments.html'), 'utf8')).toContain('not implemented');

    // Every file the README names exists after the commands it names (tune's plot: the next test).
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    const named = [...readme.matchAll(/`([\w./-]+\.(?:json|html|md|xml|csv|ts|txt|yml))`/g)]
      .map((m) => m[1]!)
      .filter((name) => !name.includes('*') && name !== 'out/tune.svg');
    expect(named.length).toBeGreaterThan(10);
    const produced = readdirSync(join(out, 'out', 'grades', 'submission'));
    for (const name of new Set(named)) {
      const found =
        existsSync(join(out, name)) || existsSync(join(out, 'submission', name)) || produced.includes(name);
      expect(found, `the README names ${name}, which is not in the starter after npm run grade`).toBe(true);
    }
  }, 300_000);

  it('its own npm test gives full marks to a correct solution', async () => {
    rmSync(join(out, 'submission'), { recursive: true });
    cpSync(join(root, 'reference'), join(out, 'submission'), { recursive: true });
    const solved = await execa('npm', ['test'], {
      cwd: out,
      reject: false,
      env: { OPTNN_PROGRESS: '0', NO_COLOR: '1' },
    });
    expect(solved.stdout, solved.stderr).toMatch(/Tests\s+33 passed \(33\)/);
    expect(solved.stdout).toMatch(/score: 100\/100 points \(public tests\)/);
    expect(solved.exitCode).toBe(0);
    const tune = await execa(
      'npm',
      ['run', 'tune', '--', '--optimizer', 'Adam', '--lr', '0.002', '--batch-size', '64'],
      { cwd: out, reject: false },
    );
    expect(tune.exitCode, tune.stderr).toBe(0);
    expect(existsSync(join(out, 'out', 'tune.svg'))).toBe(true);
  }, 240_000);

  it("grades only the part a student selects, and runs the student's own tests beside it", async () => {
    writeFileSync(
      join(out, 'submission', 'my-adam.test.ts'),
      [
        "import { expect, it } from 'vitest';",
        "import { Adam } from './optimizers/adam.js';",
        "it('my own Adam check', () => expect(new Adam().lr).toBe(0.01));",
        '',
      ].join('\n'),
    );
    const one = await execa('npm', ['test', '--', '-t', 'Adam'], {
      cwd: out,
      reject: false,
      env: { OPTNN_PROGRESS: '0', NO_COLOR: '1' },
    });
    expect(one.exitCode, one.stdout + one.stderr).toBe(0);
    expect(one.stdout).toMatch(/Tests\s+5 passed \| 29 skipped \(34\)/);
    expect(one.stdout).toContain('my-adam.test.ts');
    expect(one.stdout.trimEnd().split('\n').at(-1)).toBe(
      'partial run: 4 of 33 public tests graded; the score and the report are written by a full run (npm test)',
    );
    // Plain `npx vitest` finds the grading suite's configuration at the root (watch mode, -t, list).
    const listed = await execa('npx', ['vitest', 'list', '-t', 'Adam'], { cwd: out, reject: false });
    expect(listed.exitCode, listed.stderr).toBe(0);
    expect(listed.stdout.split('\n').filter((l) => l.includes('[optimizer.Adam.')).length).toBe(4);
    // vitest's file filter: Adam's part and the student's own Adam test, nothing else.
    const files = await execa('npx', ['vitest', 'run', 'adam'], {
      cwd: out,
      reject: false,
      env: { OPTNN_PROGRESS: '0', NO_COLOR: '1' },
    });
    expect(files.exitCode, files.stdout + files.stderr).toBe(0);
    expect(files.stdout).toMatch(/Tests\s+5 passed \(5\)/);
  }, 240_000);
});
