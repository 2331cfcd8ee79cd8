import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { problemsWith } from '../../../contract/validate.js';
import { HarnessError } from '../../../course/errors.js';
import { SubmissionResult } from '../../../results/model.js';
import { writeReports } from '../../../results/reporters/registry.js';
import { resultsJsonReporter } from '../../../results/reporters/results-json.js';
import { HOSTILE, HOSTILE_ID, SAMPLES, fullResult, hostileResult, tempDir } from './sample-results.js';

describe('the results.json reporter', () => {
  it.each(SAMPLES)('writes the model as it is, valid against its schema (%s)', (_, make) => {
    const result = make();
    const dir = tempDir();
    const [path] = writeReports(result, dir, ['results-json']);
    expect(path).toBe(join(dir, 'results.json'));
    const text = readFileSync(join(dir, 'results.json'), 'utf8');
    const parsed: unknown = JSON.parse(text);
    expect(problemsWith(SubmissionResult, parsed)).toEqual([]);
    expect(parsed).toEqual(result);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.split('\n').length).toBeGreaterThan(10);
  });

  it('keeps hostile strings exactly', () => {
    const parsed = JSON.parse(resultsJsonReporter.render(hostileResult())) as SubmissionResult;
    expect(parsed.submission.id).toBe(HOSTILE_ID);
    expect(parsed.tests[0]?.name).toBe(HOSTILE);
    expect(parsed.tests[1]?.mistake?.hint).toBe(HOSTILE);
  });

  it('refuses a result that does not match the model, naming the field, and writes nothing', () => {
    const bad = { ...fullResult(), score: -1 };
    expect(() => resultsJsonReporter.render(bad)).toThrow(HarnessError);
    expect(() => resultsJsonReporter.render(bad)).toThrow(/\/score: must be >= 0, got `-1` \(number\)/);
    const dir = tempDir();
    expect(() => writeReports(bad, dir, ['results-json'])).toThrow(/score/);
    expect(existsSync(join(dir, 'results.json'))).toBe(false);
  });
});
