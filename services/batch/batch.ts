/**
 * Batch grading: a pool of worker processes, each grading one submission at a time with
 * `scripts/grade.ts` from its bundle (GRADE_COMMAND; so one submission's trouble cannot touch
 * another's), a progress bar counted in
 * tests, results written atomically per submission, skipping those whose results are current (same
 * cache key and no grader error), and shards for a CI matrix. A worker that dies without results
 * leaves a visible grader-error result for its submission, never a gap and never a crash of the batch.
 * An interrupted batch (its `signal` aborted) kills every worker's process tree, records nothing for
 * the submissions it was grading, and says which finished; a rerun grades the rest.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { HarnessError } from '../../course/errors.js';
import { loadManifest } from '../../graders/manifest-schema.js';
import { PROJECT_ROOT } from '../../runner/build.js';
import { lanesFor } from '../../runner/executor.js';
import { killTree } from '../../runner/process-tree.js';
import { SubmissionResult } from '../../results/model.js';
import { problemsWith } from '../../contract/validate.js';
import { createBatchProgress } from './batch-progress.js';
import { cacheKey } from './cache-key.js';
import { SUBMISSION_ID } from '../grading/grade-and-write.js';
import { GRADE_COMMAND } from '../grading/grade-command.js';
import { writeJsonAtomic } from '../write-json.js';

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
  /** Children per worker (default: the cores divided among the workers, at least 1). */
  lanes?: number;
  /** `--memory-mib` of every worker (default: the grading command's). */
  memoryMiB?: number;
  /** Aborting it stops the batch: workers killed, nothing recorded for unfinished submissions. */
  signal?: AbortSignal;
}

export interface BatchSummary {
  total: number;
  graded: number;
  skipped: number;
  graderErrors: number;
  seconds: number;
  /** Ids whose results are current at the end (graded now or skipped). */
  finished: string[];
  /** Ids left ungraded by an interruption. */
  unfinished: string[];
  interrupted: boolean;
}

export function parseShard(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) {
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected --shard to be i/n with 1 ≤ i ≤ n, got \`${JSON.stringify(value)}\` (string)`,
    );
  }
  return { index, count };
}

/** The submission directories of a class, sorted by id; ids must be safe file names. */
export function listSubmissions(dir: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected SUBMISSIONS_DIR to be a directory of submissions, got ${dir}, which does not exist or is not a directory`,
    );
  const entries = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  const bad = entries.filter((name) => !SUBMISSION_ID.test(name));
  if (bad.length > 0)
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected the names of the submission directories to be ids of letters, digits, '.', '_' and '-', got ${bad
        .slice(0, 5)
        .map((b) => JSON.stringify(b))
        .join(', ')}`,
    );
  return entries.map((name) => join(dir, name));
}

/** The key of a results file when it is current: valid, and without grader errors (those are always regraded). */
export function currentKey(path: string): string | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (problemsWith(SubmissionResult, value).length > 0) return undefined;
    const result = value as SubmissionResult;
    return result.graderErrors === 0 && result.tests.every((t) => t.status !== 'error')
      ? result.cacheKey
      : undefined;
  } catch {
    return undefined;
  }
}

/** Leftovers of a killed run in the output: temporary files of atomic writes. */
function sweepTemporaries(out: string): void {
  if (!existsSync(out)) return;
  for (const entry of readdirSync(out, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    for (const file of readdirSync(join(out, entry.name))) {
      if (/^\..*\.tmp$/.test(file)) rmSync(join(out, entry.name, file), { force: true });
    }
  }
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
};

/** Builds are named `<pid of the grading process>-<uuid>`; older, unnamed ones count as dead after a day. */
const LEGACY_BUILD_AGE_MS = 24 * 3600_000;

/**
 * Removes the build directories (`.work/builds/*`) of grading processes that are gone: a killed run
 * leaves its builds behind. Builds of live processes (another grading now) are kept. Returns the count.
 */
export function sweepBuilds(root: string = PROJECT_ROOT): number {
  const dir = join(root, '.work', 'builds');
  if (!existsSync(dir)) return 0;
  let swept = 0;
  for (const name of readdirSync(dir)) {
    const pid = /^(\d+)-/.exec(name)?.[1];
    const stale =
      pid !== undefined
        ? !alive(Number(pid))
        : Date.now() - (statSync(join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) >
          LEGACY_BUILD_AGE_MS;
    if (stale) {
      rmSync(join(dir, name), { recursive: true, force: true });
      swept += 1;
    }
  }
  return swept;
}

function graderErrorResult(dir: string, id: string, key: string, message: string): SubmissionResult {
  const manifest = loadManifest();
  const tests = manifest.tests
    .filter((t) => t.requires === undefined)
    .map((t) => ({
      id: t.id,
      name: t.name,
      points: 0,
      maxPoints: t.points,
      status: 'error' as const,
      visibility: t.visibility,
      message,
      durationMs: 0,
    }));
  return {
    schemaVersion: 1,
    submission: { id, path: dir },
    score: 0,
    maxScore: tests.reduce((s, t) => s + t.maxPoints, 0),
    graderErrors: tests.length,
    backend: { name: 'unknown', package: 'unknown', version: 'unknown' },
    versions: {},
    seeds: { training: 0, fixtures: [] },
    hiddenFixtures: false,
    timings: { totalMs: 0 },
    cacheKey: `error:${key}`,
    tests,
  };
}

/** What a worker prints on stderr after each test (grade.ts with OPTNN_PROGRESS_LINES=1). */
const PROGRESS_LINE = /^optnn-progress (\d+) (\d+)$/;

/** A batch in progress: its options, its bar, the workers' processes and what has been decided. */
interface BatchState {
  options: BatchOptions;
  bar: ReturnType<typeof createBatchProgress>;
  /** Children per worker. */
  lanes: number;
  queue: string[];
  running: Map<number, string>;
  finished: string[];
  unfinished: string[];
  skipped: number;
  graded: number;
  graderErrors: number;
  stopAll: () => void;
}

export async function runBatch(options: BatchOptions): Promise<BatchSummary> {
  const started = performance.now();
  const all = listSubmissions(options.submissionsDir);
  const inShard = options.shard
    ? all.filter((_, i) => i % options.shard!.count === options.shard!.index - 1)
    : all;
  mkdirSync(options.out, { recursive: true });
  sweepTemporaries(options.out);
  sweepBuilds();
  const workers = Math.max(1, Math.min(options.jobs, inShard.length));
  const state = newState(options, inShard, workers);
  options.signal?.addEventListener('abort', state.stopAll, { once: true });
  await Promise.all(Array.from({ length: workers }, () => workOnQueue(state)));
  options.signal?.removeEventListener('abort', state.stopAll);
  state.bar.stop();
  if (options.signal?.aborted) sweepBuilds();
  return {
    total: inShard.length,
    graded: state.graded,
    skipped: state.skipped,
    graderErrors: state.graderErrors,
    seconds: (performance.now() - started) / 1000,
    finished: state.finished.sort(),
    unfinished: state.unfinished.sort(),
    interrupted: options.signal?.aborted === true,
  };
}

function newState(options: BatchOptions, submissions: string[], workers: number): BatchState {
  const testsPer = loadManifest().tests.filter(
    (t) => t.requires === undefined || options.hiddenDir !== undefined,
  ).length;
  const running = new Map<number, string>();
  return {
    options,
    bar: createBatchProgress({ submissions: submissions.length, testsPerSubmission: testsPer }),
    // A worker grades its submission in as many children as its share of the cores.
    lanes: options.lanes ?? lanesFor(availableParallelism(), workers),
    queue: [...submissions],
    running,
    finished: [],
    unfinished: [],
    skipped: 0,
    graded: 0,
    graderErrors: 0,
    stopAll: () => {
      for (const pid of running.keys()) killTree(pid);
    },
  };
}

/** One worker: takes submissions off the queue until it is empty; skips current ones. */
async function workOnQueue(state: BatchState): Promise<void> {
  const { options } = state;
  for (let dir = state.queue.shift(); dir !== undefined; dir = state.queue.shift()) {
    const id = dir.split('/').at(-1)!;
    if (options.signal?.aborted) {
      state.unfinished.push(id);
      continue;
    }
    const key = await keyOf(options, dir);
    const path = join(options.out, id, 'results.json');
    if (currentKey(path) === key) {
      state.skipped += 1;
      state.finished.push(id);
      state.bar.skipped(id);
    } else if (options.signal?.aborted) {
      state.unfinished.push(id);
    } else {
      await gradeInWorker(state, dir, id, key);
    }
  }
}

/** The submission's cache key; one whose tree cannot be keyed is graded afresh, never stops the batch. */
function keyOf(options: BatchOptions, dir: string): Promise<string> {
  return cacheKey(PROJECT_ROOT, dir, {
    ...(options.hiddenDir ? { hiddenDir: options.hiddenDir } : {}),
    backend: options.backend,
    sandbox: options.sandbox,
    ...(options.memoryMiB === undefined ? {} : { memoryMiB: options.memoryMiB }),
  }).catch(() => `unkeyed-${randomUUID()}`);
}

/** Grades one submission in a worker process; a worker that leaves no results leaves a grader error. */
async function gradeInWorker(state: BatchState, dir: string, id: string, key: string): Promise<void> {
  // Loaded here, not with the module: a single grading, which imports this file too, never needs it.
  const { execa } = await import('execa');
  const { options, bar } = state;
  const path = join(options.out, id, 'results.json');
  const onLine = function* (line: unknown): Generator<string> {
    const match = PROGRESS_LINE.exec(String(line));
    if (match) bar.tests(id, Number(match[1]));
    yield String(line);
  };
  const run = execa(process.execPath, workerArguments(options, dir, key, state.lanes), {
    cwd: PROJECT_ROOT,
    reject: false,
    all: true,
    stdin: 'ignore',
    env: { OPTNN_PROGRESS: '0', OPTNN_PROGRESS_LINES: '1', OPTNN_BATCH_PARENT: String(process.pid) },
    // Its own process group: a Ctrl-C on the terminal reaches the batch, which stops the workers itself.
    detached: true,
    stderr: ['pipe', onLine],
  });
  if (run.pid !== undefined) state.running.set(run.pid, id);
  if (options.signal?.aborted) state.stopAll();
  const done = await run;
  if (run.pid !== undefined) state.running.delete(run.pid);
  if (options.signal?.aborted && readKey(path) !== key) {
    state.unfinished.push(id);
    return;
  }
  if (readKey(path) !== key) {
    const how = `exit code ${done.exitCode ?? done.signal}`;
    const message = `grader error: the grading worker for ${id} ended (${how}) without results: ${lastLines(done.all)}`;
    writeJsonAtomic(path, graderErrorResult(dir, id, key, message));
  }
  state.graded += 1;
  state.finished.push(id);
  if (currentKey(path) !== key) state.graderErrors += 1;
  bar.finished(id);
}

/** The grading command's arguments for one submission. */
function workerArguments(options: BatchOptions, dir: string, key: string, lanes: number): string[] {
  return [
    ...GRADE_COMMAND,
    dir,
    '--out',
    options.out,
    '--cache-key',
    key,
    '--backend',
    options.backend,
    '--sandbox',
    options.sandbox,
    ...(options.hiddenDir ? ['--hidden', options.hiddenDir] : []),
    '--lanes',
    String(lanes),
    ...(options.memoryMiB === undefined ? [] : ['--memory-mib', String(options.memoryMiB)]),
    ...(options.workerArgs ?? []),
  ];
}

/** The last five lines a worker printed, without its progress lines. */
function lastLines(output: string | undefined): string {
  return (output ?? '')
    .split('\n')
    .filter((l) => l.trim() !== '' && !PROGRESS_LINE.test(l))
    .slice(-5)
    .join('\n');
}

/** The cache key a results file records, whatever its grader errors (undefined when unreadable). */
function readKey(path: string): string | undefined {
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return problemsWith(SubmissionResult, value).length === 0
      ? (value as SubmissionResult).cacheKey
      : undefined;
  } catch {
    return undefined;
  }
}

export function resolveDir(path: string): string {
  return resolve(path);
}
