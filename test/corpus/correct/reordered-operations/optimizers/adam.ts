/** Adam with the operations in another order: m ← (1 − β1)·g + β1·m, θ ← θ − lr·(m̂ / (√ŝ + eps)). */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, t, state: { m, s } }: ParameterUpdate<'m' | 's'>): void {
    const step = t + 1;
    m.assign(tf.add(tf.mul(1 - this.gradDecay, grad), tf.mul(this.gradDecay, m)));
    s.assign(tf.add(tf.mul(1 - this.squaredGradDecay, tf.square(grad)), tf.mul(this.squaredGradDecay, s)));
    const mHat = tf.mul(m, 1 / (1 - Math.pow(this.gradDecay, step)));
    const sHat = tf.mul(s, 1 / (1 - Math.pow(this.squaredGradDecay, step)));
    param.assign(tf.sub(param, tf.mul(this.lr, tf.div(mHat, tf.add(tf.sqrt(sHat), this.eps)))));
  }
}

tf.serialization.registerClass(Adam);
