import { describe, expect, it } from 'vitest';
import { SGDwMLD } from '../../../reference/optimizers/sgdwmld.js';
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

describe('reference SGDwMLD', () => {
  it('matches hand-computed values over 3 steps: lr 0.2, momentum 0.9, decay 0.01', () => {
    // lr 0.2, momentum 0.9, decay 0.01: lr_0 = 0.2, lr_1 = 0.2/1.01; v2 = −0.09 − 0.25·0.2/1.01
    const expected = [
      [0.9, -1.8],
      [0.76049505, -2.0160396],
      [0.831019025, -2.30851446],
    ];
    const steps = runSteps(new SGDwMLD(), { p: THETA0 }, GRADS);
    expect(steps).toHaveLength(3);
    steps.forEach((step, i) => assertClose(`step ${i + 1}`, step['p']!, expected[i]!));
  });

  it('matches hand-computed values over 3 steps: lr 0.1, momentum 0.5, decay 0.5', () => {
    // lr 0.1, momentum 0.5, decay 0.5: lr_t = 0.1, 0.0667, 0.05
    const expected = [
      [0.95, -1.9],
      [0.908333333, -1.98333333],
      [0.9375, -2.05],
    ];
    const steps = runSteps(new SGDwMLD(0.1, 0.5, 0.5), { p: THETA0 }, GRADS);
    expect(steps).toHaveLength(3);
    steps.forEach((step, i) => assertClose(`step ${i + 1}`, step['p']!, expected[i]!));
  });

  optimizerProperties('SGDwMLD', SGDwMLD);
});
