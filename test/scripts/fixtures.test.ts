import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { gradeSubmission } from '../../graders/grade.js';
import { loadFixtureDir, parseFixtureFile } from '../../graders/fixtures.js';
import { HarnessError } from '../../course/errors.js';

const root = join(import.meta.dirname, '..', '..');
const run = (script: string, args: string[]) =>
  execa('npx', ['tsx', script, ...args], { cwd: root, reject: false, env: { OPTNN_PROGRESS: '0' } });

describe('npm run fixtures', () => {
  it('the committed public fixtures are exactly what the script makes', async () => {
    const result = await run('scripts/make-fixtures.ts', ['--check']);
    expect(result.stderr.replace(/npm warn.*\n?/g, ''), result.stdout).toBe('');
    expect(result.exitCode).toBe(0);
  }, 60_000);

  it('makes hidden fixtures byte-identically from a seed, unlike the public ones, and the reference passes them', async () => {
    const a = mkdtempSync(join(tmpdir(), 'hidden-a-'));
    const b = mkdtempSync(join(tmpdir(), 'hidden-b-'));
    for (const dir of [a, b])
      expect(
        (await run('scripts/make-fixtures.ts', ['--hidden', '--seed', '777', '--out', dir])).exitCode,
      ).toBe(0);
    const files = readdirSync(a).sort();
    expect(files).toHaveLength(7);
    for (const f of files) {
      const text = readFileSync(join(a, f), 'utf8');
      expect(readFileSync(join(b, f), 'utf8')).toBe(text);
      expect(text).not.toBe(readFileSync(join(root, 'fixtures', 'public', f), 'utf8'));
    }
    const hidden = loadFixtureDir(a);
    expect(hidden.every((c) => c.visibility === 'hidden')).toBe(true);
    const shapes = new Set(hidden.map((c) => JSON.stringify(c.input.params[0]!.shape)));
    expect(shapes.has('[3,4]') && shapes.size === 1).toBe(false);
    const verdicts = await gradeSubmission(join(root, 'reference'), {
      hiddenDir: a,
      only: ['optimizer.Adam.hidden', 'optimizer.NAGD.hidden'],
    });
    expect(verdicts.map((v) => v.status)).toEqual(['passed', 'passed']);
  }, 120_000);

  it('refuses hidden fixtures without a secret seed, or with the public one', async () => {
    const missing = await run('scripts/make-fixtures.ts', [
      '--hidden',
      '--out',
      mkdtempSync(join(tmpdir(), 'h-')),
    ]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('Hidden fixtures need both --seed');
    const same = await run('scripts/make-fixtures.ts', [
      '--hidden',
      '--seed',
      '1001',
      '--out',
      mkdtempSync(join(tmpdir(), 'h-')),
    ]);
    expect(same.exitCode).toBe(2);
    expect(same.stderr).toContain('to differ from the public seed 1001');
  }, 60_000);
});

describe('loading a fixture', () => {
  const good = readFileSync(join(root, 'fixtures', 'public', 'gd.json'), 'utf8');
  const fault = (text: string): string => {
    try {
      parseFixtureFile(text, 'bad.json');
    } catch (error) {
      expect(error).toBeInstanceOf(HarnessError);
      expect((error as HarnessError).code).toBe('OPTNN_FIXTURE');
      return (error as Error).message;
    }
    throw new Error('no error');
  };

  it('names the file and the field of a malformed fixture', () => {
    expect(fault('{')).toMatch(/^Fixture bad\.json is not valid JSON/);
    const parsed = JSON.parse(good);
    parsed.cases[0].input.args = ['fast'];
    expect(fault(JSON.stringify(parsed))).toContain('/cases/0/input');
    const short = JSON.parse(good);
    short.cases[1].expected[3].weight.pop();
    expect(fault(JSON.stringify(short))).toContain('/cases/1/expected/3/weight: has 11 values, expected 12');
    const missingStep = JSON.parse(good);
    missingStep.cases[0].expected.pop();
    expect(fault(JSON.stringify(missingStep))).toContain('/cases/0/expected: has 23 steps, the input has 24');
  });
});

describe('npm run trajectory', () => {
  it('prints the parameters after every step for an input file, with the reference or a submission', async () => {
    const fixture = JSON.parse(readFileSync(join(root, 'fixtures', 'public', 'sgdwm.json'), 'utf8'));
    const input = { ...fixture.cases[0].input };
    delete input.optimizer;
    const file = join(mkdtempSync(join(tmpdir(), 'traj-')), 'input.json');
    writeFileSync(file, JSON.stringify(input));
    const result = await run('scripts/trajectory.ts', ['--optimizer', 'SGDwM', '--input', file]);
    expect(result.exitCode, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout);
    expect(out.source).toBe('reference');
    expect(out.steps).toHaveLength(24);
    expect(out.steps[23].weight).toHaveLength(12);
    expect(out.steps[23].weight[0]).toBeCloseTo(fixture.cases[0].expected[23].weight[0], 5);
    const template = await run('scripts/trajectory.ts', [
      '--optimizer',
      'SGDwM',
      '--input',
      file,
      '--submission',
      'student-template',
    ]);
    expect(JSON.parse(template.stdout).fault.message).toContain('not implemented: SGDwM.updateParameter');
    const bad = await run('scripts/trajectory.ts', ['--optimizer', 'Adamax', '--input', file]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain(
      'Expected --optimizer to be one of GD, SGDwM, NAGD, SGDwMLD, AdaGrad, RMSProp, Adam',
    );
  }, 60_000);
});
