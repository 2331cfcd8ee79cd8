/**
 * SGDwMLD computing lr_t from its own step counter (incremented once per applyGradients, after
 * all parameters are updated) instead of the `t` the scaffold passes in.
 */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type NamedTensor, type ParameterUpdate } from '#course/slot-optimizer.js';

export class SGDwMLD extends SlotOptimizer<'v'> {
  static className = 'optnn/SGDwMLD';

  private stepCount = 0;
  private currentLr: number;

  constructor(readonly lr = 0.2, readonly momentum = 0.9, readonly decay = 0.01) {
    super(['v'], { lr, momentum, decay }, ['momentum']);
    this.currentLr = lr;
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    this.currentLr = this.lr / (1 + this.decay * this.stepCount);
    super.applyGradients(variableGradients);
    this.stepCount++;
  }

  protected override updateParameter({ param, grad, state: { v } }: ParameterUpdate<'v'>): void {
    v.assign(v.mul(this.momentum).sub(grad.mul(this.currentLr)));
    param.assign(param.add(v));
  }
}

tf.serialization.registerClass(SGDwMLD);
