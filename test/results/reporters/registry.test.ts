import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../../course/errors.js';
import {
  REPORTERS,
  REPORTER_NAMES,
  reportersNamed,
  writeReports,
} from '../../../results/reporters/registry.js';
import { fullResult, tempDir } from './sample-results.js';

describe('the reporter registry', () => {
  it('maps each name to the reporter of that name, each writing its own file', () => {
    expect(REPORTER_NAMES).toEqual(['results-json', 'gradescope', 'junit', 'markdown', 'csv']);
    for (const [name, reporter] of Object.entries(REPORTERS)) expect(reporter.name).toBe(name);
    const files = Object.values(REPORTERS).map((r) => r.fileName);
    expect(new Set(files).size).toBe(files.length);
  });

  it('writes every report by default, returns the paths and leaves no temporary file', () => {
    const dir = join(tempDir(), 'nested', 'out');
    const result = fullResult();
    const paths = writeReports(result, dir);
    expect(paths).toEqual(
      ['results.json', 'gradescope.json', 'junit.xml', 'summary.md', 'grades.csv'].map((f) => join(dir, f)),
    );
    for (const name of REPORTER_NAMES) {
      const reporter = REPORTERS[name];
      expect(readFileSync(join(dir, reporter?.fileName ?? '?'), 'utf8')).toBe(reporter?.render(result));
    }
    expect(readdirSync(dir).sort()).toEqual([
      'grades.csv',
      'gradescope.json',
      'junit.xml',
      'results.json',
      'summary.md',
    ]);
  });

  it('replaces an existing file whole', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'junit.xml'), 'x'.repeat(100_000));
    writeReports(fullResult(), dir, ['junit']);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toBe(REPORTERS['junit']?.render(fullResult()));
  });

  it("writes a report under another name on request, e.g. Gradescope's results.json", () => {
    const dir = tempDir();
    expect(writeReports(fullResult(), dir, ['gradescope'], { gradescope: 'results.json' })).toEqual([
      join(dir, 'results.json'),
    ]);
    expect(JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))).toHaveProperty(
      'stdout_visibility',
      'hidden',
    );
    expect(() =>
      writeReports(fullResult(), dir, ['results-json', 'gradescope'], { gradescope: 'results.json' }),
    ).toThrow(
      /Expected the `reporters` option to be reporters that write different files, got two that both write/,
    );
    expect(() => writeReports(fullResult(), dir, ['junit'], { junit: '../escape.xml' })).toThrow(
      'Expected the `fileNames.junit` option to be a plain file name, got `"../escape.xml"` (string)',
    );
  });

  it('an unknown name is a HarnessError naming the option, the known names and what came; nothing is written', () => {
    const dir = tempDir();
    expect(() => writeReports(fullResult(), dir, ['junit', 'html'])).toThrow(HarnessError);
    expect(() => reportersNamed(['toString'])).toThrow(
      'Expected the `reporters` option to be a list of `results-json`, `gradescope`, `junit`, `markdown`, `csv`, got `"toString"` (string) among them',
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('renders every report before writing any, so a failing reporter leaves nothing behind', () => {
    const dir = tempDir();
    expect(() => writeReports({ ...fullResult(), maxScore: -1 }, dir, ['junit', 'results-json'])).toThrow(
      /maxScore/,
    );
    expect(existsSync(join(dir, 'junit.xml'))).toBe(false);
  });
});
