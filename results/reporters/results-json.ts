/** The project's own results.json: the results model as it is, validated, as indented JSON. */
import { validateOrThrow } from '../../contract/validate.js';
import { SubmissionResult } from '../model.js';
import type { Reporter } from './reporter.js';

export const resultsJsonReporter: Reporter = {
  name: 'results-json',
  fileName: 'results.json',
  render(result: SubmissionResult): string {
    const valid = validateOrThrow(
      SubmissionResult,
      result,
      `the results of ${JSON.stringify(result.submission?.id)}`,
    );
    return `${JSON.stringify(valid, null, 1)}\n`;
  },
};
