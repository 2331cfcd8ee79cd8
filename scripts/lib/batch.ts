/**
 * Batch grading: a pool of worker processes, each grading one submission at a time with
 * `scripts/grade.ts` (so one submission's trouble cannot touch another's), a progress bar with ETA,
 * results written atomically per submission, skipping those whose results are current (same cache
 * key), and shards for a CI matrix. A worker that dies without results leaves a visible grader-error
 * result for its submission, never a gap and never a crash of the batch.
 */
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { HarnessError } from '../../course/errors.js';
import { createProgress } from '../../course/progress.js';
import { loadManifest } from '../../graders/manifest-schema.js';
import { PROJECT_ROOT } from '../../runner/build.js';
import { SubmissionResult } from '../../results/model.js';
import { problemsWith } from '../../contract/validate.js';
import { cacheKey } from './cache-key.js';
import { SUBMISSION_ID } from './grade-one.js';
import { writeJsonAtomic } from './write-json.js';

export interface BatchOptions {
  submissionsDir: string;
  out: string;
  jobs: number;
  shard?: { index: number; count: number };
  hiddenDir?: string;
  backend: string;
  sandbox: 'auto' | 'bwrap' | 'none';
  /** Extra arguments every worker gets (e.g. --allow-unsandboxed). */
  workerArgs?: string[];
}

export interface BatchSummary {
  total: number;
  graded: number;
  skipped: number;
  graderErrors: number;
  seconds: number;
}

export function parseShard(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new HarnessError('OPTNN_BAD_OPTION', `Expected --shard to be i/n with 1 ≤ i ≤ n, got \`${JSON.stringify(value)}\` (string)`);
  }
  return { index, count };
}

/** The submission directories of a class, sorted by id; ids must be safe file names. */
export function listSubmissions(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new HarnessError('OPTNN_BAD_OPTION', `The submissions directory ${dir} does not exist`);
  const entries = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  const bad = entries.filter((name) => !SUBMISSION_ID.test(name));
  if (bad.length > 0) throw new HarnessError('OPTNN_BAD_OPTION', `Submission directory names must be ids of letters, digits, '.', '_' and '-': ${bad.slice(0, 5).map((b) => JSON.stringify(b)).join(', ')}`);
  return entries.map((name) => join(dir, name));
}

function currentKey(path: string): string | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return problemsWith(SubmissionResult, value).length === 0 ? (value as SubmissionResult).cacheKey : undefined;
  } catch {
    return undefined;
  }
}

/** Leftovers of a killed run: temporary files of atomic writes and unused builds. */
function sweep(out: string): void {
  if (!existsSync(out)) return;
  for (const entry of readdirSync(out, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const file of readdirSync(join(out, entry.name))) {
      if (/^\..*\.tmp$/.test(file)) rmSync(join(out, entry.name, file), { force: true });
    }
  }
}

function graderErrorResult(dir: string, id: string, key: string, message: string): SubmissionResult {
  const manifest = loadManifest();
  const tests = manifest.tests.filter((t) => t.requires === undefined).map((t) => ({
    id: t.id, name: t.name, points: 0, maxPoints: t.points, status: 'error' as const, visibility: t.visibility, message, durationMs: 0,
  }));
  return {
    schemaVersion: 1, submission: { id, path: dir }, score: 0, maxScore: tests.reduce((s, t) => s + t.maxPoints, 0), graderErrors: tests.length,
    backend: { name: 'unknown', package: 'unknown', version: 'unknown' }, versions: {}, seeds: { training: 0, fixtures: [] },
    hiddenFixtures: false, timings: { totalMs: 0 }, cacheKey: `error:${key}`, tests,
  };
}

export async function runBatch(options: BatchOptions): Promise<BatchSummary> {
  const started = performance.now();
  const all = listSubmissions(options.submissionsDir);
  const mine = options.shard ? all.filter((_, i) => i % options.shard!.count === options.shard!.index - 1) : all;
  sweep(options.out);
  const todo: Array<{ dir: string; id: string; key: string }> = [];
  let skipped = 0;
  for (const dir of mine) {
    const id = dir.split('/').at(-1)!;
    const key = cacheKey(PROJECT_ROOT, dir, { ...(options.hiddenDir ? { hiddenDir: options.hiddenDir } : {}), backend: options.backend });
    if (currentKey(join(options.out, id, 'results.json')) === key) skipped += 1;
    else todo.push({ dir, id, key });
  }
  const bar = createProgress({ total: todo.length, label: `batch (${skipped} current, skipped)` });
  let done = 0;
  let graderErrors = 0;
  const queue = [...todo];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const { dir, id, key } = next;
      const run = await execa(process.execPath, [
        '--import', 'tsx', join(PROJECT_ROOT, 'scripts', 'grade.ts'), dir, '--out', options.out, '--cache-key', key,
        '--backend', options.backend, '--sandbox', options.sandbox, ...(options.hiddenDir ? ['--hidden', options.hiddenDir] : []),
        ...(options.workerArgs ?? []),
      ], { cwd: PROJECT_ROOT, reject: false, env: { OPTNN_PROGRESS: '0' }, all: true, stdin: 'ignore' });
      const path = join(options.out, id, 'results.json');
      if (currentKey(path) !== key) {
        const tail = (run.all ?? '').trim().split('\n').slice(-5).join('\n');
        writeJsonAtomic(path, graderErrorResult(dir, id, key, `grader error: the grading worker for ${id} ended (exit code ${run.exitCode ?? run.signal}) without results: ${tail}`));
      }
      try {
        graderErrors += (JSON.parse(readFileSync(path, 'utf8')) as SubmissionResult).graderErrors > 0 ? 1 : 0;
      } catch { graderErrors += 1; }
      done += 1;
      bar.update(done, id);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.jobs, todo.length)) }, worker));
  bar.finish();
  return { total: mine.length, graded: todo.length, skipped, graderErrors, seconds: (performance.now() - started) / 1000 };
}

export function resolveDir(path: string): string {
  return resolve(path);
}
