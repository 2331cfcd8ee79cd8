import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateOrThrow } from '../../../contract/validate.js';
import { XMLParser } from 'fast-xml-parser';
import { Cohort } from '../../../results/cohort.js';
import { GradescopeResults } from '../../../results/reporters/gradescope-schema.js';
import { SubmissionResult } from '../../../results/model.js';
import { processTree } from '../../../runner/process-tree.js';
import { regradeDiff } from '../../../services/batch/merge.js';

const root = join(import.meta.dirname, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'batch-test-'));
const cls = join(work, 'class');
const grade = (args: string[], options: { detached?: boolean } = {}) =>
  execa(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'grade.ts'), ...args], {
    cwd: root,
    reject: false,
    env: { OPTNN_PROGRESS: '0' },
    all: true,
    ...options,
  });

/**
 * Results without what legitimately differs between runs: timings, and the training checks' figures,
 * since the grader draws their seed among the calibration seeds for every grading (their status and
 * points stay compared).
 */
function comparable(dir: string): Record<string, unknown> {
  return Object.fromEntries(
    readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => {
        const result = JSON.parse(
          readFileSync(join(dir, e.name, 'results.json'), 'utf8'),
        ) as SubmissionResult;
        return [
          e.name,
          {
            ...result,
            timings: null,
            seeds: { ...result.seeds, training: null },
            tests: result.tests.map((t) =>
              t.id.endsWith('.training')
                ? { ...t, durationMs: null, message: null, diagnostics: null }
                : { ...t, durationMs: null },
            ),
          },
        ];
      }),
  );
}

beforeAll(() => {
  cpSync(join(root, 'reference'), join(cls, 's001'), { recursive: true });
  cpSync(join(root, 'reference'), join(cls, 's002'), { recursive: true });
  cpSync(join(root, 'student-template'), join(cls, 's003'), { recursive: true });
  cpSync(join(root, 'reference'), join(cls, 's004'), { recursive: true });
  writeFileSync(join(cls, 's004', 'optimizers', 'gd.ts'), 'export class GD {\n  this is not TypeScript\n}\n');
});

describe('npm run grade -- batch', () => {
  let clean: Record<string, unknown>;

  it('grades a mixed class with 2 workers: every result valid, right scores, a cohort summary', async () => {
    const run = await grade(['batch', cls, '--out', join(work, 'clean'), '--jobs', '2']);
    expect(run.exitCode, run.all).toBe(0);
    const scores = Object.fromEntries(
      ['s001', 's002', 's003', 's004'].map((id) => {
        const result = validateOrThrow(
          SubmissionResult,
          JSON.parse(readFileSync(join(work, 'clean', id, 'results.json'), 'utf8')),
          id,
        );
        return [id, result.score];
      }),
    );
    expect(scores).toEqual({ s001: 100, s002: 100, s003: 0, s004: 0 });
    const broken = JSON.parse(
      readFileSync(join(work, 'clean', 's004', 'results.json'), 'utf8'),
    ) as SubmissionResult;
    expect(broken.tests.find((t) => t.id === 'optimizer.Adam.steps')!.message).toMatch(
      /does not compile:\n {2}optimizers\/gd\.ts:2: /,
    );
    const cohort = validateOrThrow(
      Cohort,
      JSON.parse(readFileSync(join(work, 'clean', 'cohort.json'), 'utf8')),
      'cohort',
    );
    expect(cohort.submissions).toBe(4);
    // Every other output of a submission, validated by its schema or a parser.
    for (const id of ['s001', 's004']) {
      const dir = join(work, 'clean', id);
      const gradescope = validateOrThrow(
        GradescopeResults,
        JSON.parse(readFileSync(join(dir, 'gradescope.json'), 'utf8')),
        'gradescope.json',
      );
      expect(gradescope.tests).toHaveLength(33);
      const junit = new XMLParser({ ignoreAttributes: false }).parse(
        readFileSync(join(dir, 'junit.xml'), 'utf8'),
      );
      expect(Number(junit.testsuites?.testsuite?.['@_tests'] ?? junit.testsuite?.['@_tests'])).toBe(33);
      expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toMatch(/\| /);
      expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/i);
    }
    expect(
      readFileSync(join(work, 'clean', 'gradebook.csv'), 'utf8')
        .split(/\r?\n/)
        .filter(Boolean),
    ).toHaveLength(5);
    expect(readFileSync(join(work, 'clean', 'class-report.html'), 'utf8')).toContain('s004/report.html');
    clean = comparable(join(work, 'clean'));
  }, 240_000);

  it('killed with SIGKILL part-way and rerun, ends with the same results: nothing lost or doubled', async () => {
    const out = join(work, 'killed');
    const first = grade(['batch', cls, '--out', out, '--jobs', '2'], { detached: true });
    const deadline = Date.now() + 120_000;
    while (
      Date.now() < deadline &&
      !(existsSync(out) && readdirSync(out).some((d) => existsSync(join(out, d, 'results.json'))))
    ) {
      await new Promise((r) => setTimeout(r, 200));
    }
    process.kill(-first.pid!, 'SIGKILL');
    await first;
    // Its workers (process groups of their own) notice that their batch is gone and stop unwritten.
    await new Promise((r) => setTimeout(r, 1500));
    const partial = readdirSync(out).filter((d) => existsSync(join(out, d, 'results.json'))).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(4);
    const rerun = await grade(['batch', cls, '--out', out, '--jobs', '2']);
    expect(rerun.exitCode, rerun.all).toBe(0);
    expect(rerun.stdout).toMatch(new RegExp(`${4 - partial} graded, ${partial} skipped as current`));
    expect(comparable(out)).toEqual(clean);
    const leftovers = readdirSync(out, { withFileTypes: true }).flatMap((e) =>
      (e.isDirectory() ? readdirSync(join(out, e.name)) : [e.name]).filter((f) => f.endsWith('.tmp')),
    );
    expect(leftovers).toEqual([]);
  }, 360_000);

  it('splits into shards that merge back into the whole class; overlapping shards are refused', async () => {
    for (const i of [1, 2])
      expect(
        (await grade(['batch', cls, '--out', join(work, `shard${i}`), '--jobs', '2', '--shard', `${i}/2`]))
          .exitCode,
      ).toBe(0);
    expect(
      readdirSync(join(work, 'shard1'))
        .filter((d) => /^s\d+$/.test(d))
        .sort(),
    ).toEqual(['s001', 's003']);
    const merged = await grade([
      'merge',
      join(work, 'shard1'),
      join(work, 'shard2'),
      '--out',
      join(work, 'merged'),
    ]);
    expect(merged.exitCode, merged.all).toBe(0);
    expect(merged.stdout).toMatch(/merge: 4 submissions, mean 50/);
    const overlap = await grade([
      'merge',
      join(work, 'shard1'),
      join(work, 'clean'),
      '--out',
      join(work, 'bad'),
    ]);
    expect(overlap.exitCode).toBe(2);
    expect(overlap.stderr).toMatch(/appears in both .*shard1 and .*clean: the shards overlap/);
  }, 360_000);

  it('regrade-diff names who moved, by how much, on which tests', async () => {
    const results = ['s001', 's003'].map(
      (id) => JSON.parse(readFileSync(join(work, 'clean', id, 'results.json'), 'utf8')) as SubmissionResult,
    );
    const moved = structuredClone(results);
    moved[0]!.tests[0]!.points = 0;
    moved[0]!.score -= 4;
    expect(regradeDiff(results, moved)).toEqual([
      { id: 's001', old: 100, new: 96, delta: -4, tests: [{ id: 'optimizer.GD.steps', old: 4, new: 0 }] },
    ]);
    const same = await grade(['regrade-diff', join(work, 'clean'), join(work, 'killed')]);
    expect(same.stdout.trim()).toBe('regrade-diff: no grade moved');
  });

  it('never keeps a result with grader errors: merge lists it and exits 1, regrade-diff reads merged output, a rerun regrades it', async () => {
    const errored = join(work, 'errored');
    cpSync(join(work, 'clean'), errored, { recursive: true });
    const path = join(errored, 's001', 'results.json');
    const result = JSON.parse(readFileSync(path, 'utf8')) as SubmissionResult;
    Object.assign(result.tests[0]!, {
      status: 'error',
      points: 0,
      message: 'grader error: injected by the test',
    });
    result.score -= result.tests[0]!.maxPoints;
    result.graderErrors = 1;
    writeFileSync(path, JSON.stringify(result));
    const merged = await grade(['merge', errored, '--out', join(work, 'merged-errored')]);
    expect(merged.exitCode, merged.all).toBe(1);
    expect(merged.stdout).toContain('1 submission(s) still have grader errors');
    expect(merged.stdout).toContain('s001: 1 grader error(s): optimizer.GD.steps');
    // The merged output keeps every submission's results, so regrade-diff works on it.
    expect(
      readdirSync(join(work, 'merged-errored'))
        .filter((d) => /^s\d+$/.test(d))
        .sort(),
    ).toEqual(['s001', 's002', 's003', 's004']);
    const moved = await grade(['regrade-diff', join(work, 'clean'), join(work, 'merged-errored')]);
    expect(moved.stdout).toContain('s001: 100 → 96 (-4)');
    expect(moved.stdout).toContain('regrade-diff: 1 submission(s) moved');
    // A gradebook alone is refused with a clear message.
    const bare = join(work, 'gradebook-only');
    mkdirSync(bare);
    cpSync(join(work, 'clean', 'gradebook.csv'), join(bare, 'gradebook.csv'));
    const refused = await grade(['regrade-diff', join(work, 'clean'), bare]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('holds no submission results (<id>/results.json)');
    // The rerun regrades the submission with a grader error, and only it.
    const rerun = await grade(['batch', cls, '--out', errored, '--jobs', '2']);
    expect(rerun.exitCode, rerun.all).toBe(0);
    expect(rerun.stdout).toMatch(/1 graded, 3 skipped as current, 0 with grader errors/);
    expect(comparable(errored)).toEqual(clean);
  }, 240_000);

  it('rejects bad usage with exit code 2 and a message naming the problem', async () => {
    const noOut = await grade(['batch', cls]);
    expect(noOut.exitCode).toBe(2);
    expect(noOut.stderr).toContain('batch needs --out DIR');
    const badShard = await grade(['batch', cls, '--out', join(work, 'x'), '--shard', '3/2']);
    expect(badShard.exitCode).toBe(2);
    expect(badShard.stderr).toContain('Expected --shard to be i/n with 1 ≤ i ≤ n, got `"3/2"` (string)');
  });
});

/** Whether a process still runs (a zombie does not). */
const running = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe('a batch interrupted', () => {
  const small = join(work, 'small');
  beforeAll(() => {
    cpSync(join(root, 'reference'), join(small, 'r001'), { recursive: true });
    cpSync(join(root, 'reference'), join(small, 'r002'), { recursive: true });
    cpSync(join(root, 'student-template'), join(small, 'r003'), { recursive: true });
  });

  it('by SIGINT to the npm process stops within seconds, kills its children, says what finished, exits 130; a rerun resumes', async () => {
    const out = join(work, 'interrupted');
    // A build left by a grading process that no longer exists.
    const stale = join(root, '.work', 'builds', '4194300-left-by-a-dead-run');
    mkdirSync(stale, { recursive: true });
    const npm = execa('npm', ['run', 'grade', '--', 'batch', small, '--out', out, '--jobs', '2'], {
      cwd: root,
      reject: false,
      all: true,
      env: { OPTNN_PROGRESS: '1' },
    });
    // Wait until both workers grade (a sandboxed child each), then interrupt npm only.
    const deadline = Date.now() + 120_000;
    let tree: number[] = [];
    while (Date.now() < deadline) {
      tree = processTree(npm.pid!);
      const children = tree.filter((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('child.mjs');
        } catch {
          return false;
        }
      });
      if (children.length >= 2) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(existsSync(stale)).toBe(false);
    const sent = Date.now();
    process.kill(npm.pid!, 'SIGINT');
    const run = await npm;
    expect(Date.now() - sent).toBeLessThan(10_000);
    expect(run.exitCode, run.all).toBe(130);
    expect(run.stdout).toMatch(/batch: interrupted by SIGINT after [\d.]+ s: (\d) of 3 submissions finished/);
    expect(run.stdout).toContain(
      `to resume, run the same command again: npm run grade -- batch ${small} --out ${out} --jobs 2`,
    );
    // The bar was there from the start, before any submission was done.
    expect(run.stderr).toMatch(/^batch ░+ 0\/3 submissions \(0 graded, 0 current, 0 grading\)/m);
    await new Promise((r) => setTimeout(r, 500));
    expect(tree.filter(running)).toEqual([]);
    const builds = readdirSync(join(root, '.work', 'builds'));
    expect(builds.filter((b) => tree.includes(Number(b.split('-')[0])))).toEqual([]);
    const finished = Number(/(\d) of 3 submissions finished/.exec(run.stdout)![1]);
    // The rerun grades what did not finish and keeps what did.
    const rerun = await grade(['batch', small, '--out', out, '--jobs', '2']);
    expect(rerun.exitCode, rerun.all).toBe(0);
    expect(rerun.stdout).toContain(
      `${3 - finished} graded, ${finished} skipped as current, 0 with grader errors`,
    );
    const scores = ['r001', 'r002', 'r003'].map(
      (id) => (JSON.parse(readFileSync(join(out, id, 'results.json'), 'utf8')) as SubmissionResult).score,
    );
    expect(scores).toEqual([100, 100, 0]);
  }, 300_000);

  it('by SIGTERM to the grading process stops at once, exits 130, and the bar counts a real rate', async () => {
    const out = join(work, 'terminated');
    const run = execa(
      process.execPath,
      ['--import', 'tsx', join(root, 'scripts', 'grade.ts'), 'batch', small, '--out', out, '--jobs', '1'],
      {
        cwd: root,
        reject: false,
        all: true,
        env: { OPTNN_PROGRESS: '1' },
      },
    );
    let stderr = '';
    run.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const deadline = Date.now() + 120_000;
    while (
      Date.now() < deadline &&
      !/\[\d\d:\d\d<\d\d:\d\d, [1-9][\d.]* tests\/s\]|\[\d\d:\d\d<\d\d:\d\d, 0\.[1-9]\d* tests\/s\]/.test(
        stderr,
      )
    ) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const tree = processTree(run.pid!);
    const sent = Date.now();
    process.kill(run.pid!, 'SIGTERM');
    const done = await run;
    expect(Date.now() - sent).toBeLessThan(10_000);
    expect(done.exitCode, done.all).toBe(130);
    expect(done.stdout).toMatch(/batch: interrupted by SIGTERM/);
    // A rate above zero and an ETA, while the first submission was still being graded.
    expect(done.stderr).toMatch(
      /0\/3 submissions \(0 graded, 0 current, 1 grading\) \[\d\d:\d\d<\d\d:\d\d, (?!0\.00)[\d.]+ tests\/s\]/,
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(tree.filter(running)).toEqual([]);
  }, 180_000);
});
