/** AdaGrad. SPEC.md, "Optimizers": G ← G + g², then θ ← θ − lr·g / (√G + eps). */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
// TEMPLATE: import { notImplemented } from '#course/not-implemented.js';

export class AdaGrad extends SlotOptimizer<'sumSquares'> {
  static className = 'optnn/AdaGrad';

  constructor(
    readonly lr = 0.01,
    readonly eps = 1e-10,
  ) {
    super(['sumSquares'], { lr, eps });
  }

  protected override updateParameter({ param, grad, state }: ParameterUpdate<'sumSquares'>): void {
    // V_t = √(Σ g_i²) + ε, θ = θ − η·g / V_t. `state.sumSquares` starts at zero.
    // BEGIN SOLUTION AdaGrad.updateParameter @optimizers
    const { sumSquares } = state;
    sumSquares.assign(sumSquares.add(grad.square()));
    param.assign(param.sub(grad.mul(this.lr).div(sumSquares.sqrt().add(this.eps))));
    // END SOLUTION
  }
}

tf.serialization.registerClass(AdaGrad);
