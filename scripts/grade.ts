/**
 * The grading command for students, TAs and CI.
 *   npm run grade -- [SUBMISSION_DIR] [options]        one submission (default: reference/, or submission/ in a
 *                                                      student repository, which has no reference/)
 *   npm run grade -- batch DIR --out OUT [options]     a class, with a worker pool
 *   npm run grade -- merge OUT... --out DIR            shards into one gradebook and cohort summary
 *   npm run grade -- regrade-diff OLD NEW              whose grades moved, by how much, on which tests
 * Exit codes: 0 done; 1 a harness fault or any grader error; 2 bad usage; 3 (single, with --min-score)
 * the score is below the minimum; 130 interrupted (SIGINT or SIGTERM): a rerun resumes.
 */
import { appendFileSync, existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describeBackend, selectBackend } from '../course/backend.js';
import { HarnessError } from '../course/errors.js';
import { createProgress } from '../course/progress.js';
import { loadManifest } from '../graders/manifest-schema.js';
import { lanesFor, MAX_LANES, type IsolatedOptions } from '../runner/executor.js';
import { bubblewrap, findBubblewrap, unprivileged } from '../runner/sandbox.js';
import { parseFlags, usage, type FlagSpec, type FlagValues } from './lib/args.js';
import { parseShard, runBatch, sweepBuilds } from './lib/batch.js';
import { annotations, classroomResult, withoutWorkflowCommands } from './lib/github.js';
import { sampleOtherLoad } from './lib/cpu-load.js';
import { childIsolation } from './lib/isolation.js';
import { gradeOne, SUBMISSION_ID } from './lib/grade-one.js';
import { runMain } from './lib/main.js';
import { mergeBatches, readBatch, regradeDiff } from './lib/merge.js';
import { writeClassOutputs } from './lib/outputs.js';

const COMMON: Record<string, FlagSpec> = {
  hidden: {
    type: 'string',
    description: 'a directory of hidden fixtures (npm run fixtures -- --hidden ...)',
  },
  backend: {
    type: 'string',
    choices: ['auto', 'wasm', 'cpu'],
    description: "backend of the submission's process: auto (default, which is wasm), wasm or cpu",
  },
  sandbox: {
    type: 'string',
    choices: ['auto', 'bwrap', 'none'],
    description: 'bubblewrap around the submission: auto (when installed; default), bwrap (required), none',
  },
  lanes: {
    type: 'integer',
    min: 1,
    description: `child processes grading one submission side by side (default: the cores other work leaves free, at most ${MAX_LANES}; in a batch, the cores per worker)`,
  },
  'allow-unsandboxed': {
    type: 'boolean',
    description:
      'let batch grading run where submissions are not isolated from each other (no bubblewrap), and with hidden fixtures',
  },
  help: { type: 'boolean', description: 'print this help' },
};
const SINGLE: Record<string, FlagSpec> = {
  out: {
    type: 'string',
    description: 'output directory (default out/grades); outputs go to OUT/<submission-id>/',
  },
  only: { type: 'string', description: 'comma-separated test ids from graders/manifest.json' },
  'cache-key': { type: 'string', description: '(used by batch workers) the key recorded in results.json' },
  'min-score': {
    type: 'string',
    description:
      'exit with code 3 when the score is below this many points (a CI check for a TA-set pass mark)',
  },
  ...COMMON,
};
const BATCH: Record<string, FlagSpec> = {
  out: { type: 'string', description: 'output directory (required)' },
  jobs: { type: 'integer', min: 1, description: 'parallel workers (default: the number of cores)' },
  shard: {
    type: 'string',
    description: 'i/n: grade only the i-th of n shards of the class (for a CI matrix)',
  },
  ...COMMON,
};
const MERGE: Record<string, FlagSpec> = {
  out: { type: 'string', description: 'output directory for the gradebook and cohort summary (required)' },
  help: COMMON['help']!,
};
const DIFF: Record<string, FlagSpec> = {
  json: { type: 'boolean', description: 'print the changes as JSON' },
  help: COMMON['help']!,
};

const USAGES: Record<'single' | 'batch' | 'merge' | 'regrade-diff', string> = {
  single: usage(
    'npm run grade -- [SUBMISSION_DIR] [options]',
    'Grades one submission (default: reference/, or submission/ where there is no reference/).',
    SINGLE,
  ),
  batch: usage(
    'npm run grade -- batch SUBMISSIONS_DIR --out OUT [options]',
    'Grades every submission directory in SUBMISSIONS_DIR; reruns skip current results.',
    BATCH,
  ),
  merge: usage(
    'npm run grade -- merge OUT... --out DIR',
    'Joins batch outputs (shards) into gradebook.csv, cohort.json and class outputs.',
    MERGE,
  ),
  'regrade-diff': usage(
    'npm run grade -- regrade-diff OLD_OUT NEW_OUT',
    'Lists the submissions whose grades moved, by how much, on which tests.',
    DIFF,
  ),
};
const OTHERS = 'Other commands: npm run grade -- batch | merge | regrade-diff (each with --help).';
const USAGE = `${USAGES.single}\n\n${OTHERS}`;

/** The submission graded when none is named: the reference here, the student's own in a student repository. */
function defaultSubmission(): string {
  return existsSync('reference') || !existsSync('submission') ? 'reference' : 'submission';
}

const str = (flags: FlagValues, name: string): string | undefined =>
  typeof flags[name] === 'string' ? flags[name] : undefined;

function isolationFor(
  flags: FlagValues,
  batchWithHidden: boolean,
): { isolation: IsolatedOptions; sandboxName: string } {
  const mode = str(flags, 'sandbox') ?? 'auto';
  const bwrap = mode === 'none' ? undefined : findBubblewrap();
  if (mode === 'bwrap' && bwrap === undefined) {
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      '--sandbox bwrap was asked for, but bubblewrap is not installed or not usable here (Debian: apt-get install bubblewrap)',
    );
  }
  if (batchWithHidden && bwrap === undefined && flags['allow-unsandboxed'] !== true) {
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      'Batch grading with hidden fixtures refuses to run without bubblewrap (apt-get install bubblewrap); pass --allow-unsandboxed to run with the Node-level layers only',
    );
  }
  const backend = (str(flags, 'backend') ?? 'auto') === 'cpu' ? 'cpu' : 'wasm';
  return {
    isolation: { backend, sandbox: bwrap ? bubblewrap(bwrap) : unprivileged },
    sandboxName: bwrap ? 'bubblewrap + Node permission model' : 'Node permission model only',
  };
}

/** A path as a user would type it from here: relative when it is below the working directory. */
function relativeOrAbsolute(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function existingDir(path: string, what: string): string {
  const dir = resolve(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new HarnessError('OPTNN_BAD_OPTION', `The ${what} ${dir} does not exist`);
  return dir;
}

async function single(argv: string[]): Promise<void> {
  const otherLoad = sampleOtherLoad();
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
  const { isolation, sandboxName } = isolationFor(flags, false);
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
  // Side by side in as many children as the cores other work leaves free (measured during start-up).
  const lanes =
    typeof flags['lanes'] === 'number' ? flags['lanes'] : lanesFor(availableParallelism(), 1, otherLoad());
  isolation.lanes = lanes;
  console.error(
    `grade: ${describeBackend(backend)}; the submission runs on ${isolation.backend} in ${lanes === 1 ? 'a child process' : `${lanes} child processes side by side`} (${sandboxName})`,
  );
  const out = resolve(str(flags, 'out') ?? 'out/grades');
  const bar = createProgress({
    total: only?.length ?? manifest.tests.filter((t) => t.requires === undefined || hiddenDir).length,
    label: `grading ${basename(dir)}`,
  });
  const { result, paths } = await gradeOne(dir, {
    out,
    backend,
    isolation,
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
        `${mark.padEnd(5)} ${`${test.points}/${test.maxPoints}`.padStart(7)}  ${test.id}${test.status === 'passed' ? '' : `\n        ${test.message.split('\n').join('\n        ')}`}`,
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
  const { sandboxName } = isolationFor(flags, hiddenDir !== undefined);
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

const [command, ...rest] = process.argv.slice(2);
const commands: Record<string, (argv: string[]) => Promise<void>> = { batch, merge, 'regrade-diff': diff };
const sub = command !== undefined && command in commands ? command : undefined;
// A usage error prints only its own subcommand's usage.
runMain(
  () => (sub !== undefined ? commands[sub]!(rest) : single(process.argv.slice(2))),
  sub !== undefined ? USAGES[sub as keyof typeof USAGES] : USAGE,
);
