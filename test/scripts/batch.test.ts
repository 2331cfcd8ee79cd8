import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateOrThrow } from '../../contract/validate.js';
import { XMLParser } from 'fast-xml-parser';
import { Cohort } from '../../results/cohort.js';
import { GradescopeResults } from '../../results/reporters/gradescope-schema.js';
import { SubmissionResult } from '../../results/model.js';
import { regradeDiff } from '../../scripts/lib/merge.js';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'batch-test-'));
const cls = join(work, 'class');
const grade = (args: string[], options: { detached?: boolean } = {}) => execa(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'grade.ts'), ...args], {
  cwd: root, reject: false, env: { OPTNN_PROGRESS: '0' }, all: true, ...options,
});

/** Results without what legitimately differs between runs: timings. */
function comparable(dir: string): Record<string, unknown> {
  return Object.fromEntries(readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => {
    const result = JSON.parse(readFileSync(join(dir, e.name, 'results.json'), 'utf8')) as SubmissionResult;
    return [e.name, { ...result, timings: null, tests: result.tests.map((t) => ({ ...t, durationMs: null })) }];
  }));
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
    const scores = Object.fromEntries(['s001', 's002', 's003', 's004'].map((id) => {
      const result = validateOrThrow(SubmissionResult, JSON.parse(readFileSync(join(work, 'clean', id, 'results.json'), 'utf8')), id);
      return [id, result.score];
    }));
    expect(scores).toEqual({ s001: 100, s002: 100, s003: 0, s004: 0 });
    const broken = JSON.parse(readFileSync(join(work, 'clean', 's004', 'results.json'), 'utf8')) as SubmissionResult;
    expect(broken.tests.find((t) => t.id === 'optimizer.Adam.steps')!.message).toMatch(/does not compile:\n {2}optimizers\/gd\.ts:2: /);
    const cohort = validateOrThrow(Cohort, JSON.parse(readFileSync(join(work, 'clean', 'cohort.json'), 'utf8')), 'cohort');
    expect(cohort.submissions).toBe(4);
    // Every other output of a submission, validated by its schema or a parser.
    for (const id of ['s001', 's004']) {
      const dir = join(work, 'clean', id);
      const gradescope = validateOrThrow(GradescopeResults, JSON.parse(readFileSync(join(dir, 'gradescope.json'), 'utf8')), 'gradescope.json');
      expect(gradescope.tests).toHaveLength(33);
      const junit = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(join(dir, 'junit.xml'), 'utf8'));
      expect(Number(junit.testsuites?.testsuite?.['@_tests'] ?? junit.testsuite?.['@_tests'])).toBe(33);
      expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toMatch(/\| /);
      expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/i);
    }
    expect(readFileSync(join(work, 'clean', 'gradebook.csv'), 'utf8').split(/\r?\n/).filter(Boolean)).toHaveLength(5);
    expect(readFileSync(join(work, 'clean', 'class-report.html'), 'utf8')).toContain('s004/report.html');
    clean = comparable(join(work, 'clean'));
  }, 240_000);

  it('killed with SIGKILL part-way and rerun, ends with the same results: nothing lost or doubled', async () => {
    const out = join(work, 'killed');
    const first = grade(['batch', cls, '--out', out, '--jobs', '2'], { detached: true });
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && !(existsSync(out) && readdirSync(out).some((d) => existsSync(join(out, d, 'results.json'))))) {
      await new Promise((r) => setTimeout(r, 200));
    }
    process.kill(-first.pid!, 'SIGKILL');
    await first;
    const partial = readdirSync(out).filter((d) => existsSync(join(out, d, 'results.json'))).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(4);
    const rerun = await grade(['batch', cls, '--out', out, '--jobs', '2']);
    expect(rerun.exitCode, rerun.all).toBe(0);
    expect(rerun.stdout).toMatch(new RegExp(`${4 - partial} graded, ${partial} skipped as current`));
    expect(comparable(out)).toEqual(clean);
    const leftovers = readdirSync(out, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? readdirSync(join(out, e.name)) : [e.name]).filter((f) => f.endsWith('.tmp')));
    expect(leftovers).toEqual([]);
  }, 360_000);

  it('splits into shards that merge back into the whole class; overlapping shards are refused', async () => {
    for (const i of [1, 2]) expect((await grade(['batch', cls, '--out', join(work, `shard${i}`), '--jobs', '2', '--shard', `${i}/2`])).exitCode).toBe(0);
    expect(readdirSync(join(work, 'shard1')).filter((d) => /^s\d+$/.test(d)).sort()).toEqual(['s001', 's003']);
    const merged = await grade(['merge', join(work, 'shard1'), join(work, 'shard2'), '--out', join(work, 'merged')]);
    expect(merged.exitCode, merged.all).toBe(0);
    expect(merged.stdout).toMatch(/merge: 4 submissions, mean 50/);
    const overlap = await grade(['merge', join(work, 'shard1'), join(work, 'clean'), '--out', join(work, 'bad')]);
    expect(overlap.exitCode).toBe(2);
    expect(overlap.stderr).toMatch(/appears in both .*shard1 and .*clean: the shards overlap/);
  }, 360_000);

  it('regrade-diff names who moved, by how much, on which tests', async () => {
    const results = ['s001', 's003'].map((id) => JSON.parse(readFileSync(join(work, 'clean', id, 'results.json'), 'utf8')) as SubmissionResult);
    const moved = structuredClone(results);
    moved[0]!.tests[0]!.points = 0;
    moved[0]!.score -= 4;
    expect(regradeDiff(results, moved)).toEqual([{ id: 's001', old: 100, new: 96, delta: -4, tests: [{ id: 'optimizer.GD.steps', old: 4, new: 0 }] }]);
    const same = await grade(['regrade-diff', join(work, 'clean'), join(work, 'killed')]);
    expect(same.stdout.trim()).toBe('regrade-diff: no grade moved');
  });

  it('rejects bad usage with exit code 2 and a message naming the problem', async () => {
    const noOut = await grade(['batch', cls]);
    expect(noOut.exitCode).toBe(2);
    expect(noOut.stderr).toContain('batch needs --out DIR');
    const badShard = await grade(['batch', cls, '--out', join(work, 'x'), '--shard', '3/2']);
    expect(badShard.exitCode).toBe(2);
    expect(badShard.stderr).toContain('Expected --shard to be i/n with 1 ≤ i ≤ n, got `"3/2"` (string)');
  });
});
