/**
 * Where a submission stands, beyond its points, for the TA's class outputs: graded as usual, or
 * not gradable at all for one reason that every test shares: an empty submission (no index.ts),
 * one that does not build or load (with the first line of why, file and line included where the
 * build gave them), or the template untouched (every test "not implemented"). Derived from the
 * results model once, here; the class reporters only read it.
 */
import type { SubmissionResult } from './model.js';

export type Standing =
  | { kind: 'graded' }
  | { kind: 'empty'; reason: string }
  | { kind: 'does-not-build'; reason: string }
  | { kind: 'not-started'; reason: string };

export const STANDING_LABELS: Record<Standing['kind'], string> = {
  graded: 'graded',
  empty: 'empty submission',
  'does-not-build': 'does not build',
  'not-started': 'not started',
};

const NOT_IMPLEMENTED = /^not implemented: /;
const EMPTY =
  /^the submission has no index\.ts|^the submission is not a directory|^the submission's directory could not be read/;
const NOT_BUILT =
  /^the submission does not compile:|^the submission failed to load:|tried to import .*, a file outside the submission|imports .*, which does not exist in the submission|is not allowed \(allowed:|^index\.ts is a symbolic link|^the submission has more than|over the limit of \d+|the build tried to read|is imported with the attributes|^the submission's build/;

/** The first line of a message, without the "the submission does not compile:" lead. */
function firstLine(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines[0] === 'the submission does not compile:' && lines[1] !== undefined) return lines[1];
  return (lines[0] ?? '').replace(/^the submission does not compile:\s*/, '');
}

export function standingOf(result: SubmissionResult): Standing {
  const tests = result.tests.filter((t) => t.status !== 'error');
  if (tests.length === 0 || tests.some((t) => t.status === 'passed')) return { kind: 'graded' };
  if (tests.every((t) => NOT_IMPLEMENTED.test(t.message)))
    return { kind: 'not-started', reason: 'every test says "not implemented": the template, untouched' };
  const message = tests[0]!.message;
  if (!tests.every((t) => t.message === message)) return { kind: 'graded' };
  if (EMPTY.test(message)) return { kind: 'empty', reason: firstLine(message) };
  if (NOT_BUILT.test(message)) return { kind: 'does-not-build', reason: firstLine(message) };
  return { kind: 'graded' };
}

/** "does not build (optimizers/gd.ts:3: Expected ...)", or "graded". */
export function describeStanding(standing: Standing): string {
  return standing.kind === 'graded'
    ? STANDING_LABELS.graded
    : `${STANDING_LABELS[standing.kind]} (${standing.reason})`;
}
