/**
 * The reporters by name, and writing their files. Each file is written atomically (a temporary file
 * in the same directory, then a rename), and every report is rendered before any is written, so a
 * reporter that throws leaves no partial set behind.
 */
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeTextAtomic } from '../../course/atomic-write.js';
import { badOption, describeValue } from '../../course/errors.js';
import type { SubmissionResult } from '../model.js';
import { csvReporter } from './csv.js';
import { gradescopeReporter } from './gradescope.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import type { Reporter } from './reporter.js';
import { resultsJsonReporter } from './results-json.js';

export const REPORTERS: Readonly<Record<string, Reporter>> = Object.freeze(
  Object.fromEntries(
    [resultsJsonReporter, gradescopeReporter, junitReporter, markdownReporter, csvReporter].map((r) => [
      r.name,
      r,
    ]),
  ),
);

export const REPORTER_NAMES: readonly string[] = Object.keys(REPORTERS);

/** The reporters for `names`; an unknown name is a HarnessError that lists the known ones. */
export function reportersNamed(names: readonly string[]): Reporter[] {
  return names.map((name) => {
    const reporter = Object.hasOwn(REPORTERS, name) ? REPORTERS[name] : undefined;
    if (reporter === undefined)
      throw badOption(
        'reporters',
        `a list of ${REPORTER_NAMES.map((n) => `\`${n}\``).join(', ')}`,
        `${describeValue(name)} among them`,
      );
    return reporter;
  });
}

/**
 * Renders `result` with each named reporter and writes the files into `dir` (made if missing);
 * returns the paths written, in the order of `names`. `fileNames` overrides a reporter's file name,
 * e.g. `{ gradescope: 'results.json' }` in Gradescope's /autograder/results.
 */
export function writeReports(
  result: SubmissionResult,
  dir: string,
  names: readonly string[] = REPORTER_NAMES,
  fileNames: Readonly<Record<string, string>> = {},
): string[] {
  const reporters = reportersNamed(names);
  const files = reporters.map((r) => {
    const fileName = Object.hasOwn(fileNames, r.name) ? fileNames[r.name] : r.fileName;
    if (
      fileName === undefined ||
      fileName === '' ||
      basename(fileName) !== fileName ||
      fileName === '.' ||
      fileName === '..'
    ) {
      throw badOption(`fileNames.${r.name}`, 'a plain file name', describeValue(fileName));
    }
    return { path: join(dir, fileName), text: r.render(result) };
  });
  const paths = files.map((f) => f.path);
  const clash = paths.find((p, i) => paths.indexOf(p) !== i);
  if (clash !== undefined)
    throw badOption(
      'reporters',
      'reporters that write different files',
      `two that both write ${describeValue(clash)}`,
    );
  mkdirSync(dir, { recursive: true });
  for (const file of files) writeTextAtomic(file.path, file.text);
  return paths;
}
