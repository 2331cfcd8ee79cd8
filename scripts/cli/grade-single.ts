/**
 * `npm run grade -- [SUBMISSION_DIR] [options]`: one submission, in steps: what to grade (the
 * arguments, checked), how (the isolation and lanes, adopting the child scripts/grade.ts started
 * early), the grading itself, and what it prints and exits with.
 */
import { appendFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describeBackend, selectBackend } from '../../course/backend.js';
import { HarnessError, describeValue } from '../../course/errors.js';
import { createProgress } from '../../course/progress.js';
import { loadManifest, type Manifest } from '../../graders/manifest-schema.js';
import type { IsolatedExecutor, IsolatedOptions } from '../../runner/isolated-executor.js';
import { lanesFor } from '../../runner/executor.js';
import { childrenIsolated } from '../../runner/sandbox.js';
import type { SubmissionResult } from '../../results/model.js';
import { sweepBuilds } from '../../services/batch/batch.js';
import { annotations, classroomResult, withoutWorkflowCommands } from '../../services/grading/github.js';
import { gradeAndWrite, SUBMISSION_ID } from '../../services/grading/grade-and-write.js';
import { SINGLE, USAGE, existingDir, isolationFor } from './grade-flags.js';
import { onInterrupt } from './interrupt.js';
import { prestartKey, type Prestarted } from './prestart.js';

type SingleArgs = NonNullable<ReturnType<typeof SINGLE.parse>>;

/** What a single grading grades, from its checked arguments. */
interface Target {
  dir: string;
  hiddenDir: string | undefined;
  manifest: Manifest;
  only: string[] | undefined;
}

/** How it grades: the child's isolation (its lanes set), in words, and what is not in force here. */
interface How {
  isolation: IsolatedOptions;
  sandboxName: string;
  notices: string[];
}

/** A path as a user would type it from here: relative when it is below the working directory. */
function relativeOrAbsolute(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** The submission, hidden fixtures and tests the arguments name, checked beyond what the declaration says. */
function targetOf({ flags, positionals }: SingleArgs): Target {
  const dir = existingDir(positionals.SUBMISSION_DIR, 'SUBMISSION_DIR');
  if (!SUBMISSION_ID.test(basename(dir)))
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected the submission directory's name to be an id (letters, digits, '.', '_', '-'), got ${describeValue(basename(dir))}`,
    );
  const manifest = loadManifest();
  const only = flags.only?.split(',');
  const unknown = (only ?? []).filter((id) => !manifest.tests.some((t) => t.id === id));
  if (unknown.length > 0)
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Expected --only to name tests of graders/manifest.json, got ${unknown.join(', ')}`,
    );
  return { dir, hiddenDir: flags.hidden === undefined ? undefined : resolve(flags.hidden), manifest, only };
}

/**
 * The isolation, with as many lanes as the cores other work leaves free (measured during start-up)
 * where children are isolated from each other (else one could stop another at will).
 */
function howOf({ flags, raw }: SingleArgs, otherLoad: () => number): How {
  const how = isolationFor(raw, false);
  const isolatedFromEachOther = childrenIsolated(how.isolation.sandbox);
  const asked = flags.lanes;
  if (asked !== undefined && asked > 1 && !isolatedFromEachOther)
    console.error(
      `grade: --lanes ${asked} not taken: without bubblewrap or PID namespaces the children are not isolated from each other, and one could stop another; grading in one child at a time`,
    );
  how.isolation.lanes = !isolatedFromEachOther
    ? 1
    : (asked ?? lanesFor(availableParallelism(), 1, otherLoad()));
  return how;
}

/** The child scripts/grade.ts started early, when it is for this grading (its other lanes start now); else closed. */
function adopt(
  prestarted: Prestarted | undefined,
  dir: string,
  args: SingleArgs,
  how: How,
): IsolatedExecutor | undefined {
  const adopted =
    prestarted !== undefined && prestarted.key === prestartKey(dir, args.raw, how.isolation)
      ? prestarted.executor
      : undefined;
  if (adopted === undefined) prestarted?.executor.close();
  adopted?.widen(how.isolation.lanes!);
  return adopted;
}

/** Stops on SIGINT or SIGTERM, and a batch worker when its batch is gone; returns the check of the batch. */
function watchStops(dir: string): () => void {
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
  return checkBatch;
}

/** Grades the target with a progress bar; a batch worker also reports each finished test on stderr. */
async function gradeTarget(
  target: Target,
  how: How,
  options: { out: string; cacheKey: string | undefined; executor: IsolatedExecutor | undefined },
  checkBatch: () => void,
): Promise<{ result: SubmissionResult; paths: string[] }> {
  const { dir, hiddenDir, manifest, only } = target;
  const { isolation, sandboxName, notices } = how;
  sweepBuilds(); // builds left by grading processes that were killed
  tf.env().set('PROD', true);
  const backend = await selectBackend(undefined);
  const lanes = isolation.lanes!;
  console.error(
    `grade: ${describeBackend(backend)}; the submission runs on ${isolation.backend} in ${lanes === 1 ? 'a child process' : `${lanes} child processes side by side`} (${sandboxName})`,
  );
  for (const notice of notices) console.error(`grade: ${notice}`);
  const bar = createProgress({
    total: only?.length ?? manifest.tests.filter((t) => t.requires === undefined || hiddenDir).length,
    label: `grading ${basename(dir)}`,
  });
  const graded = await gradeAndWrite(dir, {
    out: options.out,
    backend,
    isolation,
    isolationRecord: { layers: sandboxName, notices, memoryMiB: isolation.limits!.memoryMiB },
    ...(options.executor ? { executor: options.executor } : {}),
    ...(hiddenDir ? { hiddenDir } : {}),
    ...(only ? { only } : {}),
    ...(options.cacheKey ? { cacheKey: options.cacheKey } : {}),
    beforeWrite: checkBatch,
    onTest: (id, done, total) => {
      bar.update(done, id);
      if (process.env['OPTNN_PROGRESS_LINES'] === '1')
        process.stderr.write(`optnn-progress ${done} ${total}\n`);
    },
  });
  bar.finish();
  return graded;
}

/** Each test's line; on GitHub Actions with workflow commands off (the messages are the submission's text), and annotations. */
function printTests(result: SubmissionResult, dir: string, github: boolean): void {
  const print = (): void => {
    for (const test of result.tests) {
      const mark = test.status === 'passed' ? 'PASS' : test.status === 'failed' ? 'FAIL' : 'ERROR';
      console.log(
        `${mark.padEnd(5)} ${`${test.points}/${test.maxPoints}`.padStart(7)}  ${test.id}${test.status === 'passed' ? '' : `\n        ${test.message.split('\n').join('\n        ')}`}${test.status !== 'passed' && test.printed ? `\n        your code printed:\n          ${test.printed.split('\n').join('\n          ')}` : ''}`,
      );
    }
  };
  if (github) withoutWorkflowCommands(print);
  else print();
  // Annotations on the pull request: one per failed visible test, on its file (and line) where known.
  if (github) for (const line of annotations(result, dir)) console.log(line);
  // The step's `result` output, for GitHub Classroom's grading reporter (release/workflows/classroom.yml).
  if (github && process.env['GITHUB_OUTPUT'])
    appendFileSync(process.env['GITHUB_OUTPUT'], `result=${classroomResult(result)}\n`);
}

/** What was written, the score, and the exit code: 1 for grader errors, 3 below --min-score. */
function summarize(
  result: SubmissionResult,
  paths: string[],
  out: string,
  minScore: number | undefined,
): void {
  const github = process.env['GITHUB_ACTIONS'] === 'true';
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

/** Grades one submission: `argv` are the command's arguments, `prestarted` the child scripts/grade.ts started early. */
export async function single(
  argv: string[],
  prestarted: Prestarted | undefined,
  otherLoad: () => number,
): Promise<void> {
  const args = SINGLE.parse(argv);
  if (args === undefined) {
    console.log(USAGE);
    return;
  }
  const target = targetOf(args);
  const how = howOf(args, otherLoad);
  const executor = adopt(prestarted, target.dir, args, how);
  const checkBatch = watchStops(target.dir);
  const out = resolve(args.flags.out);
  const { result, paths } = await gradeTarget(
    target,
    how,
    { out, cacheKey: args.flags['cache-key'], executor },
    checkBatch,
  );
  printTests(result, target.dir, process.env['GITHUB_ACTIONS'] === 'true');
  summarize(result, paths, out, args.flags['min-score']);
}
