/**
 * What a run of the student suite graded: the part each manifest test belongs to (its describe
 * block), the grading of a selection (vitest's -t filter), and a note of the run for the score
 * reporter, which runs in another process and prints the score only after a full run.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { selectBackend } from '../../course/backend.js';
import { gradeAndWrite } from '../../services/grading/grade-and-write.js';
import { suiteOutputDir, suiteSubmissionDir } from './location.js';

/** The describe block of a manifest test: the optimizer's name, or the part before the first dot. */
export function partOf(id: string): string {
  const [head, second] = id.split('.');
  return head === 'optimizer' && second !== undefined ? second : head!;
}

export interface SuiteTestOutcome {
  id: string;
  status: string;
  message: string;
  mistake?: { hint: string };
  printed?: string;
}

/**
 * Grades only `ids` (through the results model, so their text is neutralised as always); the
 * outputs of such a partial grading go to a scratch folder, never over a full run's.
 */
export async function gradeSelected(
  dir: string,
  ids: readonly string[],
): Promise<Map<string, SuiteTestOutcome>> {
  if (ids.length === 0) return new Map();
  const backend = await selectBackend();
  const { result } = await gradeAndWrite(dir, {
    out: join(suiteOutputDir(), '.partial'),
    backend,
    isolation: {},
    only: ids,
  });
  return new Map(result.tests.map((t) => [t.id, t]));
}

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
