/**
 * What a submission prints reaches the student for a visible test (terminal, report, results.json),
 * capped and neutralised, and never for a hidden test, whose output could carry its inputs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeSubmission } from '../../graders/grade.js';
import { loadManifest } from '../../graders/manifest-schema.js';
import { buildResult } from '../../results/model.js';
import { makeHiddenFixtures } from '../helpers/hidden-fixtures.js';
import { materialise, PROJECT_ROOT, TEST_LIMITS } from '../helpers/materialise.js';

describe("the student's prints", () => {
  it('are kept for a visible test and dropped for a hidden one', async () => {
    const dir = materialise('printed', 'adagrad-prints');
    const file = join(dir, 'optimizers', 'adagrad.ts');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        '    const { sumSquares } = state;',
        '    const { sumSquares } = state;\n    console.log(`\\u001b[31madagrad saw ${Array.from(grad.dataSync()).join(",")}`);',
      ),
    );
    const hidden = join(PROJECT_ROOT, '.work', 'printed', 'hidden');
    await makeHiddenFixtures(hidden, 4242);
    const only = ['optimizer.AdaGrad.steps', 'optimizer.AdaGrad.hidden'];
    const verdicts = await gradeSubmission(dir, {
      only,
      hiddenDir: hidden,
      isolation: { limits: TEST_LIMITS },
    });
    const visible = verdicts.find((v) => v.id === 'optimizer.AdaGrad.steps')!;
    const secret = verdicts.find((v) => v.id === 'optimizer.AdaGrad.hidden')!;
    expect(visible.printed).toMatch(/adagrad saw /);
    expect(secret.printed).toBeUndefined();
    const manifest = loadManifest();
    const result = buildResult(
      verdicts,
      { ...manifest, tests: manifest.tests.filter((t) => only.includes(t.id)) },
      {
        submission: { id: 'adagrad-prints', path: dir },
        backend: { name: 'wasm', package: 'p', version: 'v' },
        versions: {},
        seeds: { training: 1, fixtures: [1] },
        hiddenFixtures: true,
        timings: { totalMs: 0 },
      },
    );
    const shown = result.tests.find((t) => t.id === 'optimizer.AdaGrad.steps')!;
    expect(shown.printed).toMatch(/adagrad saw /);
    expect(shown.printed).not.toContain('\u001b');
    expect(result.tests.find((t) => t.id === 'optimizer.AdaGrad.hidden')!.printed).toBeUndefined();
  }, 120_000);
});
