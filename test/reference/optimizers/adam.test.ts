import { describe, expect, it } from 'vitest';
import { Adam } from '../../../reference/optimizers/adam.js';
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

describe('reference Adam', () => {
  it('matches hand-computed values over 3 steps: lr 0.01, β1 0.9, β2 0.999, eps 1e-8', () => {
    // lr 0.01, β1 0.9, β2 0.999, eps 1e-8: m̂1 = g, ŝ1 = g², θ1 = θ − 0.01·sign(g)
    const expected = [
      [0.99, -1.99],
      [0.980678204, -1.99366104],
      [0.982741774, -1.99781755],
    ];
    const steps = runSteps(new Adam(), { p: THETA0 }, GRADS);
    expect(steps).toHaveLength(3);
    steps.forEach((step, i) => assertClose(`step ${i + 1}`, step['p']!, expected[i]!));
  });

  it('matches hand-computed values over 3 steps: lr 0.5, β1 0.5, β2 0.75, eps 0.1', () => {
    // lr 0.5, β1 0.5, β2 0.75, eps 0.1
    const expected = [
      [0.583333333, -1.54545455],
      [0.234632382, -1.83157611],
      [0.497044932, -2.08962785],
    ];
    const steps = runSteps(new Adam(0.5, 0.5, 0.75, 0.1), { p: THETA0 }, GRADS);
    expect(steps).toHaveLength(3);
    steps.forEach((step, i) => assertClose(`step ${i + 1}`, step['p']!, expected[i]!));
  });

  optimizerProperties('Adam', Adam);
});
