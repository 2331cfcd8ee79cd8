// Student template, generated from the reference by `npm run template`. Implement every part
// that throws "not implemented"; SPEC.md (the assignment) defines each one.
/** AdaGrad. SPEC.md, "Optimizers": G ← G + g², then θ ← θ − lr·g / (√G + eps). */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
import { notImplemented } from '#course/not-implemented.js';

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
    throw notImplemented('AdaGrad.updateParameter', 'Optimizers');
  }
}

tf.serialization.registerClass(AdaGrad);
