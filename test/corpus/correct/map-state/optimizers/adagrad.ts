/** AdaGrad keeping its sums in a Map of variables keyed by the parameter's name, not in slots. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class AdaGrad extends SlotOptimizer {
  static className = 'optnn/AdaGrad';

  private readonly sums = new Map<string, tf.Variable>();

  constructor(readonly lr = 0.01, readonly eps = 1e-10) {
    super([], { lr, eps });
  }

  protected override updateParameter({ param, grad }: ParameterUpdate<never>): void {
    let sum = this.sums.get(param.name);
    if (sum === undefined) {
      sum = tf.variable(tf.zerosLike(param), false);
      this.sums.set(param.name, sum);
    }
    sum.assign(sum.add(grad.square()));
    param.assign(param.sub(grad.mul(this.lr).div(sum.sqrt().add(this.eps))));
  }

  override dispose(): void {
    for (const sum of this.sums.values()) sum.dispose();
    this.sums.clear();
    super.dispose();
  }
}

tf.serialization.registerClass(AdaGrad);
