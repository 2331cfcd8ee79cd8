/** SGDwMLD advancing its own step counter once per parameter update instead of once per step. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class SGDwMLD extends SlotOptimizer<'v'> {
  static className = 'optnn/SGDwMLD';
  private count = 0;

  constructor(readonly lr = 0.2, readonly momentum = 0.9, readonly decay = 0.01) {
    super(['v'], { lr, momentum, decay }, ['momentum']);
  }

  protected override updateParameter({ param, grad, state: { v } }: ParameterUpdate<'v'>): void {
    const rate = this.lr / (1 + this.decay * this.count);
    this.count += 1;
    v.assign(v.mul(this.momentum).sub(grad.mul(rate)));
    param.assign(param.add(v));
  }
}

tf.serialization.registerClass(SGDwMLD);
