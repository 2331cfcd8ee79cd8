/**
 * The grading command's subcommands (see scripts/grade.ts, its entry point): one submission
 * (scripts/cli/grade-single.ts), a batch, merging shards, and the difference between two gradings.
 * Their flags and arguments are declared in scripts/cli/grade-flags.ts.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { HarnessError } from '../../course/errors.js';
import { parseShard, runBatch, type BatchSummary } from '../../services/batch/batch.js';
import { childIsolation } from '../../services/batch/isolation.js';
import { mergeBatches, readBatch, regradeDiff } from '../../services/batch/merge.js';
import { writeClassOutputs } from '../../services/grading/outputs.js';
import { BATCH, DIFF, MERGE, USAGE, USAGES, isolationFor } from './grade-flags.js';
import { single } from './grade-single.js';
import { onInterrupt } from './interrupt.js';
import { runMain } from './main.js';
import type { Prestarted } from './prestart.js';

/** What an interrupted batch finished and did not, and the command that resumes it. */
function reportInterrupted(summary: BatchSummary, reason: string): void {
  const resume =
    'npm run grade -- ' +
    process.argv
      .slice(2)
      .map((a) => (/^[\w./=:-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
      .join(' ');
  console.log(
    `batch: interrupted by ${reason} after ${summary.seconds.toFixed(1)} s: ` +
      `${summary.finished.length} of ${summary.total} submissions finished (${summary.graded} graded now, ${summary.skipped} current), ` +
      `${summary.unfinished.length} not graded: ${summary.unfinished.join(', ') || '(none)'}\n` +
      `batch: finished: ${summary.finished.join(', ') || '(none)'}\nbatch: to resume, run the same command again: ${resume}`,
  );
}

async function batch(argv: string[]): Promise<void> {
  const args = BATCH.parse(argv);
  if (args === undefined) {
    console.log(BATCH.usage);
    return;
  }
  const { flags, positionals, raw } = args;
  const { out } = flags;
  const hiddenDir = flags.hidden === undefined ? undefined : resolve(flags.hidden);
  const { sandboxName, notices } = isolationFor(raw, hiddenDir !== undefined);
  const jobs = flags.jobs ?? availableParallelism();
  const sandbox = flags.sandbox ?? 'auto';
  const betweenChildren = childIsolation(sandbox);
  if (!betweenChildren.isolated && jobs > 1 && flags['allow-unsandboxed'] !== true) {
    throw new HarnessError(
      'OPTNN_BAD_OPTION',
      `Batch grading refuses to run: ${betweenChildren.risk}. Install bubblewrap (apt-get install bubblewrap), grade with --jobs 1, or pass --allow-unsandboxed to accept the risk`,
    );
  }
  if (!betweenChildren.isolated && jobs > 1)
    console.error(`batch: warning: --allow-unsandboxed: ${betweenChildren.risk}`);
  const shard = flags.shard ? parseShard(flags.shard) : undefined;
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
    submissionsDir: resolve(positionals.SUBMISSIONS_DIR),
    out: resolve(out),
    jobs,
    ...(shard ? { shard } : {}),
    ...(hiddenDir ? { hiddenDir } : {}),
    backend: flags.backend ?? 'auto',
    sandbox,
    ...(flags.lanes !== undefined ? { lanes: flags.lanes } : {}),
    ...(flags['memory-mib'] !== undefined ? { memoryMiB: flags['memory-mib'] } : {}),
    workerArgs: flags['allow-unsandboxed'] ? ['--allow-unsandboxed'] : [],
    signal: controller.signal,
  });
  const results = readBatch(resolve(out));
  writeClassOutputs(results, resolve(out));
  if (summary.interrupted) {
    reportInterrupted(summary, String(controller.signal.reason));
    process.exitCode = 130;
    return;
  }
  console.log(
    `batch: ${summary.total} submissions, ${summary.graded} graded, ${summary.skipped} skipped as current, ${summary.graderErrors} with grader errors, ${summary.seconds.toFixed(1)} s; results in ${resolve(out)}`,
  );
  if (summary.graderErrors > 0) process.exitCode = 1;
}

async function merge(argv: string[]): Promise<void> {
  const args = MERGE.parse(argv);
  if (args === undefined) {
    console.log(MERGE.usage);
    return;
  }
  const out = args.flags.out;
  const { results, cohort } = mergeBatches(
    args.positionals.OUT.map((p) => resolve(p)),
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
  const args = DIFF.parse(argv);
  if (args === undefined) {
    console.log(DIFF.usage);
    return;
  }
  const { OLD_OUT, NEW_OUT } = args.positionals;
  const [before, after] = [OLD_OUT, NEW_OUT].map((p) => readBatch(resolve(p), { required: true }));
  const changes = regradeDiff(before!, after!);
  if (args.flags.json) {
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
  prestarted: Prestarted | undefined;
  /** The cores other work kept busy since it started. */
  otherLoad: () => number;
}

/** Runs the grading command on `argv`. */
export function gradeCommand(argv: string[], { prestarted, otherLoad }: EntryStart): void {
  const [command, ...rest] = argv;
  const commands: Record<string, (argv: string[]) => Promise<void>> = { batch, merge, 'regrade-diff': diff };
  const sub = command !== undefined && command in commands ? command : undefined;
  // A usage error prints only its own subcommand's usage.
  runMain(
    async () => {
      try {
        await (sub !== undefined ? commands[sub]!(rest) : single(argv, prestarted, otherLoad));
      } finally {
        // Not adopted (a usage error, another directory): its child must not keep the process alive.
        prestarted?.executor.close();
      }
    },
    sub !== undefined ? USAGES[sub as keyof typeof USAGES] : USAGE,
  );
}
