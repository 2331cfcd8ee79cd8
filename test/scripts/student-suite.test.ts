/**
 * The student-facing grading suite (scripts/student-suite/), run as students run it, in a real
 * vitest child process: full runs, vitest's filters (-t, a file name), and verdicts equal to
 * `npm run grade`'s, the cross-part ones included.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { partFile, publicParts } from '../../scripts/student-suite/parts.js';

const root = join(import.meta.dirname, '..', '..');
const suite = (submission: string, args: string[] = [], out?: string) =>
  execa('npx', ['vitest', 'run', '--config', 'scripts/student-suite/vitest.config.ts', ...args], {
    cwd: root,
    reject: false,
    env: {
      OPTNN_SUBMISSION: submission.startsWith('/') ? submission : join(root, submission),
      ...(out ? { OPTNN_OUT: out } : {}),
      OPTNN_PROGRESS: '0',
      FORCE_COLOR: '0',
      NO_COLOR: '1',
    },
  });

const scratch = mkdtempSync(join(tmpdir(), 'student-suite-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the part files', () => {
  it('are one per public part of the manifest, in its order, and nothing else', () => {
    const files = readdirSync(join(root, 'scripts', 'student-suite', 'parts')).sort();
    expect(files).toEqual(
      publicParts()
        .map((p) => partFile(p).slice('parts/'.length))
        .sort(),
    );
    expect(publicParts().slice(0, 7)).toEqual([
      'GD',
      'SGDwM',
      'NAGD',
      'SGDwMLD',
      'AdaGrad',
      'RMSProp',
      'Adam',
    ]);
  });
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

describe('a file filter (npx vitest run adam)', () => {
  it("runs Adam's file only, grades its four tests, and says the run was partial", async () => {
    const result = await suite('reference', ['adam']);
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Test Files\s+1 passed \(1\)/);
    expect(result.stdout).toMatch(/Tests\s+4 passed \(4\)/);
    expect(result.stdout).toContain('partial run: 4 of 33 public tests graded');
  }, 180_000);
});

describe('verdicts equal to npm run grade', () => {
  // One case of each corpus: an optimizer's known mistake, a student's bug in the training loop, a
  // student's correct variant, a hostile submission, and an AdaGrad bug that the tuning test (in
  // another part, reading AdaGrad's verdict) must name as its cause.
  const cases = [
    ['mutants', 'adam-betas-swapped'],
    ['students/bugs', 'loop-state-after-step'],
    ['students/correct', 'loaders-own-class'],
    ['hostile', 'patch-console'],
    ['mutants', 'adagrad-sign-flipped'],
  ] as const;
  for (const [kind, id] of cases) {
    it(`${kind}/${id}: the full suite's results.json has npm run grade's statuses, points and mistakes`, async () => {
      const dir = join(scratch, id);
      cpSync(join(root, 'reference'), dir, { recursive: true });
      cpSync(join(root, 'test', 'corpus', kind, id), dir, { recursive: true });
      rmSync(join(dir, 'expected.json'));
      const fromSuite = join(scratch, 'suite', id);
      const fromGrade = join(scratch, 'grade', id);
      await suite(dir, [], fromSuite);
      const graded = await execa('npm', ['run', 'grade', '--', dir, '--out', fromGrade], {
        cwd: root,
        reject: false,
        env: { OPTNN_PROGRESS: '0' },
      });
      expect(graded.exitCode, graded.stderr).toBe(0);
      type Tests = {
        tests: Array<{
          id: string;
          status: string;
          points: number;
          mistake?: { id: string };
          message: string;
        }>;
      };
      const read = (out: string): Tests =>
        JSON.parse(readFileSync(join(out, id, 'results.json'), 'utf8')) as Tests;
      const shape = (r: Tests) => r.tests.map((t) => [t.id, t.status, t.points, t.mistake?.id ?? null]);
      const a = read(fromSuite);
      const b = read(fromGrade);
      expect(shape(a)).toEqual(shape(b));
      expect(a.tests.some((t) => t.status !== 'passed')).toBe(kind !== 'students/correct');
      if (id === 'adagrad-sign-flipped') {
        const tuning = (r: Tests) => r.tests.find((t) => t.id === 'tuning')!.message;
        expect(tuning(a)).toContain('optimizer.AdaGrad.steps');
        expect(tuning(a)).toBe(tuning(b));
      }
    }, 240_000);
  }
});
