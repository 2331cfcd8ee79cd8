import { describe, expect, it } from 'vitest';
import { AdaGrad } from '../../../reference/optimizers/adagrad.js';
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

describe('reference AdaGrad', () => {
  it('matches hand-computed values over 3 steps: lr 0.01, eps 1e-10', () => {
    // lr 0.01, eps 1e-10: G1 = 0.25, θ1 = 1 − 0.01·0.5/0.5 = 0.99; G2 = 0.3125
    const expected = [
      [0.99, -1.99],
      [0.985527864, -1.99894427],
      [0.99425658, -2.00112645],
    ];
    const steps = runSteps(new AdaGrad(), { p: THETA0 }, GRADS);
    expect(steps).toHaveLength(3);
    steps.forEach((step, i) => assertClose(`step ${i + 1}`, step['p']!, expected[i]!));
  });

  it('matches hand-computed values over 3 steps: lr 0.5, eps 0.1', () => {
    // lr 0.5, eps 0.1: θ1 = 1 − 0.5·0.5/(0.5 + 0.1) = 0.58333
    const expected = [
      [0.583333333, -1.54545455],
      [0.393656889, -1.97352428],
      [0.795055708, -2.07807046],
    ];
    const steps = runSteps(new AdaGrad(0.5, 0.1), { p: THETA0 }, GRADS);
    expect(steps).toHaveLength(3);
    steps.forEach((step, i) => assertClose(`step ${i + 1}`, step['p']!, expected[i]!));
  });

  optimizerProperties('AdaGrad', AdaGrad);
});
