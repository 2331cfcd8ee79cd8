/**
 * runner/build.ts: the bundle a submission's child runs. The allowed packages load with `require`
 * (no ES import of a CommonJS package, which makes Node lex all of tfjs in every child), and a
 * submission sees each of them as an ES import would: its exports by name, on the namespace, and
 * the whole as the default.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gradeSubmission } from '../../graders/grade.js';
import { buildSubmission } from '../../runner/build.js';
import { materialise, PROJECT_ROOT, TEST_LIMITS } from '../helpers/materialise.js';

const dir = materialise('build', 'import-forms');
// GD, written with every form of import a student may use; its module throws at load when any form differs.
writeFileSync(
  join(dir, 'optimizers', 'gd.ts'),
  readFileSync(join(dir, 'optimizers', 'gd.ts'), 'utf8').replace(
    "import * as tf from '@tensorflow/tfjs';",
    [
      "import * as tf from '@tensorflow/tfjs';",
      "import tfDefault, { tidy, serialization } from '@tensorflow/tfjs';",
      "import * as core from '@tensorflow/tfjs-core';",
      'if (tfDefault.tidy !== tf.tidy || tidy !== tf.tidy || serialization !== tf.serialization || core.tidy !== tf.tidy)',
      "  throw new Error('an import form of @tensorflow/tfjs differs');",
    ].join('\n'),
  ),
);
const out = join(PROJECT_ROOT, '.work', 'build', 'bundle');

afterAll(() => rmSync(join(PROJECT_ROOT, '.work', 'build'), { recursive: true, force: true }));

describe('buildSubmission', () => {
  it('bundles no ES import of an allowed package by name', async () => {
    rmSync(out, { recursive: true, force: true });
    await buildSubmission(dir, out);
    const code = readdirSync(out)
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => readFileSync(join(out, f), 'utf8'))
      .join('\n');
    expect(code).toMatch(/createRequire\("file:\/\/[^"]*\/index\.mjs"\)/);
    expect(code).not.toMatch(/from\s*["']@tensorflow\/tfjs(-core)?["']/);
    expect(code).not.toMatch(/import\(\s*["']@tensorflow\/tfjs-backend-wasm["']\s*\)/);
  });

  it('gives the submission the same tfjs through every form of import, and grades it', async () => {
    const verdicts = await gradeSubmission(dir, {
      only: ['optimizer.GD.steps', 'optimizer.GD.closed-loop'],
      isolation: { limits: TEST_LIMITS },
    });
    expect(verdicts.map((v) => [v.id, v.status, v.message])).toEqual([
      ['optimizer.GD.steps', 'passed', expect.stringContaining('agree with the reference')],
      ['optimizer.GD.closed-loop', 'passed', expect.stringContaining('agree with the reference')],
    ]);
  }, 120_000);
});

describe("the course's @tensorflow/tfjs", () => {
  it('is one module: a file below it is refused at the build, naming the import and what to write', async () => {
    const deep = materialise('build', 'tfjs-deep-import');
    const gd = join(deep, 'optimizers', 'gd.ts');
    writeFileSync(gd, `import '@tensorflow/tfjs/dist/index.js';\n${readFileSync(gd, 'utf8')}`);
    await expect(buildSubmission(deep, join(PROJECT_ROOT, '.work', 'build', 'deep'))).rejects.toThrow(
      "optimizers/gd.ts imports @tensorflow/tfjs/dist/index.js; the course's @tensorflow/tfjs is one module with no files to import from: import '@tensorflow/tfjs' itself",
    );
  });
});

describe('the build is bounded', () => {
  it("is cancelled at its deadline, and refuses an output over its cap, as the submission's failure", async () => {
    const bounded = materialise('build', 'bounded');
    await expect(
      buildSubmission(bounded, join(PROJECT_ROOT, '.work', 'build', 'late'), {
        deadlineMs: 1,
        maxOutputBytes: 64 * 1024 * 1024,
      }),
    ).rejects.toThrow(/the submission's build took longer than 0.001 s/);
    await expect(
      buildSubmission(bounded, join(PROJECT_ROOT, '.work', 'build', 'large'), {
        deadlineMs: 30_000,
        maxOutputBytes: 1000,
      }),
    ).rejects.toThrow(/the submission's build is \d+ bytes, over the limit of 1000/);
    expect(readdirSync(join(PROJECT_ROOT, '.work', 'build')).includes('large')).toBe(false);
  }, 60_000);
});
