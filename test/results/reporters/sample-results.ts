/**
 * Submission results for the reporter tests, built with the results model from verdicts written by
 * hand: full marks, zero, a grader error, hidden tests of every visibility, and hostile strings.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifest, type Manifest } from '../../../graders/manifest-schema.js';
import type { Verdict } from '../../../graders/verdict.js';
import { buildResult, type ResultContext, type SubmissionResult } from '../../../results/model.js';

export const manifest = loadManifest();

/** Markup, delimiters, quotes, line breaks and a formula: everything a report must escape. */
export const HOSTILE =
  'x</testcase><script>alert("pwned")</script> | pipe, comma "double" \'single\'\nnext line\r\ncrlf & amp =cmd *b* [l](u) `c` $m$';
/** Characters XML 1.0 forbids (NUL, BEL, VT, FF, US, U+FFFE, a lone surrogate). */
export const FORBIDDEN_IN_XML = '\u0000\u0007\u000B\u000C\u001F\uFFFE\uD800';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'optnn-reporters-'));
}

export function contextOf(id: string, hiddenFixtures = false): ResultContext {
  return {
    submission: { id, path: `/submissions/${id}` },
    backend: { name: 'cpu', package: '@tensorflow/tfjs-backend-cpu', version: '4.22.0' },
    versions: { 'tfjs-core': '4.22.0', node: 'v20.0.0' },
    seeds: { training: 1, fixtures: [1001] },
    hiddenFixtures,
    timings: { totalMs: 12_345.6 },
  };
}

function graded(m: Manifest, hiddenFixtures: boolean): Manifest['tests'] {
  return m.tests.filter((t) => t.requires !== 'hidden-fixtures' || hiddenFixtures);
}

export function fullResult(): SubmissionResult {
  const verdicts: Verdict[] = graded(manifest, false).map((t) => ({
    id: t.id,
    status: 'passed',
    message: `${t.id} agrees with the reference`,
    durationMs: 120,
  }));
  return buildResult(verdicts, manifest, contextOf('s001'));
}

export function zeroResult(): SubmissionResult {
  const verdicts: Verdict[] = graded(manifest, false).map((t, i) => ({
    id: t.id,
    status: 'failed',
    message: `${t.id}: step 3, param w, index [0,1]: expected 0.5, got 0.25`,
    durationMs: 80,
    ...(i % 2 === 0
      ? { mistake: { id: 'forgot-bias-correction', hint: 'Divide the moments by 1 - beta^t.' } }
      : {}),
  }));
  return buildResult(verdicts, manifest, contextOf('s002'));
}

/** Every test passes except `training.loop`, which has no verdict (a grader error), and `nets`, which fails with partial credit. */
export function graderErrorResult(): SubmissionResult {
  const verdicts: Verdict[] = graded(manifest, false)
    .filter((t) => t.id !== 'training.loop')
    .map((t) =>
      t.id === 'nets'
        ? {
            id: t.id,
            status: 'failed',
            fraction: 0.5,
            message: 'GarmentClassifier has 2 layers, expected 3',
            durationMs: 5,
          }
        : { id: t.id, status: 'passed', message: 'ok', durationMs: 5 },
    );
  return buildResult(verdicts, manifest, contextOf('s003'));
}

/** Hidden fixtures given: one test of each visibility, the hidden ones failed with a secret in their message. */
export const SECRET = 'the hidden seed is 4242';
export const visibilityManifest: Manifest = {
  schemaVersion: 1,
  tests: [
    { id: 'shown', name: 'A visible test', points: 2, visibility: 'visible' },
    { id: 'hidden', name: 'A hidden test', points: 3, visibility: 'hidden' },
    { id: 'due', name: 'Shown after the due date', points: 3, visibility: 'after_due_date' },
    {
      id: 'published',
      name: 'Shown after publishing',
      points: 3,
      visibility: 'after_published',
      requires: 'hidden-fixtures',
    },
  ],
};

export function hiddenResult(): SubmissionResult {
  const verdicts: Verdict[] = [
    {
      id: 'shown',
      status: 'failed',
      message: 'the visible message',
      mistake: { id: 'sign-error', hint: 'Subtract the gradient.' },
      durationMs: 1,
    },
    {
      id: 'hidden',
      status: 'failed',
      message: SECRET,
      mistake: { id: 'secret-mistake', hint: `hint: ${SECRET}` },
      durationMs: 1,
    },
    { id: 'due', status: 'passed', message: SECRET, durationMs: 1 },
    { id: 'published', status: 'failed', message: SECRET, durationMs: 1 },
  ];
  return buildResult(verdicts, visibilityManifest, contextOf('s004', true));
}

/** Hostile names, messages, hints and submission id; one passed, one failed, one grader error, one with forbidden characters. */
export const HOSTILE_ID = `=cmd,"evil"\nid|x`;
export function hostileResult(): SubmissionResult {
  const m: Manifest = {
    schemaVersion: 1,
    tests: [
      { id: 'ok', name: HOSTILE, points: 1, visibility: 'visible' },
      { id: 'bad', name: `${HOSTILE} 2`, points: 2, visibility: 'visible' },
      { id: 'broken', name: `${HOSTILE} 3`, points: 3, visibility: 'visible' },
      { id: 'control', name: `ctl${FORBIDDEN_IN_XML}name`, points: 1, visibility: 'visible' },
    ],
  };
  const verdicts: Verdict[] = [
    { id: 'ok', status: 'passed', message: HOSTILE, durationMs: 1 },
    {
      id: 'bad',
      status: 'failed',
      message: HOSTILE,
      mistake: { id: 'hostile', hint: HOSTILE },
      durationMs: 1,
    },
    { id: 'broken', status: 'error', message: `grader error: ${HOSTILE}`, durationMs: 1 },
    { id: 'control', status: 'failed', message: `ctl${FORBIDDEN_IN_XML}message`, durationMs: 1 },
  ];
  return buildResult(verdicts, m, contextOf(HOSTILE_ID));
}

export const SAMPLES: ReadonlyArray<readonly [string, () => SubmissionResult]> = [
  ['full score', fullResult],
  ['zero', zeroResult],
  ['a grader error', graderErrorResult],
  ['hidden tests', hiddenResult],
  ['hostile strings', hostileResult],
];
