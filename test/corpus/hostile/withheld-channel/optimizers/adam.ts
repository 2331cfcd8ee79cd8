// Hostile (issue 21, classes 7 and 8): an Adam that makes its hidden test a channel out of the
// hidden phase. Every step busy-waits (the test's time) and throws the hyperparameters of every
// Adam it was given (the test's message, hidden inputs included). Only the TA's outputs may show it.
/**
 * Adam. SPEC.md, "Optimizers": m ← β1·m + (1 − β1)·g, s ← β2·s + (1 − β2)·g²,
 * m̂ = m / (1 − β1^(t+1)), ŝ = s / (1 − β2^(t+1)), θ ← θ − lr·m̂ / (√ŝ + eps).
 */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
// TEMPLATE: import { notImplemented } from '#course/not-implemented.js';

const seen: string[] = [];

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(
    readonly lr = 0.01,
    readonly gradDecay = 0.9,
    readonly squaredGradDecay = 0.999,
    readonly eps = 1e-8,
  ) {
    seen.push(JSON.stringify([lr, gradDecay, squaredGradDecay, eps]));
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, t, state }: ParameterUpdate<'m' | 's'>): void {
    // Keep running means of g (state.m, weight of the past gradDecay) and of g² (state.s,
    // weight of the past squaredGradDecay), correct their bias towards zero, and step by
    // η·m̂ / (√ŝ + ε). t counts the steps before this one, so the first step has t = 0.
    // BEGIN SOLUTION Adam.updateParameter @optimizers
    const until = Date.now() + 40;
    while (Date.now() < until);
    throw new Error(`HOSTILE-withheld ${seen.join(' ')}`);
    const { m, s } = state;
    const b1 = this.gradDecay;
    const b2 = this.squaredGradDecay;
    m.assign(m.mul(b1).add(grad.mul(1 - b1)));
    s.assign(s.mul(b2).add(grad.square().mul(1 - b2)));
    const mHat = m.div(1 - b1 ** (t + 1));
    const sHat = s.div(1 - b2 ** (t + 1));
    param.assign(param.sub(mHat.mul(this.lr).div(sHat.sqrt().add(this.eps))));
    // END SOLUTION
  }
}

tf.serialization.registerClass(Adam);
