/** SGDwMLD with the decayed rate as lr·(1 + decay·t)^−1 and the velocity built from the negated gradient. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class SGDwMLD extends SlotOptimizer<'vel'> {
  static className = 'optnn/SGDwMLD';

  constructor(readonly lr = 0.2, readonly momentum = 0.9, readonly decay = 0.01) {
    super(['vel'], { lr, momentum, decay }, ['momentum']);
  }

  protected override updateParameter({ param, grad, t, state: { vel } }: ParameterUpdate<'vel'>): void {
    const rate = this.lr * Math.pow(1 + this.decay * t, -1);
    vel.assign(tf.add(tf.mul(vel, this.momentum), tf.mul(tf.neg(grad), rate)));
    param.assign(tf.add(param, vel));
  }
}

tf.serialization.registerClass(SGDwMLD);
