/**
 * The public grading in vitest's familiar output: one describe block per part (each optimizer,
 * nets, data, training, tuning) and one test per graded test of the manifest, with the verdicts
 * `npm run grade` gives. Only the tests vitest selects are graded (`npm test -- -t Adam` grades
 * Adam's four tests, in a few seconds); the outputs (results.json, report.html, …) are written
 * after a full run only, and the score reporter says when a run was partial. The score comes from
 * the results model, never from this runner's summary line.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import type { RunnerTestSuite } from 'vitest';
import { selectBackend } from '../../course/backend.js';
import { loadManifest } from '../../graders/manifest-schema.js';
import { HarnessError } from '../../course/errors.js';
import { gradeAndWrite } from '../../services/grading/grade-and-write.js';
import { gradeSelected, partOf, type SuiteTestOutcome } from './selection.js';
import { recordRun } from './run-note.js';
import { suiteOutputDir, suiteSubmissionDir } from './location.js';

const dir = suiteSubmissionDir();
const manifest = loadManifest();
const publicTests = manifest.tests.filter((t) => t.requires === undefined);
const parts = [...new Set(publicTests.map((t) => partOf(t.id)))];
let verdicts: Map<string, SuiteTestOutcome> | undefined;

describe(`public tests of ${dir}`, () => {
  beforeAll(async ({}, suite: Readonly<RunnerTestSuite>) => {
    tf.env().set('PROD', true);
    const selected = selectedIds(suite);
    try {
      if (selected.length === publicTests.length) {
        const backend = await selectBackend();
        const { result } = await gradeAndWrite(dir, { out: suiteOutputDir(), backend, isolation: {} });
        verdicts = new Map(result.tests.map((t) => [t.id, t]));
        recordRun({ partial: false, graded: selected.length, total: publicTests.length });
      } else {
        verdicts = await gradeSelected(dir, selected);
        recordRun({ partial: true, graded: selected.length, total: publicTests.length });
      }
    } catch (error) {
      // A harness fault (no sandbox that can run the child here, a broken install) is one line that
      // says what to do, never a stack trace: it is not the student's code.
      const text = `${error instanceof HarnessError ? `error [${error.code}]: ${error.message}` : String(error)} (a fault of the grader or of this machine's setup, not of your code)`;
      const fault = new Error(text);
      fault.stack = text;
      throw fault;
    }
  });

  for (const part of parts) {
    describe(part, () => {
      for (const test of publicTests.filter((t) => partOf(t.id) === part)) {
        const short = test.id.startsWith('optimizer.') ? test.id.split('.').at(-1)! : test.id;
        it(`${short} (${test.points} points): ${test.name} [${test.id}]`, () => {
          const verdict = verdicts?.get(test.id);
          if (verdict === undefined) throw new Error(`[grader error] ${test.id} was not graded`);
          if (verdict.status === 'passed') return;
          const hint =
            verdict.mistake && !verdict.message.includes(verdict.mistake.hint)
              ? `\nHint: ${verdict.mistake.hint}`
              : '';
          const printed = verdict.printed ? `\nYour code printed:\n${verdict.printed}` : '';
          throw new Error(
            `${verdict.status === 'error' ? '[grader error] ' : ''}${verdict.message}${hint}${printed}`,
          );
        });
      }
    });
  }
});

/** The manifest ids of the tests vitest will run (its -t filter, .only and .skip decide). */
function selectedIds(suite: Readonly<RunnerTestSuite>): string[] {
  const ids: string[] = [];
  const walk = (s: Readonly<RunnerTestSuite>): void => {
    for (const task of s.tasks) {
      if (task.type === 'suite') walk(task);
      else if (task.mode === 'run' || task.mode === 'only') {
        const id = /\[([^\]]+)\]$/.exec(task.name)?.[1];
        if (id !== undefined) ids.push(id);
      }
    }
  };
  walk(suite);
  return ids;
}
