/** RMSProp: S ← (1 − decay)·g² + decay·S, θ ← θ − (lr / (√S + eps))·g. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class RMSProp extends SlotOptimizer<'S'> {
  static className = 'optnn/RMSProp';

  constructor(readonly lr = 0.01, readonly eps = 1e-10, readonly decay = 0.1) {
    super(['S'], { lr, eps, decay }, ['decay']);
  }

  protected override updateParameter({ param, grad, state: { S } }: ParameterUpdate<'S'>): void {
    S.assign(grad.square().mul(1 - this.decay).add(S.mul(this.decay)));
    const rate = tf.scalar(this.lr).div(S.sqrt().add(this.eps));
    param.assign(param.sub(rate.mul(grad)));
  }
}

tf.serialization.registerClass(RMSProp);
