/** Adam that stops correcting the bias after 100 steps, "where the correction is about 1 anyway" (true of β1^t, not of β2^t). */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, state: { m, s }, t }: ParameterUpdate<'m' | 's'>): void {
    const [b1, b2] = [this.gradDecay, this.squaredGradDecay];
    m.assign(m.mul(b1).add(grad.mul(1 - b1)));
    s.assign(s.mul(b2).add(grad.square().mul(1 - b2)));
    const corrected = t < 100;
    const mHat = corrected ? m.div(1 - b1 ** (t + 1)) : m;
    const sHat = corrected ? s.div(1 - b2 ** (t + 1)) : s;
    param.assign(param.sub(mHat.mul(this.lr).div(sHat.sqrt().add(this.eps))));
  }
}

tf.serialization.registerClass(Adam);
