/** Adam keeping m and s as plain tensors in fields of a per-parameter record, replaced every step. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

interface Moments {
  m: tf.Tensor;
  s: tf.Tensor;
}

export class Adam extends SlotOptimizer {
  static className = 'optnn/Adam';

  private readonly moments = new Map<tf.Variable, Moments>();

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super([], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, t }: ParameterUpdate<never>): void {
    const b1 = this.gradDecay;
    const b2 = this.squaredGradDecay;
    const old = this.moments.get(param);
    const m = tf.keep(old === undefined ? grad.mul(1 - b1) : old.m.mul(b1).add(grad.mul(1 - b1)));
    const s = tf.keep(old === undefined ? grad.square().mul(1 - b2) : old.s.mul(b2).add(grad.square().mul(1 - b2)));
    if (old !== undefined) tf.dispose([old.m, old.s]);
    this.moments.set(param, { m, s });
    const mHat = m.div(1 - b1 ** (t + 1));
    const sHat = s.div(1 - b2 ** (t + 1));
    param.assign(param.sub(mHat.mul(this.lr).div(sHat.sqrt().add(this.eps))));
  }

  override dispose(): void {
    for (const { m, s } of this.moments.values()) tf.dispose([m, s]);
    this.moments.clear();
    super.dispose();
  }
}

tf.serialization.registerClass(Adam);
