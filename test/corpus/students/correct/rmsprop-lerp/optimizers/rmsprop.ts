/** RMSProp with the running mean written as a step towards g²: S ← S + (1 − decay)·(g² − S). */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class RMSProp extends SlotOptimizer<'avg'> {
  static className = 'optnn/RMSProp';

  constructor(readonly lr = 0.01, readonly eps = 1e-10, readonly decay = 0.1) {
    super(['avg'], { lr, eps, decay }, ['decay']);
  }

  protected override updateParameter({ param, grad, state: { avg } }: ParameterUpdate<'avg'>): void {
    const g2 = tf.square(grad);
    avg.assign(tf.add(avg, tf.mul(tf.sub(g2, avg), 1 - this.decay)));
    const denom = tf.add(tf.sqrt(avg), this.eps);
    param.assign(tf.sub(param, tf.div(tf.mul(grad, this.lr), denom)));
  }
}

tf.serialization.registerClass(RMSProp);
