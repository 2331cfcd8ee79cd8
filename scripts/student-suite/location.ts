/**
 * Where the student-facing suite grades and writes: the submission directory (OPTNN_SUBMISSION,
 * default `submission/`) and its outputs under `out/grades/<submission-id>/`, the same place
 * `npm run grade` writes them. Shared by the suite and its score reporter, which run in different
 * processes.
 */
import { basename, join, resolve } from 'node:path';

export function suiteSubmissionDir(): string {
  return resolve(process.env['OPTNN_SUBMISSION'] ?? 'submission');
}

export function suiteOutputDir(): string {
  return resolve(process.env['OPTNN_OUT'] ?? join('out', 'grades'));
}

export function suiteResultsDir(): string {
  return join(suiteOutputDir(), basename(suiteSubmissionDir()));
}
