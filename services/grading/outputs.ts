/**
 * Every output of a graded submission and of a class, written from the results model by the
 * reporters (which only read it).
 */
import { join } from 'node:path';
import { renderClassReport, renderSubmissionReport } from '../../reports/render.js';
import { cohortOf } from '../../results/cohort.js';
import type { SubmissionResult } from '../../results/model.js';
import { REPORTER_NAMES, writeReports } from '../../results/reporters/registry.js';
import { cohortMarkdown } from '../../results/reporters/cohort-markdown.js';
import { renderGradebook } from '../../results/reporters/csv.js';
import { writeJsonAtomic, writeTextAtomic } from '../write-json.js';

/**
 * All of a submission's outputs; results.json last, so its presence means the others are there
 * (a batch that is killed and rerun relies on it). Returns the paths written.
 */
export function writeSubmissionOutputs(result: SubmissionResult, dir: string): string[] {
  const report = join(dir, 'report.html');
  const others = writeReports(
    result,
    dir,
    REPORTER_NAMES.filter((n) => n !== 'results-json'),
  );
  writeTextAtomic(report, renderSubmissionReport({ result }));
  return [...others, report, ...writeReports(result, dir, ['results-json'])];
}

/** The class outputs: cohort.json, gradebook.csv, summary.md and class-report.html (linking each <id>/report.html); returns the paths written. */
export function writeClassOutputs(results: readonly SubmissionResult[], dir: string): string[] {
  const cohort = cohortOf(results);
  const paths = {
    cohort: join(dir, 'cohort.json'),
    gradebook: join(dir, 'gradebook.csv'),
    summary: join(dir, 'summary.md'),
    report: join(dir, 'class-report.html'),
  };
  writeJsonAtomic(paths.cohort, cohort);
  writeTextAtomic(paths.gradebook, renderGradebook(results));
  writeTextAtomic(paths.summary, cohortMarkdown(cohort));
  writeTextAtomic(paths.report, renderClassReport([...results]));
  return Object.values(paths);
}
