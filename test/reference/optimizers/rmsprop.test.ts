import { describe, expect, it } from 'vitest';
import { RMSProp } from '../../../reference/optimizers/rmsprop.js';
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

describe('reference RMSProp', () => {
  it('matches hand-computed values over 3 steps: lr 0.01, eps 1e-10, decay 0.1', () => {
    // lr 0.01, eps 1e-10, decay 0.1: S1 = 0.9·0.25 = 0.225, θ1 = 1 − 0.005/√0.225
    const expected = [
      [0.989459074, -1.98945907],
      [0.980550366, -1.99987066],
      [0.991045476, -2.00635815],
    ];
    const steps = runSteps(new RMSProp(), { p: THETA0 }, GRADS);
    expect(steps).toHaveLength(3);
    steps.forEach((step, i) => assertClose(`step ${i + 1}`, step['p']!, expected[i]!));
  });

  it('matches hand-computed values over 3 steps: lr 0.5, eps 0.1, decay 0.9', () => {
    // lr 0.5, eps 0.1, decay 0.9: S1 = 0.1·0.25 = 0.025
    const expected = [
      [0.0314352832, -0.798734633],
      [-0.432286381, -2.04873463],
      [0.667125354, -2.36816551],
    ];
    const steps = runSteps(new RMSProp(0.5, 0.1, 0.9), { p: THETA0 }, GRADS);
    expect(steps).toHaveLength(3);
    steps.forEach((step, i) => assertClose(`step ${i + 1}`, step['p']!, expected[i]!));
  });

  optimizerProperties('RMSProp', RMSProp);
});
