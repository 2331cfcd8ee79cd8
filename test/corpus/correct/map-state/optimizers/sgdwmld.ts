/** SGDwMLD keeping its velocities in a Map of variables keyed by the parameter's name. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class SGDwMLD extends SlotOptimizer {
  static className = 'optnn/SGDwMLD';

  private readonly velocities = new Map<string, tf.Variable>();

  constructor(readonly lr = 0.2, readonly momentum = 0.9, readonly decay = 0.01) {
    super([], { lr, momentum, decay }, ['momentum']);
  }

  protected override updateParameter({ param, grad, t }: ParameterUpdate<never>): void {
    if (!this.velocities.has(param.name)) this.velocities.set(param.name, tf.zerosLike(param).variable(false));
    const v = this.velocities.get(param.name)!;
    const lrT = this.lr / (1 + this.decay * t);
    v.assign(v.mul(this.momentum).sub(grad.mul(lrT)));
    param.assign(param.add(v));
  }

  override dispose(): void {
    for (const v of this.velocities.values()) v.dispose();
    this.velocities.clear();
    super.dispose();
  }
}

tf.serialization.registerClass(SGDwMLD);
