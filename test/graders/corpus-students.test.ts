/**
 * The student-like corpora (test/corpus/students/), graded as a TA would, with hidden fixtures
 * made in a temporary directory: each correct but differently written part (loops, nets, loaders,
 * steps, optimizers) passes every test it touches; each planted bug, written differently from the
 * known mistakes, fails exactly the tests it should, with the right hint or none, and a message
 * that states the rule; every other graded test passes.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateOrThrow } from '../../contract/validate.js';
import { gradeSubmission } from '../../graders/grade.js';
import { makeHiddenFixtures } from '../helpers/hidden-fixtures.js';

const root = join(import.meta.dirname, '..', '..');
const corpus = join(root, 'test', 'corpus', 'students');
const work = join(root, '.work', 'corpus-students');
let hidden = '';

const Expected = Type.Object(
  {
    graded: Type.Array(Type.String(), { minItems: 1 }),
    /** Failing tests, each with the mistake it must name (null: none). */
    fails: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Null()]))),
    messageMatches: Type.Optional(Type.Record(Type.String(), Type.String())),
  },
  { additionalProperties: false },
);

beforeAll(async () => {
  hidden = mkdtempSync(join(tmpdir(), 'students-hidden-'));
  await makeHiddenFixtures(hidden, 4242);
}, 120_000);
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(hidden, { recursive: true, force: true });
});

function materialise(kind: string, id: string): string {
  const dir = join(work, kind, id);
  cpSync(join(root, 'reference'), dir, { recursive: true });
  cpSync(join(corpus, kind, id), dir, { recursive: true });
  rmSync(join(dir, 'expected.json'));
  return dir;
}

const ids = (kind: string): string[] => readdirSync(join(corpus, kind)).sort();
const expectedOf = (kind: string, id: string) =>
  validateOrThrow(
    Expected,
    JSON.parse(readFileSync(join(corpus, kind, id, 'expected.json'), 'utf8')),
    `${kind}/${id}/expected.json`,
  );

describe('student-like corpora', () => {
  it('hold at least 10 correct variants and 10 planted bugs', () => {
    expect(ids('correct').length).toBeGreaterThanOrEqual(10);
    expect(ids('bugs').length).toBeGreaterThanOrEqual(10);
  });

  describe.each(ids('correct'))('correct: %s', (id) => {
    it('gets full marks on every test it touches, hidden ones included', async () => {
      const { graded } = expectedOf('correct', id);
      const verdicts = await gradeSubmission(materialise('correct', id), { only: graded, hiddenDir: hidden });
      expect(verdicts.map((v) => v.id).sort()).toEqual([...graded].sort());
      expect(verdicts.filter((v) => v.status !== 'passed').map((v) => `${v.id}: ${v.message}`)).toEqual([]);
    }, 120_000);
  });

  describe.each(ids('bugs'))('bug: %s', (id) => {
    it('fails the right tests with the right hint or none, and nothing else', async () => {
      const expected = expectedOf('bugs', id);
      const verdicts = await gradeSubmission(materialise('bugs', id), {
        only: expected.graded,
        hiddenDir: hidden,
      });
      const fails = expected.fails ?? {};
      for (const v of verdicts) {
        const wanted = fails[v.id];
        if (wanted === undefined) expect(v.status, `${v.id}: ${v.message}`).toBe('passed');
        else {
          expect(v.status, `${v.id}: ${v.message}`).toBe('failed');
          expect(v.mistake?.id ?? null, `${v.id}: ${v.message}`).toBe(wanted);
        }
        const pattern = expected.messageMatches?.[v.id];
        if (pattern !== undefined) expect(v.message).toMatch(new RegExp(pattern));
      }
    }, 120_000);
  });
});
