/**
 * Every output of a graded submission and of a class, written from the results model by the
 * reporters (which only read it).
 */
import { join } from 'node:path';
import { cohortOf } from '../../results/cohort.js';
import type { SubmissionResult } from '../../results/model.js';
import { writeJsonAtomic } from './write-json.js';

/** The submission's outputs besides results.json; returns the paths written. */
export function writeSubmissionOutputs(_result: SubmissionResult, _dir: string): string[] {
  return [];
}

/** The class outputs: cohort.json (and the gradebook and reports); returns the paths written. */
export function writeClassOutputs(results: readonly SubmissionResult[], dir: string): string[] {
  const path = join(dir, 'cohort.json');
  writeJsonAtomic(path, cohortOf(results));
  return [path];
}
