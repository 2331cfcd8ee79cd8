/**
 * SGD with momentum and learning-rate decay. SPEC.md, "Optimizers": lr_t = lr / (1 + decay·t),
 * v ← momentum·v − lr_t·g, then θ ← θ + v, with t the number of steps taken before this one.
 */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
// TEMPLATE: import { notImplemented } from '#course/not-implemented.js';

export class SGDwMLD extends SlotOptimizer<'v'> {
  static className = 'optnn/SGDwMLD';

  constructor(
    readonly lr = 0.2,
    readonly momentum = 0.9,
    readonly decay = 0.01,
  ) {
    super(['v'], { lr, momentum, decay }, ['momentum']);
  }

  protected override updateParameter({ param, grad, t, state }: ParameterUpdate<'v'>): void {
    // η_t = η_0 / (1 + d·t), with t = 0 at the first step; then SGDwM's update with η_t.
    // BEGIN SOLUTION SGDwMLD.updateParameter @optimizers
    const lrT = this.lr / (1 + this.decay * t);
    const { v } = state;
    v.assign(v.mul(this.momentum).sub(grad.mul(lrT)));
    param.assign(param.add(v));
    // END SOLUTION
  }
}

tf.serialization.registerClass(SGDwMLD);
