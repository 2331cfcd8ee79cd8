/**
 * Grades one submission and writes its outputs under `<out>/<submission-id>/`, atomically. Used by
 * `npm run grade -- DIR` and by each worker of a batch.
 */
import { basename, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { BackendInfo } from '../../course/backend.js';
import { gradeSubmission } from '../../graders/grade.js';
import type { Verdict } from '../../graders/verdict.js';
import { loadManifest } from '../../graders/manifest-schema.js';
import { loadThresholds } from '../../graders/thresholds-schema.js';
import { HarnessError } from '../../course/errors.js';
import { PROJECT_ROOT } from '../../runner/build.js';
import { defaultSandbox, type Executor, type IsolatedOptions } from '../../runner/executor.js';
import { childAccessProblem } from '../../runner/sandbox.js';
import { buildResult, type SubmissionResult } from '../../results/model.js';
import { PUBLIC_SEED } from '../authoring/fixture-cases.js';
import { writeSubmissionOutputs } from './outputs.js';

export interface GradeAndWriteOptions {
  out: string;
  hiddenDir?: string;
  only?: readonly string[];
  backend: BackendInfo;
  isolation: IsolatedOptions;
  /** What results.json says of the isolation: its layers and what is not in force here. */
  isolationRecord?: { layers: string; notices: string[]; memoryMiB?: number };
  /** An executor already started for this submission (see scripts/cli/prestart.ts). */
  executor?: Executor;
  cacheKey?: string;
  onTest?: (id: string, done: number, total: number) => void;
  /** Called after grading, before any output is written (a batch worker checks that its batch lives). */
  beforeWrite?: () => void;
}

export const SUBMISSION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function submissionId(dir: string): string {
  return basename(dir);
}

/**
 * Grades the submission in `dir` (graders/grade.ts' `gradeSubmission` gives the verdicts), builds
 * its result and writes its outputs; returns the result and the paths written.
 */
export async function gradeAndWrite(
  dir: string,
  options: GradeAndWriteOptions,
): Promise<{ result: SubmissionResult; paths: string[] }> {
  const started = performance.now();
  const verdicts = await gradeVerdicts(dir, options);
  const result = resultOf(dir, verdicts, options, performance.now() - started);
  options.beforeWrite?.();
  const paths = writeSubmissionOutputs(result, join(options.out, result.submission.id));
  return { result, paths };
}

/** The verdicts of `dir`'s tests (of `options.only`, when given), after checking the child can run here. */
export async function gradeVerdicts(
  dir: string,
  options: Omit<GradeAndWriteOptions, 'out'> & { known?: ReadonlyMap<string, Verdict> },
): Promise<Verdict[]> {
  // Said once, before grading, rather than as a grader error on every test.
  const access = childAccessProblem(PROJECT_ROOT, options.isolation.sandbox ?? defaultSandbox());
  if (access !== undefined) throw new HarnessError('OPTNN_SANDBOX', access);
  return gradeSubmission(dir, {
    manifest: loadManifest(),
    thresholds: loadThresholds(),
    isolation: options.isolation,
    ...(options.executor ? { executor: options.executor } : {}),
    ...(options.hiddenDir ? { hiddenDir: options.hiddenDir } : {}),
    ...(options.only ? { only: options.only } : {}),
    ...(options.onTest ? { onTest: options.onTest } : {}),
    ...(options.known ? { known: options.known } : {}),
  });
}

/** The result model of `dir`'s verdicts: of the manifest's tests, or of `options.only`'s. */
export function resultOf(
  dir: string,
  verdicts: Verdict[],
  options: Omit<GradeAndWriteOptions, 'out'>,
  totalMs: number,
): SubmissionResult {
  const manifest = loadManifest();
  const graded = options.only
    ? { ...manifest, tests: manifest.tests.filter((t) => options.only!.includes(t.id)) }
    : manifest;
  const childBackend = options.isolation.backend ?? 'wasm';
  return buildResult(verdicts, graded, {
    submission: { id: submissionId(dir), path: dir },
    backend: {
      name: childBackend,
      package: `@tensorflow/tfjs-backend-${childBackend}`,
      version: tf.version_core,
    },
    versions: {
      'tfjs-core': tf.version_core,
      node: process.version,
      'grading-process-backend': options.backend.name,
    },
    seeds: { training: loadThresholds().gradingSeed, fixtures: [PUBLIC_SEED] },
    hiddenFixtures: options.hiddenDir !== undefined,
    timings: { totalMs },
    ...(options.isolationRecord ? { isolation: options.isolationRecord } : {}),
    ...(options.cacheKey ? { cacheKey: options.cacheKey } : {}),
  });
}
