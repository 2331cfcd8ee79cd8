/** Known mistakes in GD (SPEC.md: θ ← θ − lr·g). */
import type * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '../../course/slot-optimizer.js';
import type { Mistake } from './mistake.js';

abstract class BuggyGD extends SlotOptimizer {
  static className = 'optnn/GD';

  constructor(readonly lr = 0.2) {
    super([], { lr });
  }
}

/** θ ← θ + lr·g: climbs the loss. */
class SignFlipped extends BuggyGD {
  protected override updateParameter({ param, grad }: ParameterUpdate<never>): void {
    param.assign(param.add(grad.mul(this.lr)));
  }
}

/** θ ← θ − g: the learning rate is never used. */
class IgnoresLr extends BuggyGD {
  protected override updateParameter({ param, grad }: ParameterUpdate<never>): void {
    param.assign(param.sub(grad));
  }
}

export const GD_MISTAKES: Mistake[] = [
  {
    id: 'gd-sign-flipped',
    optimizer: 'GD',
    hint: 'Your parameters move along the gradient instead of against it, so the loss goes up. Check the sign of the step.',
    make: ([lr]): tf.Optimizer => new SignFlipped(lr),
  },
  {
    id: 'gd-ignores-lr',
    optimizer: 'GD',
    hint: 'Your step is the whole gradient, whatever the learning rate is. The step should be the gradient scaled by lr.',
    make: ([lr]): tf.Optimizer => new IgnoresLr(lr),
  },
];
