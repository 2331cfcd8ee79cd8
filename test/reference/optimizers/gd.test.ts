import { describe, expect, it } from 'vitest';
import { GD } from '../../../reference/optimizers/gd.js';
import { assertClose } from '../../helpers/close.js';
import { optimizerProperties } from '../../helpers/optimizer-properties.js';
import { runSteps } from '../../helpers/optimizer-steps.js';

// θ0 = [1, −2]; gradients [0.5, −1], [0.25, 2], [−1, 0.5]. Expected values worked out by hand
// (in float64) from SPEC.md's update rule.
const THETA0 = [1, -2];
const GRADS = [
  [0.5, -1],
  [0.25, 2],
  [-1, 0.5],
].map((g) => ({ p: g }));

describe('reference GD', () => {
  it('matches hand-computed values over 3 steps: lr 0.2 (default)', () => {
    // lr 0.2 (default): θ ← θ − 0.2·g; step 1: 1 − 0.2·0.5 = 0.9, −2 − 0.2·(−1) = −1.8
    const expected = [
      [0.9, -1.8],
      [0.85, -2.2],
      [1.05, -2.3],
    ];
    const steps = runSteps(new GD(), { p: THETA0 }, GRADS);
    expect(steps).toHaveLength(3);
    steps.forEach((step, i) => assertClose(`step ${i + 1}`, step['p']!, expected[i]!));
  });

  it('matches hand-computed values over 3 steps: lr 0.05', () => {
    // lr 0.05
    const expected = [
      [0.975, -1.95],
      [0.9625, -2.05],
      [1.0125, -2.075],
    ];
    const steps = runSteps(new GD(0.05), { p: THETA0 }, GRADS);
    expect(steps).toHaveLength(3);
    steps.forEach((step, i) => assertClose(`step ${i + 1}`, step['p']!, expected[i]!));
  });

  optimizerProperties('GD', GD);
});
