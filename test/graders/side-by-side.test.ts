/**
 * Grading in several children side by side (IsolatedOptions.lanes) decides exactly what grading in
 * one does: same tests, same statuses, same messages, for the reference with hidden fixtures and
 * for planted bugs whose verdicts depend on another test's (a training run not counted because its
 * optimizer fails its step cases; theLoop not charged for its trainingStep), with one training seed.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gradeSubmission } from '../../graders/grade.js';
import type { Verdict } from '../../graders/verdict.js';
import { makeHiddenFixtures } from '../helpers/hidden-fixtures.js';

const root = join(import.meta.dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'side-by-side-'));
let hidden = '';

beforeAll(async () => {
  hidden = join(work, 'hidden');
  await makeHiddenFixtures(hidden, 4243);
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

function withBug(id: string): string {
  const dir = join(work, id);
  cpSync(join(root, 'reference'), dir, { recursive: true });
  cpSync(join(root, 'test', 'corpus', 'students', 'bugs', id), dir, { recursive: true });
  rmSync(join(dir, 'expected.json'));
  return dir;
}

const decided = (verdicts: Verdict[]) => verdicts.map(({ id, status, message }) => ({ id, status, message }));

describe('side by side', () => {
  it.each([
    ['the reference, with hidden fixtures', () => join(root, 'reference'), true],
    ['a GD that does not move (its training run is not counted)', () => withBug('gd-no-op'), false],
    ['a trainingStep that returns the loss after the update', () => withBug('step-loss-after-update'), false],
  ])(
    '%s: two lanes decide what one lane decides',
    async (_what, dir, withHidden) => {
      const options = { trainingSeed: 3, ...(withHidden ? { hiddenDir: hidden } : {}) };
      const one = await gradeSubmission(dir(), { ...options, isolation: { lanes: 1 } });
      const two = await gradeSubmission(dir(), { ...options, isolation: { lanes: 2 } });
      expect(decided(two)).toEqual(decided(one));
      expect(one.some((v) => v.status !== 'passed')).toBe(!withHidden);
      for (const v of two) expect(v.durationMs, v.id).toBeGreaterThanOrEqual(0);
    },
    300_000,
  );
});
