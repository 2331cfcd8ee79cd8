/**
 * What a run of the student suite graded: the part each manifest test belongs to (its describe
 * block) and the grading of a selection (vitest's -t filter). The note of a run for the score
 * reporter is in run-note.ts.
 */
import { join } from 'node:path';
import { selectBackend } from '../../course/backend.js';
import { gradeAndWrite } from '../../services/grading/grade-and-write.js';
import { suiteOutputDir } from './location.js';

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
