import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { buildTemplate, templateOf } from '../../services/authoring/template.js';

const root = join(import.meta.dirname, '..', '..');

describe('the student template', () => {
  it('is exactly what `npm run template` makes from the reference (run as a real command)', async () => {
    const result = await execa('npx', ['tsx', 'scripts/make-template.ts', '--check'], {
      cwd: root,
      reject: false,
    });
    expect(result.stderr.replace(/npm warn.*\n?/g, '')).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/matches reference/);
  });

  it('contains none of the reference solution lines', () => {
    const files = buildTemplate(join(root, 'reference'));
    const parts = files.flatMap((f) => f.solutions.map((s) => s.part));
    expect(parts).toEqual(
      expect.arrayContaining([
        'GD.updateParameter',
        'SGDwM.updateParameter',
        'NAGD.updateParameter',
        'SGDwMLD.updateParameter',
        'AdaGrad.updateParameter',
        'RMSProp.updateParameter',
        'Adam.updateParameter',
        'getOneFCNet',
        'getGarmentClassifier',
        'makeLoaders',
        'lossFn',
        'trainingStep',
        'theLoop',
        'tuning.json',
      ]),
    );
    for (const file of files) {
      const template = readFileSync(join(root, 'student-template', file.path), 'utf8');
      for (const solution of file.solutions) {
        for (const line of solution.lines) {
          const code = line.trim();
          // A bare call opener the formatter wrapped (`tf.layers.conv2d({`) names an API, not a solution.
          if (code.length < 12 || code.startsWith('//') || /^[\w.]+\(\{?$/.test(code)) continue;
          expect(template.includes(code), `${file.path} leaks "${code}" of ${solution.part}`).toBe(false);
        }
      }
    }
  });

  it('turns markers into not-implemented errors and template-only lines', () => {
    const source = [
      "// TEMPLATE: import { notImplemented } from './x.js';",
      'export function f(): number {',
      '  // BEGIN SOLUTION f @loop',
      '  return 42;',
      '  // END SOLUTION',
      '}',
    ].join('\n');
    const { text, solutions } = templateOf(source, 'f.ts');
    expect(text).toContain("import { notImplemented } from './x.js';");
    expect(text).toContain("  throw notImplemented('f', 'The loop');");
    expect(text).not.toContain('42');
    expect(solutions).toEqual([{ part: 'f', section: 'The loop', lines: ['  return 42;'] }]);
  });

  it('refuses broken markers, naming the file and line', () => {
    expect(() => templateOf('// BEGIN SOLUTION f @loop\nx', 'a.ts')).toThrow(
      /a\.ts:1: BEGIN SOLUTION is never closed/,
    );
    expect(() => templateOf('x\n// END SOLUTION', 'b.ts')).toThrow(/b\.ts:2: END SOLUTION without a BEGIN/);
    expect(() => templateOf('// BEGIN SOLUTION f @nowhere\n// END SOLUTION', 'c.ts')).toThrow(
      /unknown section @nowhere/,
    );
  });
});
