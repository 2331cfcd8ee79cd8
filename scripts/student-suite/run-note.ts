/**
 * The note a run of the student suite leaves in the output folder. vitest's main process starts it
 * with a new token as every run starts, watch-mode reruns included (global-setup.ts); the graded
 * parts, in the worker, say how many public tests this run graded and whether that was all of
 * them; the score reporter reads it at the end. Light on purpose: the reporter loads it at every
 * `npm test`, so it imports nothing of the grader.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { suiteOutputDir, suiteSubmissionDir } from './location.js';

export interface SuiteRun {
  /** Which run: a new token at every start and rerun. */
  token: string;
  /** How many public tests this run graded, of how many. */
  graded: number;
  total: number;
  /** Whether some public test was not graded (a file or -t filter, a part that crashed). */
  partial: boolean;
}

const runFile = (): string => join(suiteOutputDir(), `.${basename(suiteSubmissionDir())}.run.json`);

/** Starts a run's note: a new token, nothing graded yet. */
export function startRun(): void {
  mkdirSync(suiteOutputDir(), { recursive: true });
  writeRun({ token: randomUUID(), graded: 0, total: 0, partial: true });
}

export function writeRun(run: SuiteRun): void {
  writeFileSync(runFile(), `${JSON.stringify(run)}\n`);
}

/** The current run's note, when there is a well-formed one. */
export function currentRun(): SuiteRun | undefined {
  try {
    const value = JSON.parse(readFileSync(runFile(), 'utf8')) as Partial<SuiteRun>;
    return typeof value.token === 'string' &&
      typeof value.partial === 'boolean' &&
      typeof value.graded === 'number' &&
      typeof value.total === 'number'
      ? (value as SuiteRun)
      : undefined;
  } catch {
    return undefined;
  }
}
