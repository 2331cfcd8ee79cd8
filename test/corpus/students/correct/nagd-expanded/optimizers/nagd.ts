/** NAGD with the update expanded: θ ← θ + momentum²·v_old − (1 + momentum)·lr·g, then v ← momentum·v_old − lr·g. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class NAGD extends SlotOptimizer<'velocity'> {
  static className = 'optnn/NAGD';

  constructor(readonly lr = 0.2, readonly momentum = 0.9) {
    super(['velocity'], { lr, momentum }, ['momentum']);
  }

  protected override updateParameter({ param, grad, state: { velocity } }: ParameterUpdate<'velocity'>): void {
    const mu = this.momentum;
    const scaled = tf.mul(grad, this.lr);
    param.assign(tf.sub(tf.add(param, tf.mul(velocity, mu * mu)), tf.mul(scaled, 1 + mu)));
    velocity.assign(tf.sub(tf.mul(velocity, mu), scaled));
  }
}

tf.serialization.registerClass(NAGD);
