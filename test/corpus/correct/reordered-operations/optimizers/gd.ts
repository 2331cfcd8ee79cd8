/** Gradient descent: θ ← θ + (−lr)·g, written with tf's functional ops. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class GD extends SlotOptimizer {
  static className = 'optnn/GD';

  constructor(readonly lr = 0.2) {
    super([], { lr });
  }

  protected override updateParameter({ param, grad }: ParameterUpdate<never>): void {
    param.assign(tf.add(param, tf.mul(tf.scalar(-this.lr), grad)));
  }
}

tf.serialization.registerClass(GD);
