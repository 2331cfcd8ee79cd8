// Student template, generated from the reference by `npm run template`. Implement every part
// that throws "not implemented"; SPEC.md (the assignment) defines each one.
/**
 * Adam. SPEC.md, "Optimizers": m ← β1·m + (1 − β1)·g, s ← β2·s + (1 − β2)·g²,
 * m̂ = m / (1 − β1^(t+1)), ŝ = s / (1 − β2^(t+1)), θ ← θ − lr·m̂ / (√ŝ + eps).
 */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
import { notImplemented } from '#course/not-implemented.js';

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(
    readonly lr = 0.01,
    readonly gradDecay = 0.9,
    readonly squaredGradDecay = 0.999,
    readonly eps = 1e-8,
  ) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, t, state }: ParameterUpdate<'m' | 's'>): void {
    // Keep running means of g (state.m, weight of the past gradDecay) and of g² (state.s,
    // weight of the past squaredGradDecay), correct their bias towards zero, and step by
    // η·m̂ / (√ŝ + ε). t counts the steps before this one, so the first step has t = 0.
    throw notImplemented('Adam.updateParameter', 'Optimizers');
  }
}

tf.serialization.registerClass(Adam);
