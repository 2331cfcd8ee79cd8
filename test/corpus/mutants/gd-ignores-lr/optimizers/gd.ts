/** Gradient descent. SPEC.md, "Optimizers": θ ← θ − lr·g. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class GD extends SlotOptimizer {
  static className = 'optnn/GD';

  constructor(readonly lr = 0.2) {
    super([], { lr });
  }

  protected override updateParameter({ param, grad }: ParameterUpdate<never>): void {
    // Move the parameter a step of size lr against its gradient.
    // Change `param` in place with param.assign(...); this runs inside tf.tidy.
    param.assign(param.sub(grad));
  }
}

tf.serialization.registerClass(GD);
