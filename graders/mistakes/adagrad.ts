/** Known mistakes in AdaGrad (SPEC.md: G ← G + g², then θ ← θ − lr·g / (√G + eps)). */
import type * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '../../course/slot-optimizer.js';
import type { Mistake } from './mistake.js';

abstract class BuggyAdaGrad extends SlotOptimizer<'sumSquares'> {
  static className = 'optnn/AdaGrad';

  constructor(
    readonly lr = 0.01,
    readonly eps = 1e-10,
  ) {
    super(['sumSquares'], { lr, eps });
  }
}

/** θ ← θ + lr·g / (√G + eps): climbs the loss. */
class SignFlipped extends BuggyAdaGrad {
  protected override updateParameter({
    param,
    grad,
    state: { sumSquares },
  }: ParameterUpdate<'sumSquares'>): void {
    sumSquares.assign(sumSquares.add(grad.square()));
    param.assign(param.add(grad.mul(this.lr).div(sumSquares.sqrt().add(this.eps))));
  }
}

/** √(G + eps): only visible when eps is not tiny next to G. */
class EpsInsideRoot extends BuggyAdaGrad {
  protected override updateParameter({
    param,
    grad,
    state: { sumSquares },
  }: ParameterUpdate<'sumSquares'>): void {
    sumSquares.assign(sumSquares.add(grad.square()));
    param.assign(param.sub(grad.mul(this.lr).div(sumSquares.add(this.eps).sqrt())));
  }
}

/** G ← g²: the sum is forgotten, every step is about lr·sign(g). */
class ForgetsSum extends BuggyAdaGrad {
  protected override updateParameter({
    param,
    grad,
    state: { sumSquares },
  }: ParameterUpdate<'sumSquares'>): void {
    sumSquares.assign(grad.square());
    param.assign(param.sub(grad.mul(this.lr).div(sumSquares.sqrt().add(this.eps))));
  }
}

/** θ ← θ − lr·g / (G + eps): the square root is missing. */
class MissingSquareRoot extends BuggyAdaGrad {
  protected override updateParameter({
    param,
    grad,
    state: { sumSquares },
  }: ParameterUpdate<'sumSquares'>): void {
    sumSquares.assign(sumSquares.add(grad.square()));
    param.assign(param.sub(grad.mul(this.lr).div(sumSquares.add(this.eps))));
  }
}

export const ADAGRAD_MISTAKES: Mistake[] = [
  {
    id: 'adagrad-sign-flipped',
    optimizer: 'AdaGrad',
    hint: 'Your parameters move along the gradient instead of against it, so the loss goes up. Check the sign of the step.',
    make: ([lr, eps]): tf.Optimizer => new SignFlipped(lr, eps),
  },
  {
    id: 'adagrad-eps-inside-root',
    optimizer: 'AdaGrad',
    hint: 'You add eps to the sum of squares before taking the square root; eps belongs outside the root, added to √G. The difference shows when eps is not tiny.',
    make: ([lr, eps]): tf.Optimizer => new EpsInsideRoot(lr, eps),
  },
  {
    id: 'adagrad-forgets-sum',
    optimizer: 'AdaGrad',
    hint: 'Your state holds only the current squared gradient, so every step has about the same size lr. AdaGrad adds each squared gradient to the running sum of all past ones.',
    make: ([lr, eps]): tf.Optimizer => new ForgetsSum(lr, eps),
  },
  {
    id: 'adagrad-missing-square-root',
    optimizer: 'AdaGrad',
    hint: 'You divide by the sum of squared gradients itself rather than by its square root, so the step sizes are far off. Check that the denominator is √G + eps.',
    make: ([lr, eps]): tf.Optimizer => new MissingSquareRoot(lr, eps),
  },
];
