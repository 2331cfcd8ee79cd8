/**
 * Known mistakes in Adam (SPEC.md: m ← β1·m + (1 − β1)·g, s ← β2·s + (1 − β2)·g²,
 * m̂ = m / (1 − β1^(t+1)), ŝ = s / (1 − β2^(t+1)), θ ← θ − lr·m̂ / (√ŝ + eps)).
 */
import type * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '../../course/slot-optimizer.js';
import type { Mistake } from './mistake.js';

// Not listed: bias correction with β^t (counting from 0 after incrementing too late). At the
// first step it divides by 1 − β^0 = 0, so every parameter becomes NaN, and a NaN trajectory
// never agrees with anything under graders/compare.ts; the off-by-one below (β^(t+2)) is the
// variant that can be recognised.

abstract class BuggyAdam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(
    readonly lr = 0.01,
    readonly gradDecay = 0.9,
    readonly squaredGradDecay = 0.999,
    readonly eps = 1e-8,
  ) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  /** The correct moment updates, with the betas given (so a mistake can swap them). */
  protected updateMoments(
    { grad, state: { m, s } }: Update,
    b1 = this.gradDecay,
    b2 = this.squaredGradDecay,
  ): void {
    m.assign(m.mul(b1).add(grad.mul(1 - b1)));
    s.assign(s.mul(b2).add(grad.square().mul(1 - b2)));
  }
}

type Update = ParameterUpdate<'m' | 's'>;

/** θ ← θ + lr·m̂ / (√ŝ + eps): climbs the loss. */
class SignFlipped extends BuggyAdam {
  protected override updateParameter(update: Update): void {
    this.updateMoments(update);
    const {
      param,
      t,
      state: { m, s },
    } = update;
    const mHat = m.div(1 - this.gradDecay ** (t + 1));
    const sHat = s.div(1 - this.squaredGradDecay ** (t + 1));
    param.assign(param.add(mHat.mul(this.lr).div(sHat.sqrt().add(this.eps))));
  }
}

/** θ ← θ − lr·m / (√s + eps): no bias correction. */
class NoBiasCorrection extends BuggyAdam {
  protected override updateParameter(update: Update): void {
    this.updateMoments(update);
    const {
      param,
      state: { m, s },
    } = update;
    param.assign(param.sub(m.mul(this.lr).div(s.sqrt().add(this.eps))));
  }
}

/** m̂ = m / (1 − β1^(t+2)), ŝ likewise: the step counter is one ahead. */
class BiasCorrectionOffByOne extends BuggyAdam {
  protected override updateParameter(update: Update): void {
    this.updateMoments(update);
    const {
      param,
      t,
      state: { m, s },
    } = update;
    const mHat = m.div(1 - this.gradDecay ** (t + 2));
    const sHat = s.div(1 - this.squaredGradDecay ** (t + 2));
    param.assign(param.sub(mHat.mul(this.lr).div(sHat.sqrt().add(this.eps))));
  }
}

/** √(ŝ + eps): only visible when eps is not tiny next to ŝ. */
class EpsInsideRoot extends BuggyAdam {
  protected override updateParameter(update: Update): void {
    this.updateMoments(update);
    const {
      param,
      t,
      state: { m, s },
    } = update;
    const mHat = m.div(1 - this.gradDecay ** (t + 1));
    const sHat = s.div(1 - this.squaredGradDecay ** (t + 1));
    param.assign(param.sub(mHat.mul(this.lr).div(sHat.add(this.eps).sqrt())));
  }
}

/** β1 and β2 swapped, in the moments and in the bias correction. */
class BetasSwapped extends BuggyAdam {
  protected override updateParameter(update: Update): void {
    const b1 = this.squaredGradDecay;
    const b2 = this.gradDecay;
    this.updateMoments(update, b1, b2);
    const {
      param,
      t,
      state: { m, s },
    } = update;
    const mHat = m.div(1 - b1 ** (t + 1));
    const sHat = s.div(1 - b2 ** (t + 1));
    param.assign(param.sub(mHat.mul(this.lr).div(sHat.sqrt().add(this.eps))));
  }
}

/** m and s are overwritten with m̂ and ŝ, so the correction compounds over the steps. */
class BiasCorrectionStored extends BuggyAdam {
  protected override updateParameter(update: Update): void {
    this.updateMoments(update);
    const {
      param,
      t,
      state: { m, s },
    } = update;
    m.assign(m.div(1 - this.gradDecay ** (t + 1)));
    s.assign(s.div(1 - this.squaredGradDecay ** (t + 1)));
    param.assign(param.sub(m.mul(this.lr).div(s.sqrt().add(this.eps))));
  }
}

export const ADAM_MISTAKES: Mistake[] = [
  {
    id: 'adam-sign-flipped',
    optimizer: 'Adam',
    hint: 'Your parameters move along the gradient instead of against it, so the loss goes up. Check the sign of the step.',
    make: ([lr, b1, b2, eps]): tf.Optimizer => new SignFlipped(lr, b1, b2, eps),
  },
  {
    id: 'adam-no-bias-correction',
    optimizer: 'Adam',
    hint: 'You step with the raw running means, without correcting their bias towards zero, so the early steps are far too small or too large. Divide m by (1 − β1^(t+1)) and s by (1 − β2^(t+1)) before the step.',
    make: ([lr, b1, b2, eps]): tf.Optimizer => new NoBiasCorrection(lr, b1, b2, eps),
  },
  {
    id: 'adam-bias-correction-off-by-one',
    optimizer: 'Adam',
    hint: 'Your bias correction uses powers one step too high: t counts the steps taken before this one (0 at the first step), so the exponent is t + 1.',
    make: ([lr, b1, b2, eps]): tf.Optimizer => new BiasCorrectionOffByOne(lr, b1, b2, eps),
  },
  {
    id: 'adam-eps-inside-root',
    optimizer: 'Adam',
    hint: 'You add eps to ŝ before taking the square root; eps belongs outside the root, added to √ŝ. The difference shows when eps is not tiny.',
    make: ([lr, b1, b2, eps]): tf.Optimizer => new EpsInsideRoot(lr, b1, b2, eps),
  },
  {
    id: 'adam-betas-swapped',
    optimizer: 'Adam',
    hint: 'Your first moment uses the squared-gradient decay and your second moment the gradient decay. The constructor order is lr, grad_decay (β1, for m), squared_grad_decay (β2, for s), eps.',
    make: ([lr, b1, b2, eps]): tf.Optimizer => new BetasSwapped(lr, b1, b2, eps),
  },
  {
    id: 'adam-bias-correction-stored',
    optimizer: 'Adam',
    hint: 'You write the bias-corrected moments back into the state, so the correction compounds from step to step. Keep the raw running means in the state and correct a copy for the step.',
    make: ([lr, b1, b2, eps]): tf.Optimizer => new BiasCorrectionStored(lr, b1, b2, eps),
  },
];
