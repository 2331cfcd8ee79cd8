/**
 * The note a run of the student suite leaves for its score reporter, which runs in vitest's main
 * process: whether the run was partial (vitest's -t filter) and how many tests it graded. Light on
 * purpose: the reporter loads it at every `npm test`, so it imports nothing of the grader.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { suiteOutputDir, suiteSubmissionDir } from './location.js';

export interface SuiteRun {
  partial: boolean;
  graded: number;
  total: number;
}

const runFile = (): string => join(suiteOutputDir(), `.${basename(suiteSubmissionDir())}.run.json`);

export function recordRun(run: SuiteRun): void {
  mkdirSync(suiteOutputDir(), { recursive: true });
  writeFileSync(runFile(), `${JSON.stringify(run)}\n`);
}

/** The last run's note, when there is one. */
export function lastRun(): SuiteRun | undefined {
  try {
    const value = JSON.parse(readFileSync(runFile(), 'utf8')) as Partial<SuiteRun>;
    return typeof value.partial === 'boolean' &&
      typeof value.graded === 'number' &&
      typeof value.total === 'number'
      ? (value as SuiteRun)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Forgets the last run's note (the reporter does this as a run starts, so a crashed run is not taken for a full one). */
export function forgetRun(): void {
  writeFileSync(runFile(), '{}\n', { flag: 'w' });
}
