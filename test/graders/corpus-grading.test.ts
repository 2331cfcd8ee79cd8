/**
 * The mutant and correct corpora graded as a TA would (isolated child processes): each mutant
 * loses points only on the tests of the optimizer it breaks and gets its named hint; each correct
 * but differently written submission passes every test of the optimizers it rewrites.
 * Tests that cannot be touched by the overlay (other optimizers' training runs, which use only
 * those optimizers' unchanged files, and the tuning test, which runs no student code) are left out
 * to keep the run short; every other test is graded.
 */
import { cpSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OPTIMIZER_NAMES } from '../../contract/index.js';
import { gradeSubmission } from '../../graders/grade.js';

const root = join(import.meta.dirname, '..', '..');
const work = join(root, '.work', 'corpus-grading');
afterAll(() => rmSync(work, { recursive: true, force: true }));

function materialise(kind: string, id: string): string {
  const dir = join(work, kind, id);
  cpSync(join(root, 'reference'), dir, { recursive: true });
  cpSync(join(root, 'test', 'corpus', kind, id), dir, { recursive: true });
  return dir;
}

const CHEAP = ['nets', 'data', 'training.step', 'training.loop'];
const testsOf = (name: string): string[] => [
  `optimizer.${name}.steps`,
  `optimizer.${name}.closed-loop`,
  `optimizer.${name}.properties`,
  `optimizer.${name}.training`,
];
const onlyFor = (names: readonly string[]): string[] => [
  ...names.flatMap(testsOf),
  ...OPTIMIZER_NAMES.filter((n) => !names.includes(n)).flatMap((n) => [
    `optimizer.${n}.steps`,
    `optimizer.${n}.closed-loop`,
    `optimizer.${n}.properties`,
  ]),
  ...CHEAP,
];

describe('mutants lose points only on the optimizer they break, with its named hint', () => {
  for (const id of readdirSync(join(root, 'test', 'corpus', 'mutants')).sort()) {
    it(
      id,
      async () => {
        const expected = JSON.parse(
          readFileSync(join(root, 'test', 'corpus', 'mutants', id, 'expected.json'), 'utf8'),
        ) as { optimizer: string; mistake: string };
        const verdicts = await gradeSubmission(materialise('mutants', id), {
          only: onlyFor([expected.optimizer]),
        });
        const broken = verdicts.filter((v) => v.status !== 'passed');
        expect(broken.length, JSON.stringify(broken.map((v) => v.id))).toBeGreaterThan(0);
        for (const v of broken)
          expect(v.id.startsWith(`optimizer.${expected.optimizer}.`), `${v.id}: ${v.message}`).toBe(true);
        const named = broken.filter((v) => v.mistake !== undefined);
        expect(named.map((v) => v.mistake!.id)).toContain(expected.mistake);
        expect(named.find((v) => v.mistake!.id === expected.mistake)!.message).toContain(
          'This looks like a known mistake: ',
        );
      },
      60_000,
    );
  }
});

describe('correct but differently written optimizers get full marks', () => {
  for (const id of readdirSync(join(root, 'test', 'corpus', 'correct')).sort()) {
    it(
      id,
      async () => {
        const { optimizers } = JSON.parse(
          readFileSync(join(root, 'test', 'corpus', 'correct', id, 'expected.json'), 'utf8'),
        ) as { optimizers: string[] };
        const verdicts = await gradeSubmission(materialise('correct', id), { only: onlyFor(optimizers) });
        expect(verdicts.filter((v) => v.status !== 'passed').map((v) => `${v.id}: ${v.message}`)).toEqual([]);
      },
      120_000,
    );
  }
});
