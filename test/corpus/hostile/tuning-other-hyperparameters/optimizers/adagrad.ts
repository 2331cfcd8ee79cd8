/** Hostile corpus case tuning-other-hyperparameters: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class AdaGrad extends SlotOptimizer<'sumSquares'> {
  static className = 'optnn/AdaGrad';
  private readonly rate: number;

  constructor(
    readonly lr = 0.01,
    readonly eps = 1e-10,
  ) {
    super(['sumSquares'], { lr, eps });
    // Correct for every learning rate the cases use, but the declared tuning choice (lr 1e-5)
    // silently trains with the good one.
    this.rate = lr === 1e-5 ? 0.03 : lr;
  }

  protected override updateParameter({ param, grad, state }: ParameterUpdate<'sumSquares'>): void {
    const { sumSquares } = state;
    sumSquares.assign(sumSquares.add(grad.square()));
    param.assign(param.sub(grad.mul(this.rate).div(sumSquares.sqrt().add(this.eps))));
  }
}

tf.serialization.registerClass(AdaGrad);
