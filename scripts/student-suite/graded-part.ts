/**
 * One part of the public grading in vitest's familiar output: a describe block named after the part
 * (an optimizer, nets, data, training, tuning) and one test per graded test of the manifest, with
 * the verdicts `npm run grade` gives. Only the tests vitest selects are graded: a file filter
 * (`npx vitest run adam`), `-t`, `.only` and `.skip` choose them. The score comes from the results
 * model (session.ts writes the outputs after a run that graded every public test), never from
 * vitest's summary line.
 */
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, it } from 'vitest';
import type { RunnerTestSuite } from 'vitest';
import type { TestResult } from '../../results/model.js';
import { bundleEntry } from '../cli/bundle-launch.mjs';
import type * as SessionModule from './session.js';

// The grader, loaded once for every part (the graded project shares its modules between files).
const session = (await import(
  pathToFileURL(await bundleEntry('student-suite')).href
)) as typeof SessionModule;

export function gradedPart(part: string): void {
  const { gradePart, partTests, prestart, describeFault } = session;
  const tests = partTests(part);
  if (tests.length === 0) throw new Error(`the manifest has no public test in the part ${part}`);
  let outcomes: Map<string, TestResult> | undefined;
  prestart();

  describe(part, () => {
    beforeAll(async ({}, suite: Readonly<RunnerTestSuite>) => {
      try {
        outcomes = await gradePart(selectedIds(suite));
      } catch (error) {
        const text = describeFault(error);
        const fault = new Error(text);
        fault.stack = text;
        throw fault;
      }
    });

    for (const test of tests) {
      const short = test.id.startsWith('optimizer.') ? test.id.split('.').at(-1)! : test.id;
      it(`${short} (${test.points} points): ${test.name} [${test.id}]`, () => {
        const outcome = outcomes?.get(test.id);
        if (outcome === undefined) throw new Error(`[grader error] ${test.id} was not graded`);
        if (outcome.status === 'passed') return;
        const hint =
          outcome.mistake && !outcome.message.includes(outcome.mistake.hint)
            ? `\nHint: ${outcome.mistake.hint}`
            : '';
        const printed = outcome.printed ? `\nYour code printed:\n${outcome.printed}` : '';
        throw new Error(
          `${outcome.status === 'error' ? '[grader error] ' : ''}${outcome.message}${hint}${printed}`,
        );
      });
    }
  });
}

/** The manifest ids of the tests vitest will run in this file (its filters, .only and .skip decide). */
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
