/**
 * The grading command's subcommands (see scripts/grade.ts, its entry point): one submission, a
 * batch, merging shards, and the difference between two gradings.
 */
import { appendFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describeBackend, selectBackend } from '../../course/backend.js';
import { HarnessError } from '../../course/errors.js';
import { createProgress } from '../../course/progress.js';
import { loadManifest } from '../../graders/manifest-schema.js';
import { lanesFor } from '../../runner/executor.js';
import { childrenIsolated } from '../../runner/sandbox.js';
import { parseFlags } from './args.js';
import { parseShard, runBatch, sweepBuilds } from '../../services/batch/batch.js';
import { annotations, classroomResult, withoutWorkflowCommands } from '../../services/grading/github.js';
import {
  BATCH,
  DIFF,
  MERGE,
  SINGLE,
  USAGE,
  USAGES,
  defaultSubmission,
  existingDir,
  isolationFor,
  str,
} from './grade-flags.js';
import { gradeAndWrite, SUBMISSION_ID } from '../../services/grading/grade-and-write.js';
import { childIsolation } from '../../services/batch/isolation.js';
import { runMain } from './main.js';
import { mergeBatches, readBatch, regradeDiff } from '../../services/batch/merge.js';
import { writeClassOutputs } from '../../services/grading/outputs.js';
import { prestartKey, type Prestarted } from './prestart.js';

/** A path as a user would type it from here: relative when it is below the working directory. */
function relativeOrAbsolute(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

async function single(argv: string[], early: Prestarted | undefined, otherLoad: () => number): Promise<void> {
  const { flags, positional } = parseFlags(argv, SINGLE);
  if (flags['help']) {
    console.log(USAGE);
    return;
  }
  if (positional.length > 1)
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected at most one submission directory, got ${positional.length}: ${positional.join(' ')}`,
    );
  const dir = existingDir(positional[0] ?? defaultSubmission(), 'submission directory');
  if (!SUBMISSION_ID.test(basename(dir)))
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `The submission directory's name ${JSON.stringify(basename(dir))} is not a valid id (letters, digits, '.', '_', '-')`,
    );
  const hiddenDir = str(flags, 'hidden')
    ? existingDir(str(flags, 'hidden')!, 'hidden fixtures directory')
    : undefined;
  const manifest = loadManifest();
  const only = str(flags, 'only')?.split(',');
  const unknown = (only ?? []).filter((id) => !manifest.tests.some((t) => t.id === id));
  if (unknown.length > 0)
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected --only to name tests of graders/manifest.json, got ${unknown.join(', ')}`,
    );
  const minScore =
    str(flags, 'min-score') === undefined ? undefined : parseMinScore(str(flags, 'min-score')!);
  const { isolation, sandboxName, notices } = isolationFor(flags, false);
  // Side by side in as many children as the cores other work leaves free (measured during start-up),
  // where children are isolated from each other (else one could stop another at will).
  const apart = childrenIsolated(isolation.sandbox);
  const asked = typeof flags['lanes'] === 'number' ? flags['lanes'] : undefined;
  const lanes = !apart ? 1 : (asked ?? lanesFor(availableParallelism(), 1, otherLoad()));
  if (asked !== undefined && asked > 1 && !apart)
    console.error(
      `grade: --lanes ${asked} not taken: without bubblewrap or PID namespaces the children are not isolated from each other, and one could stop another; grading in one child at a time`,
    );
  isolation.lanes = lanes;
  // The child scripts/grade.ts started early, when it is for this grading; its other lanes start now.
  const adopted =
    early !== undefined && early.key === prestartKey(dir, flags, isolation) ? early.executor : undefined;
  if (adopted === undefined) early?.executor.close();
  adopted?.widen(lanes);
  const stop = (why: string): never => {
    console.error(
      `\ngrade: stopped by ${why}; nothing was written for ${basename(dir)}; run the same command again to grade it`,
    );
    process.exit(130); // exit handlers kill the submission's process tree
  };
  onInterrupt(stop);
  // A batch worker stops when its batch is gone (killed without a chance to stop it).
  const batchParent = Number(process.env['OPTNN_BATCH_PARENT']);
  const checkBatch = (): void => {
    if (batchParent > 0 && process.ppid !== batchParent) stop('the end of its batch');
  };
  if (batchParent > 0) setInterval(checkBatch, 500).unref();
  sweepBuilds(); // builds left by grading processes that were killed
  tf.env().set('PROD', true);
  const backend = await selectBackend(undefined);
  console.error(
    `grade: ${describeBackend(backend)}; the submission runs on ${isolation.backend} in ${lanes === 1 ? 'a child process' : `${lanes} child processes side by side`} (${sandboxName})`,
  );
  for (const notice of notices) console.error(`grade: ${notice}`);
  const out = resolve(str(flags, 'out') ?? 'out/grades');
  const bar = createProgress({
    total: only?.length ?? manifest.tests.filter((t) => t.requires === undefined || hiddenDir).length,
    label: `grading ${basename(dir)}`,
  });
  const { result, paths } = await gradeAndWrite(dir, {
    out,
    backend,
    isolation,
    isolationRecord: { layers: sandboxName, notices, memoryMiB: isolation.limits!.memoryMiB },
    ...(adopted ? { executor: adopted } : {}),
    ...(hiddenDir ? { hiddenDir } : {}),
    ...(only ? { only } : {}),
    ...(str(flags, 'cache-key') ? { cacheKey: str(flags, 'cache-key')! } : {}),
    beforeWrite: checkBatch,
    onTest: (id, done, total) => {
      bar.update(done, id);
      // A batch worker reports each finished test to the batch's progress bar.
      if (process.env['OPTNN_PROGRESS_LINES'] === '1')
        process.stderr.write(`optnn-progress ${done} ${total}\n`);
    },
  });
  bar.finish();
  const github = process.env['GITHUB_ACTIONS'] === 'true';
  const printTests = (): void => {
    for (const test of result.tests) {
      const mark = test.status === 'passed' ? 'PASS' : test.status === 'failed' ? 'FAIL' : 'ERROR';
      console.log(
        `${mark.padEnd(5)} ${`${test.points}/${test.maxPoints}`.padStart(7)}  ${test.id}${test.status === 'passed' ? '' : `\n        ${test.message.split('\n').join('\n        ')}`}${test.status !== 'passed' && test.printed ? `\n        your code printed:\n          ${test.printed.split('\n').join('\n          ')}` : ''}`,
      );
    }
  };
  // On GitHub Actions the messages (the submission's text) are printed with workflow commands off.
  if (github) withoutWorkflowCommands(printTests);
  else printTests();
  // Annotations on the pull request: one per failed visible test, on its file (and line) where known.
  if (github) for (const line of annotations(result, dir)) console.log(line);
  // The step's `result` output, for GitHub Classroom's grading reporter (release/workflows/classroom.yml).
  if (github && process.env['GITHUB_OUTPUT'])
    appendFileSync(process.env['GITHUB_OUTPUT'], `result=${classroomResult(result)}\n`);
  const report = paths.find((p) => basename(p) === 'report.html');
  const written = paths.map((p) => basename(p)).join(', ');
  console.log(`\nwrote ${written} to ${relativeOrAbsolute(join(out, result.submission.id))}`);
  console.log(
    `${result.submission.id}: ${result.score}/${result.maxScore} points, ${result.graderErrors} grader error(s), ${(result.timings.totalMs / 1000).toFixed(1)} s`,
  );
  if (report !== undefined) console.log(`report: ${relativeOrAbsolute(report)} (open it in a browser)`);
  if (result.graderErrors > 0) process.exitCode = 1;
  else if (minScore !== undefined && result.score < minScore) {
    const text = `${result.submission.id} scored ${result.score}/${result.maxScore} points, below the minimum of ${minScore} (--min-score)`;
    console.log(github ? `::error title=Score below the minimum::${text}` : `grade: ${text}`);
    process.exitCode = 3;
  } else if (minScore !== undefined) {
    console.log(
      `grade: ${result.score}/${result.maxScore} points, at or above the minimum of ${minScore} (--min-score)`,
    );
  }
}

function parseMinScore(raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected --min-score to be a number of points ≥ 0, got \`${JSON.stringify(raw)}\` (string)`,
    );
  }
  return value;
}

/** SIGINT or SIGTERM (npm forwards them to this process): `stop` once; a second one exits at once. */
function onInterrupt(stop: (signal: NodeJS.Signals) => void): void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(130);
    stopping = true;
    stop(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
}

async function batch(argv: string[]): Promise<void> {
  const { flags, positional } = parseFlags(argv, BATCH);
  if (flags['help']) {
    console.log(USAGES.batch);
    return;
  }
  if (positional.length !== 1)
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `batch takes one directory of submissions, got ${positional.length}`,
    );
  const out = str(flags, 'out');
  if (out === undefined) throw new HarnessError('OPTNN_BAD_OPTION', 'batch needs --out DIR');
  const hiddenDir = str(flags, 'hidden')
    ? existingDir(str(flags, 'hidden')!, 'hidden fixtures directory')
    : undefined;
  const { sandboxName, notices } = isolationFor(flags, hiddenDir !== undefined);
  const jobs = typeof flags['jobs'] === 'number' ? flags['jobs'] : availableParallelism();
  const sandbox = (str(flags, 'sandbox') ?? 'auto') as 'auto' | 'bwrap' | 'none';
  const apart = childIsolation(sandbox);
  if (!apart.isolated && jobs > 1 && flags['allow-unsandboxed'] !== true) {
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Batch grading refuses to run: ${apart.risk}. Install bubblewrap (apt-get install bubblewrap), grade with --jobs 1, or pass --allow-unsandboxed to accept the risk`,
    );
  }
  if (!apart.isolated && jobs > 1) console.error(`batch: warning: --allow-unsandboxed: ${apart.risk}`);
  const shard = str(flags, 'shard') ? parseShard(str(flags, 'shard')!) : undefined;
  console.error(
    `batch: ${jobs} worker(s), ${sandboxName}${shard ? `, shard ${shard.index}/${shard.count}` : ''}`,
  );
  for (const notice of notices) console.error(`batch: ${notice}`);
  const controller = new AbortController();
  onInterrupt((signal) => {
    console.error(`\nbatch: ${signal} received: stopping the workers (again to quit at once)`);
    controller.abort(signal);
  });
  const summary = await runBatch({
    submissionsDir: resolve(positional[0]!),
    out: resolve(out),
    jobs,
    ...(shard ? { shard } : {}),
    ...(hiddenDir ? { hiddenDir } : {}),
    backend: str(flags, 'backend') ?? 'auto',
    sandbox,
    ...(typeof flags['lanes'] === 'number' ? { lanes: flags['lanes'] } : {}),
    ...(typeof flags['memory-mib'] === 'number' ? { memoryMiB: flags['memory-mib'] } : {}),
    workerArgs: flags['allow-unsandboxed'] === true ? ['--allow-unsandboxed'] : [],
    signal: controller.signal,
  });
  const results = readBatch(resolve(out));
  writeClassOutputs(results, resolve(out));
  if (summary.interrupted) {
    const resume =
      'npm run grade -- ' +
      process.argv
        .slice(2)
        .map((a) => (/^[\w./=:-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
        .join(' ');
    console.log(
      `batch: interrupted by ${String(controller.signal.reason)} after ${summary.seconds.toFixed(1)} s: ` +
        `${summary.finished.length} of ${summary.total} submissions finished (${summary.graded} graded now, ${summary.skipped} current), ` +
        `${summary.unfinished.length} not graded: ${summary.unfinished.join(', ') || '(none)'}\n` +
        `batch: finished: ${summary.finished.join(', ') || '(none)'}\nbatch: to resume, run the same command again: ${resume}`,
    );
    process.exitCode = 130;
    return;
  }
  console.log(
    `batch: ${summary.total} submissions, ${summary.graded} graded, ${summary.skipped} skipped as current, ${summary.graderErrors} with grader errors, ${summary.seconds.toFixed(1)} s; results in ${resolve(out)}`,
  );
  if (summary.graderErrors > 0) process.exitCode = 1;
}

async function merge(argv: string[]): Promise<void> {
  const { flags, positional } = parseFlags(argv, MERGE);
  if (flags['help']) {
    console.log(USAGES.merge);
    return;
  }
  const out = str(flags, 'out');
  if (out === undefined || positional.length === 0)
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      'merge needs one or more batch output directories and --out DIR',
    );
  const { results, cohort } = mergeBatches(
    positional.map((p) => resolve(p)),
    resolve(out),
  );
  const written = writeClassOutputs(results, resolve(out));
  console.log(
    `merge: ${results.length} submissions, mean ${cohort.meanScore}, median ${cohort.medianScore} of ${cohort.maxScore}; wrote ${written.join(', ')} and each <id>/`,
  );
  const failing = results.filter((r) => r.graderErrors > 0);
  if (failing.length > 0) {
    console.log(
      `merge: ${failing.length} submission(s) still have grader errors (rerun their batch to regrade them, then merge again):`,
    );
    for (const r of failing)
      console.log(
        `  ${r.submission.id}: ${r.graderErrors} grader error(s): ${r.tests
          .filter((t) => t.status === 'error')
          .map((t) => t.id)
          .join(', ')}`,
      );
    process.exitCode = 1;
  }
}

async function diff(argv: string[]): Promise<void> {
  const { flags, positional } = parseFlags(argv, DIFF);
  if (flags['help']) {
    console.log(USAGES['regrade-diff']);
    return;
  }
  if (positional.length !== 2)
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `regrade-diff takes two batch output directories (old, new), got ${positional.length}`,
    );
  const [before, after] = [positional[0]!, positional[1]!].map((p) =>
    readBatch(resolve(p), { required: true }),
  );
  const changes = regradeDiff(before!, after!);
  if (flags['json']) {
    console.log(JSON.stringify(changes, null, 1));
    return;
  }
  if (changes.length === 0) {
    console.log('regrade-diff: no grade moved');
    return;
  }
  for (const c of changes) {
    console.log(`${c.id}: ${c.old ?? '—'} → ${c.new ?? '—'} (${c.delta >= 0 ? '+' : ''}${c.delta})`);
    for (const t of c.tests) console.log(`    ${t.id}: ${t.old ?? '—'} → ${t.new ?? '—'}`);
  }
  console.log(`regrade-diff: ${changes.length} submission(s) moved`);
}

/** What scripts/grade.ts did before loading this module. */
export interface EntryStart {
  /** The child it started for a single grading, if it did. */
  early: Prestarted | undefined;
  /** The cores other work kept busy since it started. */
  otherLoad: () => number;
}

/** Runs the grading command on `argv`. */
export function gradeCommand(argv: string[], { early, otherLoad }: EntryStart): void {
  const [command, ...rest] = argv;
  const commands: Record<string, (argv: string[]) => Promise<void>> = { batch, merge, 'regrade-diff': diff };
  const sub = command !== undefined && command in commands ? command : undefined;
  // A usage error prints only its own subcommand's usage.
  runMain(
    async () => {
      try {
        await (sub !== undefined ? commands[sub]!(rest) : single(argv, early, otherLoad));
      } finally {
        // Not adopted (a usage error, another directory): its child must not keep the process alive.
        early?.executor.close();
      }
    },
    sub !== undefined ? USAGES[sub as keyof typeof USAGES] : USAGE,
  );
}
