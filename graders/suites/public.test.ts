/**
 * The public grading in vitest's familiar output: one test per graded test of the manifest, with
 * the same verdicts `npm run grade` gives. The score comes from the results model, never from
 * this runner's summary line.
 */
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, it } from 'vitest';
import { neutralise } from '../../contract/untrusted-text.js';
import { selectBackend } from '../../course/backend.js';
import { gradeSubmission } from '../grade.js';
import { loadManifest } from '../manifest-schema.js';

const dir = resolve(process.env['OPTNN_SUBMISSION'] ?? 'submission');
tf.env().set('PROD', true);
await selectBackend();
const manifest = loadManifest();
const verdicts = new Map((await gradeSubmission(dir)).map((v) => [v.id, v]));

describe(`public tests of ${dir}`, () => {
  for (const test of manifest.tests.filter((t) => t.requires === undefined)) {
    it(`${test.id} (${test.points} points): ${test.name}`, () => {
      const verdict = verdicts.get(test.id);
      if (verdict === undefined) throw new Error('grader error: no verdict');
      if (verdict.status === 'passed') return;
      const hint = verdict.mistake && !verdict.message.includes(verdict.mistake.hint) ? `\nHint: ${verdict.mistake.hint}` : '';
      // The submission's text reaches the terminal neutralised, as it does in every report.
      throw new Error(neutralise(`${verdict.status === 'error' ? '[grader error] ' : ''}${verdict.message}${hint}`));
    });
  }
});
