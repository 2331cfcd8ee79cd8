/**
 * The public grading in vitest's familiar output: one test per graded test of the manifest, with
 * the same verdicts `npm run grade` gives, and the same outputs written (results.json, report.html,
 * …) on every run. The score comes from the results model, never from this runner's summary line;
 * the score reporter prints it last.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import { selectBackend } from '../../course/backend.js';
import { gradeOne } from '../lib/grade-one.js';
import { suiteOutputDir, suiteSubmissionDir } from './location.js';

const dir = suiteSubmissionDir();
tf.env().set('PROD', true);
const backend = await selectBackend();
const { result } = await gradeOne(dir, { out: suiteOutputDir(), backend, isolation: {} });

describe(`public tests of ${dir}`, () => {
  for (const test of result.tests) {
    it(`${test.id} (${test.maxPoints} points): ${test.name}`, () => {
      if (test.status === 'passed') return;
      const hint =
        test.mistake && !test.message.includes(test.mistake.hint) ? `\nHint: ${test.mistake.hint}` : '';
      throw new Error(`${test.status === 'error' ? '[grader error] ' : ''}${test.message}${hint}`);
    });
  }
});
