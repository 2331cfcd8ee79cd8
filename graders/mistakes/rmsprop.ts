/**
 * Known mistakes in RMSProp (SPEC.md: S ← decay·S + (1 − decay)·g², then
 * θ ← θ − lr·g / (√S + eps); `decay` is the weight of the past).
 */
import type * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '../../course/slot-optimizer.js';
import type { Mistake } from './mistake.js';

abstract class BuggyRMSProp extends SlotOptimizer<'meanSquares'> {
  static className = 'optnn/RMSProp';

  constructor(
    readonly lr = 0.01,
    readonly eps = 1e-10,
    readonly decay = 0.1,
  ) {
    super(['meanSquares'], { lr, eps, decay }, ['decay']);
  }
}

type Update = ParameterUpdate<'meanSquares'>;

/** θ ← θ + lr·g / (√S + eps): climbs the loss. */
class SignFlipped extends BuggyRMSProp {
  protected override updateParameter({ param, grad, state: { meanSquares } }: Update): void {
    meanSquares.assign(meanSquares.mul(this.decay).add(grad.square().mul(1 - this.decay)));
    param.assign(param.add(grad.mul(this.lr).div(meanSquares.sqrt().add(this.eps))));
  }
}

/** √(S + eps): only visible when eps is not tiny next to S. */
class EpsInsideRoot extends BuggyRMSProp {
  protected override updateParameter({ param, grad, state: { meanSquares } }: Update): void {
    meanSquares.assign(meanSquares.mul(this.decay).add(grad.square().mul(1 - this.decay)));
    param.assign(param.sub(grad.mul(this.lr).div(meanSquares.add(this.eps).sqrt())));
  }
}

/** S ← (1 − decay)·S + decay·g²: the weights of past and present swapped. */
class DecaySwapped extends BuggyRMSProp {
  protected override updateParameter({ param, grad, state: { meanSquares } }: Update): void {
    meanSquares.assign(meanSquares.mul(1 - this.decay).add(grad.square().mul(this.decay)));
    param.assign(param.sub(grad.mul(this.lr).div(meanSquares.sqrt().add(this.eps))));
  }
}

/**
 * The notebook's formula taken literally: V ← √(decay·V + (1 − decay)·g²) + eps, θ ← θ − lr·g / V.
 * The state holds the root (and eps), so the next step mixes a root with squares.
 */
class NotebookLiteral extends BuggyRMSProp {
  protected override updateParameter({ param, grad, state: { meanSquares } }: Update): void {
    meanSquares.assign(
      meanSquares
        .mul(this.decay)
        .add(grad.square().mul(1 - this.decay))
        .sqrt()
        .add(this.eps),
    );
    param.assign(param.sub(grad.mul(this.lr).div(meanSquares)));
  }
}

export const RMSPROP_MISTAKES: Mistake[] = [
  {
    id: 'rmsprop-sign-flipped',
    optimizer: 'RMSProp',
    hint: 'Your parameters move along the gradient instead of against it, so the loss goes up. Check the sign of the step.',
    make: ([lr, eps, decay]): tf.Optimizer => new SignFlipped(lr, eps, decay),
  },
  {
    id: 'rmsprop-eps-inside-root',
    optimizer: 'RMSProp',
    hint: 'You add eps to the mean of squares before taking the square root; eps belongs outside the root, added to √S. The difference shows when eps is not tiny.',
    make: ([lr, eps, decay]): tf.Optimizer => new EpsInsideRoot(lr, eps, decay),
  },
  {
    id: 'rmsprop-decay-swapped',
    optimizer: 'RMSProp',
    hint: 'Your running mean gives the weight decay to the new squared gradient and (1 − decay) to the past; it is the other way round: decay is the weight of the past.',
    make: ([lr, eps, decay]): tf.Optimizer => new DecaySwapped(lr, eps, decay),
  },
  {
    id: 'rmsprop-notebook-literal',
    optimizer: 'RMSProp',
    hint: "Your state keeps the square root (plus eps), so the next step averages a root with squared gradients, as the notebook's formula reads literally. Keep the running mean of squared gradients in the state and take the root only when you divide (SPEC.md, RMSProp).",
    make: ([lr, eps, decay]): tf.Optimizer => new NotebookLiteral(lr, eps, decay),
  },
];
