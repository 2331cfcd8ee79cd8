/** SGD with momentum, keeping u = −v: u ← μ·u + lr·g, θ ← θ − u (the same update). */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class SGDwM extends SlotOptimizer<'u'> {
  static className = 'optnn/SGDwM';

  constructor(readonly lr = 0.2, readonly momentum = 0.9) {
    super(['u'], { lr, momentum }, ['momentum']);
  }

  protected override updateParameter({ param, grad, state }: ParameterUpdate<'u'>): void {
    const u = state.u;
    u.assign(tf.addN([grad.mul(this.lr), u.mul(this.momentum)]));
    param.assign(tf.sub(param, u));
  }
}

tf.serialization.registerClass(SGDwM);
