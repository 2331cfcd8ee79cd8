/**
 * scripts/cli/command-bundle.ts, scripts/cli/bundle-launch.mjs and scripts/run.mjs: `npm run grade` runs the grading command from
 * a prebuilt bundle. The bundle grades as the sources do (the TA-only modules bundled with it),
 * lives where no submission's process may read, and is rebuilt when a file it was made from
 * changes or an optional module it lacked appears.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { inputsKey, currentManifest } from '../../../scripts/cli/bundle-launch.mjs';
import { COMMANDS_DIR, manifestPath } from '../../../scripts/cli/command-bundle.js';
import { GRADE_COMMAND } from '../../../services/grading/grade-command.js';
import { loadFixtureDir } from '../../../graders/fixtures.js';
import { PROJECT_ROOT } from '../../helpers/materialise.js';

const work = join(PROJECT_ROOT, '.work', 'command-bundle-test');
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  rmSync(manifestPath('stale-test'), { force: true });
});

describe('the grading command from its bundle', () => {
  it('grades the reference with full marks, the fresh cases and the known mistakes bundled with it', async () => {
    const out = join(work, 'out');
    const run = await execa(process.execPath, [...GRADE_COMMAND, 'reference', '--out', out], {
      cwd: PROJECT_ROOT,
      env: { OPTNN_PROGRESS: '0' },
      reject: false,
      all: true,
    });
    expect(run.exitCode, run.all).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'reference', 'results.json'), 'utf8')) as {
      score: number;
      maxScore: number;
      tests: Array<{ id: string; status: string; message: string }>;
    };
    expect(result.score).toBe(result.maxScore);
    // Each optimizer's step test ran its public teacher-forced cases and one fresh case, which only the bundled reference can make.
    const publicCases = loadFixtureDir(join(PROJECT_ROOT, 'fixtures', 'public'));
    for (const name of ['GD', 'Adam']) {
      const count = publicCases.filter(
        (c) => c.input.optimizer === name && c.input.kind === 'teacher-forced',
      ).length;
      const steps = result.tests.find((t) => t.id === `optimizer.${name}.steps`);
      expect(steps?.message).toBe(`${name}: ${count + 1} cases agree with the reference at every step`);
    }
    const manifest = currentManifest('grade');
    expect(manifest).toBeDefined();
    // This copy has both TA-only modules: they are among the bundle's inputs, none is counted absent.
    expect(manifest!.inputs).toEqual(
      expect.arrayContaining([
        join(PROJECT_ROOT, 'reference', 'index.ts'),
        join(PROJECT_ROOT, 'graders', 'mistakes', 'registry.ts'),
      ]),
    );
    expect(manifest!.absent).toEqual([]);
    // Outside node_modules, which the submission's process may read: the TA's bundle holds the reference.
    expect(relative(join(PROJECT_ROOT, 'node_modules'), manifest!.entry).startsWith('..')).toBe(true);
    expect(relative(COMMANDS_DIR, manifest!.entry).startsWith('..')).toBe(false);
  }, 180_000);

  it('keys the inputs by their paths and contents, a missing file included', () => {
    mkdirSync(work, { recursive: true });
    const a = join(work, 'a.ts');
    writeFileSync(a, 'export const a = 1;\n');
    const inputs = [a, join(work, 'missing.ts')];
    const key = inputsKey(inputs);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(inputsKey([a])).not.toBe(key);
    writeFileSync(a, 'export const a = 2;\n');
    expect(inputsKey(inputs)).not.toBe(key);
  });

  it('counts a bundle stale when an input changes or an absent optional module appears', () => {
    mkdirSync(work, { recursive: true });
    const input = join(work, 'input.ts');
    const entry = join(work, 'entry.mjs');
    const optional = join(work, 'optional.ts');
    writeFileSync(input, 'export const x = 1;\n');
    writeFileSync(entry, '');
    rmSync(optional, { force: true });
    const manifest = {
      schemaVersion: 1,
      command: 'stale-test',
      entry,
      inputs: [input],
      absent: [optional],
      key: inputsKey([input]),
    };
    mkdirSync(COMMANDS_DIR, { recursive: true });
    writeFileSync(manifestPath('stale-test'), JSON.stringify(manifest));
    expect(currentManifest('stale-test')?.entry).toBe(entry);
    writeFileSync(input, 'export const x = 2;\n');
    expect(currentManifest('stale-test')).toBeUndefined();
    writeFileSync(input, 'export const x = 1;\n');
    expect(currentManifest('stale-test')?.entry).toBe(entry);
    writeFileSync(optional, 'export {};\n');
    expect(currentManifest('stale-test')).toBeUndefined();
    rmSync(optional);
    rmSync(entry);
    expect(currentManifest('stale-test')).toBeUndefined();
  });
});
