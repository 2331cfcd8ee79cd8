/**
 * SGD with momentum, keeping each velocity as a plain tensor that is replaced every step (kept
 * out of the step's tidy, the old one disposed) instead of a variable updated with assign.
 */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class SGDwM extends SlotOptimizer {
  static className = 'optnn/SGDwM';

  private readonly velocities = new Map<tf.Variable, tf.Tensor>();

  constructor(readonly lr = 0.2, readonly momentum = 0.9) {
    super([], { lr, momentum }, ['momentum']);
  }

  protected override updateParameter({ param, grad }: ParameterUpdate<never>): void {
    const old = this.velocities.get(param);
    const scaledGrad = grad.mul(this.lr);
    const v = tf.keep(old === undefined ? scaledGrad.neg() : old.mul(this.momentum).sub(scaledGrad));
    old?.dispose();
    this.velocities.set(param, v);
    param.assign(param.add(v));
  }

  override dispose(): void {
    for (const v of this.velocities.values()) v.dispose();
    this.velocities.clear();
    super.dispose();
  }
}

tf.serialization.registerClass(SGDwM);
