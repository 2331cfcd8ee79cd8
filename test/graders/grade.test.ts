import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeSubmission } from '../../graders/grade.js';
import { loadManifest } from '../../graders/manifest-schema.js';
import { buildResult, type ResultContext } from '../../results/model.js';

const root = join(import.meta.dirname, '..', '..');
const manifest = loadManifest();
const context = (id: string): ResultContext => ({
  submission: { id, path: join(root, id) },
  backend: { name: 'test', package: 'test', version: '0' },
  versions: {},
  seeds: { training: 1, fixtures: [1001] },
  hiddenFixtures: false,
  timings: { totalMs: 0 },
});

describe('grading the reference and the template', () => {
  it('the reference passes every public test with full marks', async () => {
    const verdicts = await gradeSubmission(join(root, 'reference'));
    const failed = verdicts.filter((v) => v.status !== 'passed');
    expect(failed.map((v) => `${v.id}: ${v.message}`)).toEqual([]);
    const result = buildResult(verdicts, manifest, context('reference'));
    expect(result.score).toBe(100);
    expect(result.maxScore).toBe(100);
    expect(result.graderErrors).toBe(0);
  }, 120_000);

  it('the template fails every graded test with its "not implemented" message and scores 0', async () => {
    const verdicts = await gradeSubmission(join(root, 'student-template'));
    expect(verdicts.map((v) => v.id)).toEqual(
      manifest.tests.filter((t) => t.requires === undefined).map((t) => t.id),
    );
    for (const v of verdicts) {
      expect(v.status, v.id).toBe('failed');
      expect(v.message, v.id).toMatch(/^not implemented: \S+ — see SPEC\.md section "[^"]+"$/);
    }
    expect(buildResult(verdicts, manifest, context('student-template')).score).toBe(0);
  }, 120_000);
});
