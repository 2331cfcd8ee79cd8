/**
 * The grading behind the student suite's parts, in vitest's worker (one process for the parts, see
 * vitest.config.ts): each part's file grades only the tests vitest selected in it, and the session
 * keeps every verdict of the run. A check that reads another part's verdict (tuning reads the
 * optimizer's) gets it from the session, as within one grading. When a run has graded every public
 * test, the session writes the outputs `npm run grade` writes (results.json, report.html, …) from
 * those verdicts; a run that graded fewer writes none and its note says it was partial. The parts
 * share one executor (one build of the submission, its children kept between parts), as one
 * grading would. The part files load this module from a prebuilt bundle, as `npm run grade` loads
 * its command (scripts/cli/command-bundle.ts), so vitest transforms none of the grader.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../../course/backend.js';
import { HarnessError } from '../../course/errors.js';
import { loadManifest, type ManifestTest } from '../../graders/manifest-schema.js';
import type { Verdict } from '../../graders/verdict.js';
import { gradeVerdicts, resultOf } from '../../services/grading/grade-and-write.js';
import { writeSubmissionOutputs } from '../../services/grading/outputs.js';
import type { TestResult } from '../../results/model.js';
import {
  defaultSandbox,
  IsolatedExecutor,
  lanesFor,
  type ExecOutcome,
  type Executor,
  type IsolatedOptions,
} from '../../runner/executor.js';
import type { Prepared } from '../../runner/isolated.js';
import type { Request } from '../../runner/protocol.js';
import { childrenIsolated } from '../../runner/sandbox.js';
import { suiteOutputDir, suiteSubmissionDir } from './location.js';
import { partOf } from './parts.js';
import { currentRun, writeRun } from './run-note.js';

/** One executor for every part of a run: each grading's close() leaves it open; `end` closes it. */
class SharedExecutor implements Executor {
  private prepared: Promise<Prepared> | undefined;
  constructor(private readonly inner: IsolatedExecutor) {}
  get lanes(): number | undefined {
    return this.inner.lanes;
  }
  prepare(): Promise<Prepared> {
    return (this.prepared ??= this.inner.prepare());
  }
  run(request: Request, label: string, group?: string, served?: () => void): Promise<ExecOutcome> {
    return this.inner.run(request, label, group, served);
  }
  close(): void {}
  end(): void {
    this.inner.close();
  }
}

interface Session {
  /** The run note's token: a new run (or a rerun in watch mode) starts a new session. */
  token: string;
  verdicts: Map<string, Verdict>;
  gradingMs: number;
  executor: SharedExecutor;
  isolation: IsolatedOptions;
}

let session: Session | undefined;

/** The run's session: a new one when the run is new (the previous one's children closed). */
function sessionOf(dir: string): Session {
  const token = currentRun()?.token ?? 'no run note';
  if (session?.token === token) return session;
  session?.executor.end();
  // Side by side where the children are isolated from each other, as `npm run grade` grades.
  const isolation: IsolatedOptions = {
    lanes: childrenIsolated(defaultSandbox()) ? lanesFor(availableParallelism()) : 1,
  };
  const executor = new SharedExecutor(new IsolatedExecutor(dir, isolation));
  session = { token, verdicts: new Map(), gradingMs: 0, executor, isolation };
  return session;
}

/**
 * Starts the build and the first child while vitest collects the rest (a part's file calls it as it
 * loads); a failure is kept for the grading, which reports it as every test's.
 */
export function prestart(): void {
  sessionOf(suiteSubmissionDir())
    .executor.prepare()
    .catch(() => undefined);
}

/**
 * Grades `ids` of the suite's submission and returns their outcomes as the results model words them
 * (every student text neutralised, as in the report).
 */
export async function gradePart(ids: readonly string[]): Promise<Map<string, TestResult>> {
  if (ids.length === 0) return new Map();
  const dir = suiteSubmissionDir();
  const current = sessionOf(dir);
  tf.env().set('PROD', true);
  const options = { backend: await selectBackend(), isolation: current.isolation };
  const started = performance.now();
  const verdicts = await gradeVerdicts(dir, {
    ...options,
    only: ids,
    known: current.verdicts,
    executor: current.executor,
  });
  const ms = performance.now() - started;
  current.gradingMs += ms;
  for (const verdict of verdicts) current.verdicts.set(verdict.id, verdict);

  const publicIds = loadManifest()
    .tests.filter((t) => t.requires === undefined)
    .map((t) => t.id);
  const complete = publicIds.every((id) => current.verdicts.has(id));
  if (complete) {
    const all = publicIds.map((id) => current.verdicts.get(id)!);
    const result = resultOf(dir, all, options, current.gradingMs);
    writeSubmissionOutputs(result, join(suiteOutputDir(), result.submission.id));
    current.executor.end();
  }
  writeRun({
    token: current.token,
    graded: current.verdicts.size,
    total: publicIds.length,
    partial: !complete,
  });
  const shown = resultOf(dir, verdicts, { ...options, only: ids }, ms);
  return new Map(shown.tests.map((t) => [t.id, t]));
}

/** The public tests of `part`, in the manifest's order. */
export function partTests(part: string): ManifestTest[] {
  return loadManifest().tests.filter((t) => t.requires === undefined && partOf(t.id) === part);
}

/**
 * A fault of the harness or of the machine (no sandbox that can run the child here, a broken
 * install) as one line that says what to do, never a stack trace: it is not the student's code.
 */
export function describeFault(error: unknown): string {
  const what = error instanceof HarnessError ? `error [${error.code}]: ${error.message}` : String(error);
  return `${what} (a fault of the grader or of this machine's setup, not of your code)`;
}
