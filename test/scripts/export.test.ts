import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execFileSync } from 'node:child_process';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { problemsWith } from '../../contract/validate.js';
import { GradescopeResults } from '../../results/reporters/gradescope-schema.js';
import { PrairieLearnResults } from '../../services/packages/export-prairielearn.js';
import { makeHiddenFixtures } from '../helpers/hidden-fixtures.js';
import { writeZip } from '../helpers/zip-file.js';
import { solutionLines } from '../helpers/solution-lines.js';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'export-test-'));
const exportTo = (target: string, out: string, extra: string[] = []) =>
  execa('npx', ['tsx', 'scripts/export.ts', target, '--out', out, ...extra], {
    cwd: root,
    reject: false,
    all: true,
  });

const allFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && !e.parentPath.includes('node_modules'))
    .map((e) => join(e.parentPath, e.name));

function expectNoReference(dir: string): void {
  const paths = allFiles(dir).map((f) => relative(dir, f));
  expect(
    paths.filter(
      (p) => p.startsWith('reference') || p.includes('graders/mistakes/') || p.startsWith('fixtures/hidden'),
    ),
  ).toEqual([]);
  const lines = solutionLines();
  expect(lines.length).toBeGreaterThan(25);
  for (const file of allFiles(dir)) {
    const text = readFileSync(file, 'utf8');
    expect(text.includes('BEGIN SOLUTION'), relative(dir, file)).toBe(false);
    expect(
      lines.filter((line) => text.includes(line)),
      `${relative(dir, file)} holds solution lines`,
    ).toEqual([]);
  }
}

/** A hostile upload: tries to forge the LMS's results, write outside, read the harness; links out. */
function hostileSubmission(dir: string, lmsRoot: string): void {
  cpSync(join(root, 'student-template'), dir, { recursive: true });
  const index = readFileSync(join(dir, 'index.ts'), 'utf8');
  writeFileSync(
    join(dir, 'index.ts'),
    [
      "import { readFileSync, writeFileSync } from 'node:fs';",
      `const lms = ${JSON.stringify(lmsRoot)};`,
      'try { writeFileSync(`${lms}/results/results.json`, JSON.stringify({ score: 1000, gradable: true, tests: [] })); } catch { /* refused */ }',
      "try { writeFileSync(`${lms}/pwned`, 'x'); } catch { /* refused */ }",
      "let stolen = ''; try { stolen = readFileSync('/etc/hostname', 'utf8'); } catch { /* refused */ }",
      'if (stolen) throw new Error(`STOLEN ${stolen}`);',
      index,
    ].join('\n'),
  );
  rmSync(join(dir, 'tuning.json'));
  symlinkSync('/etc/passwd', join(dir, 'tuning.json'));
}

/** Runs an entry point of an unpacked package in a simulated LMS root. */
async function runEntry(command: string, env: Record<string, string>) {
  const run = await execa(command, [], { reject: false, all: true, env: { ...env, OPTNN_PROGRESS: '0' } });
  expect(run.exitCode, run.all).toBe(0);
  return run;
}

describe('npm run export -- gradescope', () => {
  const pkg = join(work, 'gs-package');
  const source = join(work, 'gs-source');
  const hidden = join(work, 'hidden-fixtures');

  beforeAll(async () => {
    await makeHiddenFixtures(hidden, 48213);
    const run = await exportTo('gradescope', pkg, ['--hidden', hidden]);
    expect(run.exitCode, run.all).toBe(0);
    mkdirSync(source);
    await execa('unzip', ['-qq', join(pkg, 'autograder.zip'), '-d', source]);
    // Gradescope's setup.sh would run `npm ci --omit=optional` here; the test lends the project's packages.
    symlinkSync(join(root, 'node_modules'), join(source, 'node_modules'));
  }, 120_000);

  it('writes an autograder.zip with setup.sh and run_autograder at its top, the packed hidden fixtures, and no reference code', () => {
    for (const name of [
      'setup.sh',
      'run_autograder',
      'scripts/autograde.ts',
      'student-template/index.ts',
      'package-lock.json',
    ]) {
      expect(existsSync(join(source, name)), name).toBe(true);
    }
    expect(readFileSync(join(source, 'hidden', 'adam.json'), 'utf8')).toBe(
      readFileSync(join(hidden, 'adam.json'), 'utf8'),
    );
    const setup = readFileSync(join(source, 'setup.sh'), 'utf8');
    expect(setup).toContain('npm ci --omit=optional');
    expect(setup).toMatch(/setup_24\.x/);
    expect(setup).toMatch(/bubblewrap/);
    expectNoReference(source);
  });

  /** A fresh simulated /autograder with `source` linked in and the upload in `submission/`. */
  function simulatedRoot(name: string, upload: (dir: string, lmsRoot: string) => void): string {
    const lms = join(work, name);
    mkdirSync(join(lms, 'submission'), { recursive: true });
    symlinkSync(source, join(lms, 'source'));
    upload(join(lms, 'submission'), lms);
    return lms;
  }
  const results = (lms: string): GradescopeResults => {
    const value: unknown = JSON.parse(readFileSync(join(lms, 'results', 'results.json'), 'utf8'));
    expect(problemsWith(GradescopeResults, value)).toEqual([]);
    const gs = value as GradescopeResults;
    for (const t of gs.tests ?? []) {
      expect(t.visibility).toBeDefined();
      expect(t.output_format).toBe('text');
    }
    return gs;
  };
  const grade = (lms: string) => runEntry(join(source, 'run_autograder'), { OPTNN_AUTOGRADER_ROOT: lms });

  it('grades the reference uploaded as the starter repository (submission/ inside it) with full marks, hidden tests included', async () => {
    const lms = simulatedRoot('gs-reference', (dir) => {
      cpSync(join(root, 'reference'), join(dir, 'submission'), { recursive: true });
      cpSync(join(root, 'course'), join(dir, 'course'), { recursive: true });
      writeFileSync(join(dir, 'README.md'), '# my repository\n');
    });
    await grade(lms);
    const gs = results(lms);
    // The 7 hidden tests are one entry together (results/student-view.ts): their points, nothing per test.
    expect(gs.tests!.filter((t) => t.number?.endsWith('.hidden'))).toEqual([]);
    const withheld = gs.tests!.filter((t) => t.number?.startsWith('withheld.'));
    expect(withheld).toHaveLength(1);
    expect(withheld[0]).toMatchObject({ visibility: 'after_published', score: 21, max_score: 21 });
    expect(withheld[0]?.status).toBeUndefined();
    expect(withheld[0]?.output).toContain('7 withheld tests (21 points)');
    expect(gs.score).toBe(gs.tests!.reduce((s, t) => s + (t.max_score ?? 0), 0));
    expect(gs.score).toBeGreaterThan(100);
    expect(gs.tests!.filter((t) => t.visibility === 'visible').every((t) => t.status === 'passed')).toBe(
      true,
    );
    expect(gs.output).toContain('found in submission/');
  }, 240_000);

  it('grades the template with 0', async () => {
    const lms = simulatedRoot('gs-template', (dir) =>
      cpSync(join(root, 'student-template'), dir, { recursive: true }),
    );
    await grade(lms);
    const gs = results(lms);
    expect(gs.score).toBe(0);
    expect(gs.tests!.map((t) => t.output).join('\n')).toContain('not implemented');
  }, 240_000);

  it('places loose files (no index.ts, flat) by name onto the starter: a correct adam.ts earns the Adam points only', async () => {
    const lms = simulatedRoot('gs-loose', (dir) => {
      cpSync(join(root, 'reference', 'optimizers', 'adam.ts'), join(dir, 'adam.ts'));
      writeFileSync(join(dir, 'notes.txt'), 'my notes\n');
    });
    await grade(lms);
    const gs = results(lms);
    const adam = gs.tests!.filter((t) => t.number?.startsWith('optimizer.Adam.'));
    expect(adam.length).toBeGreaterThan(0);
    expect(
      adam.every((t) => t.status === 'passed'),
      JSON.stringify(adam, null, 1),
    ).toBe(true);
    expect(
      gs
        .tests!.filter((t) => !t.number?.startsWith('optimizer.Adam.') && !t.number?.startsWith('withheld.'))
        .every((t) => t.status === 'failed'),
    ).toBe(true);
    // The hidden tests are one entry: Adam's hidden test (3 points) passes, the other six fail.
    const withheld = gs.tests!.find((t) => t.number === 'withheld.after_published');
    expect(withheld?.score).toBe(3);
    expect(gs.score).toBe(adam.reduce((s, t) => s + (t.score ?? 0), 0) + 3);
    expect(gs.output).toContain('optimizers/adam.ts');
    expect(gs.output).toContain('Ignored: notes.txt');
  }, 240_000);

  it('contains a hostile upload (a zip of submission/ with a link out and code that forges results): 0 points, nothing forged', async () => {
    const lms = simulatedRoot('gs-hostile', (dir, lmsRoot) => {
      const staging = join(work, 'gs-hostile-staging');
      hostileSubmission(join(staging, 'submission'), lmsRoot);
      execFileSync('zip', ['-q', '-r', '-y', join(dir, 'upload.zip'), 'submission'], { cwd: staging });
    });
    await grade(lms);
    const gs = results(lms);
    expect(gs.score).toBe(0);
    expect(JSON.stringify(gs)).not.toContain('1000');
    expect(JSON.stringify(gs)).not.toContain('STOLEN');
    expect(JSON.stringify(gs)).not.toContain('root:x:0');
    expect(existsSync(join(lms, 'pwned'))).toBe(false);
    expect(gs.output).toContain('Unpacked upload.zip');
    expect(gs.output).toMatch(/tuning\.json \(a symbolic link\)/);
  }, 240_000);

  it('refuses a zip bomb while unpacking it: 0 points, a note that says why, nothing left on the host', async () => {
    const lms = simulatedRoot('gs-bomb', (dir) =>
      writeZip(join(dir, 'upload.zip'), [
        { name: 'submission/index.ts', data: Buffer.from('export {};\n') },
        { name: 'submission/weights.bin', data: Buffer.alloc(80 * 1024 * 1024) },
      ]),
    );
    await grade(lms);
    const gs = results(lms);
    expect(gs.score).toBe(0);
    expect(gs.tests).toEqual([]);
    expect(gs.output).toMatch(
      /^upload\.zip was not graded: it unpacks to more than 50 MiB \(the upload limit\)\./,
    );
    // The autograder's work directories (the mapped upload, the grader's outputs) are gone.
    const left = existsSync(join(source, '.work')) ? readdirSync(join(source, '.work')) : [];
    expect(left.filter((n) => n.startsWith('gradescope-'))).toEqual([]);
  }, 240_000);
});

describe('npm run export -- prairielearn', () => {
  const pkg = join(work, 'pl-package');

  beforeAll(async () => {
    const run = await exportTo('prairielearn', pkg);
    expect(run.exitCode, run.all).toBe(0);
    symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'));
  }, 120_000);

  it('writes the external grader (run, Dockerfile, a sample info.json) with no reference code', () => {
    const info = JSON.parse(readFileSync(join(pkg, 'info.json'), 'utf8'));
    expect(info.gradingMethod).toBe('External');
    expect(info.externalGradingOptions).toMatchObject({ enabled: true, entrypoint: '/optnn/run' });
    const docker = readFileSync(join(pkg, 'Dockerfile'), 'utf8');
    expect(docker).toMatch(/^FROM node:24/m);
    expect(docker).toContain('npm ci --omit=optional');
    expect(docker).toContain('bubblewrap');
    expectNoReference(pkg);
  });

  function simulatedGrade(name: string, upload: (dir: string, lmsRoot: string) => void): string {
    const lms = join(work, name);
    mkdirSync(join(lms, 'student'), { recursive: true });
    upload(join(lms, 'student'), lms);
    return lms;
  }
  const results = (lms: string): PrairieLearnResults => {
    const value: unknown = JSON.parse(readFileSync(join(lms, 'results', 'results.json'), 'utf8'));
    expect(problemsWith(PrairieLearnResults, value)).toEqual([]);
    return value as PrairieLearnResults;
  };
  const grade = (lms: string) => runEntry(join(pkg, 'run'), { OPTNN_GRADE_ROOT: lms });

  it('grades the reference (loose files at the top, as PrairieLearn places uploads) with score 1, points adding up', async () => {
    const lms = simulatedGrade('pl-reference', (dir) => {
      for (const file of allFiles(join(root, 'reference'))) cpSync(file, join(dir, file.split('/').at(-1)!));
    });
    await grade(lms);
    const pl = results(lms);
    expect(pl.gradable).toBe(true);
    expect(pl.score).toBe(1);
    expect(pl.tests!.every((t) => t.points === t.max_points)).toBe(true);
    expect(pl.tests!.reduce((s, t) => s + t.max_points, 0)).toBe(100);
  }, 240_000);

  it('grades the template with 0, and an upload with no submission file as not gradable', async () => {
    const lms = simulatedGrade('pl-template', (dir) =>
      cpSync(join(root, 'student-template'), dir, { recursive: true }),
    );
    await grade(lms);
    const pl = results(lms);
    expect(pl.gradable).toBe(true);
    expect(pl.score).toBe(0);
    const empty = simulatedGrade('pl-empty', (dir) => writeFileSync(join(dir, 'readme.txt'), 'hello\n'));
    await grade(empty);
    expect(results(empty)).toMatchObject({ gradable: false, score: 0 });
  }, 240_000);

  it('contains a hostile upload: score 0, no forged results, nothing written outside', async () => {
    const lms = simulatedGrade('pl-hostile', (dir, lmsRoot) => hostileSubmission(dir, lmsRoot));
    await grade(lms);
    const pl = results(lms);
    expect(pl.score).toBe(0);
    expect(JSON.stringify(pl)).not.toContain('1000');
    expect(JSON.stringify(pl)).not.toContain('STOLEN');
    expect(JSON.stringify(pl)).not.toContain('root:x:0');
    expect(existsSync(join(lms, 'pwned'))).toBe(false);
    expect(pl.output).toMatch(/tuning\.json \(a symbolic link\)/);
  }, 240_000);
});
