/**
 * The last lines of a student's `npm test`: the total score, as the results model counted it, and
 * where the report is. Read back from the results.json the suite wrote (validated: a missing or
 * malformed file says so instead of a score). After a filtered run (`npm test -- -t Adam`) it says
 * the run was partial and prints no score: the score and the report are written by a full run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Reporter } from 'vitest/node';
import type { SubmissionResult } from '../../results/model.js';
import { suiteResultsDir } from './location.js';
import { currentRun, startRun } from './run-note.js';

export default class ScoreReporter implements Reporter {
  /** A new run note (global-setup.ts starts one too, for runs whose reporters replace this one). */
  onTestRunStart(): void {
    startRun();
  }

  async onTestRunEnd(): Promise<void> {
    const run = currentRun();
    if (run === undefined || run.partial) {
      const graded =
        run === undefined || run.total === 0
          ? 'no public test'
          : `${run.graded} of ${run.total} public tests`;
      process.stdout.write(
        `\npartial run: ${graded} graded; the score and the report are written by a full run (npm test)\n`,
      );
      return;
    }
    const dir = suiteResultsDir();
    const resultsPath = join(dir, 'results.json');
    const shown = (path: string): string => relative(process.cwd(), path) || path;
    let parsed: unknown;
    try {
      parsed = existsSync(resultsPath) ? JSON.parse(readFileSync(resultsPath, 'utf8')) : undefined;
    } catch {
      parsed = undefined;
    }
    // The schema and its validator load only for a full run: a partial one needs neither.
    const [{ problemsWith }, { SubmissionResult: schema }] = await Promise.all([
      import('../../contract/validate.js'),
      import('../../results/model.js'),
    ]);
    if (parsed === undefined || problemsWith(schema, parsed).length > 0) {
      process.stdout.write(`\nscore: not computed (no valid ${shown(resultsPath)}; see the errors above)\n`);
      return;
    }
    const result = parsed as SubmissionResult;
    const errors = result.graderErrors > 0 ? `, ${result.graderErrors} grader error(s)` : '';
    process.stdout.write(`\nscore: ${result.score}/${result.maxScore} points (public tests)${errors}\n`);
    process.stdout.write(`report: ${shown(join(dir, 'report.html'))} (open it in a browser)\n`);
  }
}
