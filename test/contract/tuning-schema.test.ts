import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTuningChoice } from '../../contract/tuning-schema.js';

const root = join(import.meta.dirname, '..', '..');
const dirWith = (text: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'tuning-'));
  writeFileSync(join(dir, 'tuning.json'), text);
  return dir;
};

describe('tuning.json', () => {
  it('the reference declares a valid choice', () => {
    const read = readTuningChoice(join(root, 'reference'));
    expect(read.ok).toBe(true);
  });

  it('the template holds the placeholder, read as not implemented', () => {
    expect(readTuningChoice(join(root, 'student-template'))).toEqual({
      ok: false,
      reason: 'placeholder',
      message: 'not implemented: tuning.json — see SPEC.md section "Parts a student implements (tuning)"',
    });
  });

  it("a missing, unparsable or invalid file is the student's problem, said precisely", () => {
    expect(readTuningChoice(mkdtempSync(join(tmpdir(), 'tuning-')))).toMatchObject({
      ok: false,
      reason: 'missing',
    });
    expect(readTuningChoice(dirWith('{ nope'))).toMatchObject({
      ok: false,
      reason: 'invalid',
      message: expect.stringMatching(/not valid JSON/),
    });
    const read = readTuningChoice(
      dirWith(
        JSON.stringify({
          optimizer: 'GD',
          hyperparameters: { lr: -1 },
          batchSize: 64,
          claimed: { valLoss: 0.3, testAccuracy: 0.9 },
        }),
      ),
    );
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.message).toMatch(/\/optimizer: /);
      expect(read.message).toContain('/hyperparameters/lr: must be >= 0, got `-1` (number)');
    }
  });
});
