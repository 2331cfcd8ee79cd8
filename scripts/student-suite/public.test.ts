/**
 * The public grading in vitest's familiar output: one test per graded test of the manifest, with
 * the same verdicts `npm run grade` gives, and the same outputs written (results.json, report.html,
 * …) on every run. The score comes from the results model, never from this runner's summary line;
 * the score reporter prints it last.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import { selectBackend } from '../../course/backend.js';
import { HarnessError } from '../../course/errors.js';
import { gradeOne } from '../lib/grade-one.js';
import { suiteOutputDir, suiteSubmissionDir } from './location.js';

const dir = suiteSubmissionDir();
tf.env().set('PROD', true);
const backend = await selectBackend();
// A harness fault (no sandbox that can run the child here, a broken install) is one failed entry
// with one line that says what to do, never a stack trace: it is not the student's code.
const graded = await gradeOne(dir, { out: suiteOutputDir(), backend, isolation: {} }).catch(
  (error: unknown) => {
    const text = error instanceof HarnessError ? `error [${error.code}]: ${error.message}` : String(error);
    return `${text} (a fault of the grader or of this machine's setup, not of your code)`;
  },
);

if (typeof graded === 'string') {
  describe(`public tests of ${dir}`, () => {
    it('could not be graded', () => {
      const fault = new Error(graded);
      fault.stack = graded;
      throw fault;
    });
  });
}

describe(`public tests of ${dir}`, () => {
  for (const test of typeof graded === 'string' ? [] : graded.result.tests) {
    it(`${test.id} (${test.maxPoints} points): ${test.name}`, () => {
      if (test.status === 'passed') return;
      const hint =
        test.mistake && !test.message.includes(test.mistake.hint) ? `\nHint: ${test.mistake.hint}` : '';
      throw new Error(`${test.status === 'error' ? '[grader error] ' : ''}${test.message}${hint}`);
    });
  }
});
