import { describe, expect, it } from 'vitest';
import { SGDwM } from '../../../reference/optimizers/sgdwm.js';
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

describe('reference SGDwM', () => {
  it('matches hand-computed values over 3 steps: lr 0.2, momentum 0.9', () => {
    // lr 0.2, momentum 0.9: v1 = −0.2·0.5 = −0.1 → 0.9; v2 = 0.9·(−0.1) − 0.2·0.25 = −0.14 → 0.76
    const expected = [
      [0.9, -1.8],
      [0.76, -2.02],
      [0.834, -2.318],
    ];
    const steps = runSteps(new SGDwM(), { p: THETA0 }, GRADS);
    expect(steps).toHaveLength(3);
    steps.forEach((step, i) => assertClose(`step ${i + 1}`, step['p']!, expected[i]!));
  });

  it('matches hand-computed values over 3 steps: lr 0.1, momentum 0.5', () => {
    // lr 0.1, momentum 0.5
    const expected = [
      [0.95, -1.9],
      [0.9, -2.05],
      [0.975, -2.175],
    ];
    const steps = runSteps(new SGDwM(0.1, 0.5), { p: THETA0 }, GRADS);
    expect(steps).toHaveLength(3);
    steps.forEach((step, i) => assertClose(`step ${i + 1}`, step['p']!, expected[i]!));
  });

  optimizerProperties('SGDwM', SGDwM);
});
