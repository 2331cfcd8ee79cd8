import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { OPTIMIZER_DEFAULTS, OPTIMIZER_FILES, OPTIMIZER_NAMES } from '../../contract/index.js';
import { readdirSync } from 'node:fs';
import * as reference from '../../reference/index.js';

const root = join(import.meta.dirname, '..', '..');

describe('the contract', () => {
  it('is satisfied by the reference and the template: the whole project type-checks (tsc --noEmit)', async () => {
    // test/contract/conformance.ts assigns both modules to `Submission`; tsc fails if either does not fit.
    const result = await execa('npx', ['tsc', '--noEmit', '-p', '.'], { cwd: root, reject: false });
    expect(result.stdout).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it('names seven optimizers, one file each on both sides, with the notebook defaults', () => {
    expect(OPTIMIZER_NAMES).toHaveLength(7);
    for (const side of ['reference', 'student-template']) {
      const files = readdirSync(join(root, side, 'optimizers')).sort();
      expect(files).toEqual(OPTIMIZER_NAMES.map((name) => `${OPTIMIZER_FILES[name]}.ts`).sort());
    }
    for (const name of OPTIMIZER_NAMES) expect(typeof reference[name]).toBe('function');
    expect(OPTIMIZER_DEFAULTS.Adam).toEqual({ lr: 0.01, gradDecay: 0.9, squaredGradDecay: 0.999, eps: 1e-8 });
    expect(OPTIMIZER_DEFAULTS.RMSProp).toEqual({ lr: 0.01, eps: 1e-10, decay: 0.1 });
  });
});
