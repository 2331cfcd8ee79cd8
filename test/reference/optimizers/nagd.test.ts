import { describe, expect, it } from 'vitest';
import { NAGD } from '../../../reference/optimizers/nagd.js';
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

describe('reference NAGD', () => {
  it('matches hand-computed values over 3 steps: lr 0.2, momentum 0.9', () => {
    // lr 0.2, momentum 0.9: v1 = −0.1; θ1 = 1 + 0.9·(−0.1) − 0.1 = 0.81
    const expected = [
      [0.81, -1.62],
      [0.634, -2.218],
      [0.9006, -2.5862],
    ];
    const steps = runSteps(new NAGD(), { p: THETA0 }, GRADS);
    expect(steps).toHaveLength(3);
    steps.forEach((step, i) => assertClose(`step ${i + 1}`, step['p']!, expected[i]!));
  });

  it('matches hand-computed values over 3 steps: lr 0.1, momentum 0.5', () => {
    // lr 0.1, momentum 0.5
    const expected = [
      [0.925, -1.85],
      [0.875, -2.125],
      [1.0125, -2.2375],
    ];
    const steps = runSteps(new NAGD(0.1, 0.5), { p: THETA0 }, GRADS);
    expect(steps).toHaveLength(3);
    steps.forEach((step, i) => assertClose(`step ${i + 1}`, step['p']!, expected[i]!));
  });

  optimizerProperties('NAGD', NAGD);
});
