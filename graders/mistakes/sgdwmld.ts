/**
 * Known mistakes in SGDwMLD (SPEC.md: lr_t = lr / (1 + decay·t), v ← momentum·v − lr_t·g, then
 * θ ← θ + v, with t the steps taken before this one).
 */
import type * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '../../course/slot-optimizer.js';
import type { Mistake } from './mistake.js';

abstract class BuggySGDwMLD extends SlotOptimizer<'v'> {
  static className = 'optnn/SGDwMLD';

  constructor(
    readonly lr = 0.2,
    readonly momentum = 0.9,
    readonly decay = 0.01,
  ) {
    super(['v'], { lr, momentum, decay }, ['momentum']);
  }

  protected rateAt(t: number): number {
    return this.lr / (1 + this.decay * t);
  }
}

/** θ ← θ − v with the correct v: every step climbs the loss. */
class SignFlipped extends BuggySGDwMLD {
  protected override updateParameter({ param, grad, t, state: { v } }: ParameterUpdate<'v'>): void {
    v.assign(v.mul(this.momentum).sub(grad.mul(this.rateAt(t))));
    param.assign(param.sub(v));
  }
}

/**
 * v ← μ·v + g, θ ← θ − lr_t·v. For SGDwM (constant lr) this is the correct update in another
 * form; here the decayed rate also rescales all the past gradients held in v, which differs.
 */
class RateAppliedAfter extends BuggySGDwMLD {
  protected override updateParameter({ param, grad, t, state: { v } }: ParameterUpdate<'v'>): void {
    v.assign(v.mul(this.momentum).add(grad));
    param.assign(param.sub(v.mul(this.rateAt(t))));
  }
}

/** lr_t = lr / (1 + decay·(t + 1)): the first step is already decayed. */
class DecayOffByOne extends BuggySGDwMLD {
  protected override updateParameter({ param, grad, t, state: { v } }: ParameterUpdate<'v'>): void {
    v.assign(v.mul(this.momentum).sub(grad.mul(this.rateAt(t + 1))));
    param.assign(param.add(v));
  }
}

/** lr_t = lr: plain SGDwM. */
class NoDecay extends BuggySGDwMLD {
  protected override updateParameter({ param, grad, state: { v } }: ParameterUpdate<'v'>): void {
    v.assign(v.mul(this.momentum).sub(grad.mul(this.lr)));
    param.assign(param.add(v));
  }
}

export const SGDWMLD_MISTAKES: Mistake[] = [
  {
    id: 'sgdwmld-sign-flipped',
    optimizer: 'SGDwMLD',
    hint: 'Your parameters move the opposite way to the velocity, so they climb the loss. Check the sign where the velocity is added to the parameters.',
    make: ([lr, momentum, decay]): tf.Optimizer => new SignFlipped(lr, momentum, decay),
  },
  {
    id: 'sgdwmld-rate-applied-after',
    optimizer: 'SGDwMLD',
    hint: 'Your velocity sums raw gradients and the decayed rate is applied to the whole velocity afterwards, so each decay also shrinks the past gradients. The decayed rate should scale only the new gradient as it enters the velocity.',
    make: ([lr, momentum, decay]): tf.Optimizer => new RateAppliedAfter(lr, momentum, decay),
  },
  {
    id: 'sgdwmld-decay-off-by-one',
    optimizer: 'SGDwMLD',
    hint: 'Your learning rate is already decayed at the first step: t should count the steps taken before this one, so the first step uses the undecayed lr.',
    make: ([lr, momentum, decay]): tf.Optimizer => new DecayOffByOne(lr, momentum, decay),
  },
  {
    id: 'sgdwmld-no-decay',
    optimizer: 'SGDwMLD',
    hint: 'Your learning rate never decays: the update is plain SGD with momentum. Divide lr by (1 + decay times the number of steps taken before this one).',
    make: ([lr, momentum, decay]): tf.Optimizer => new NoDecay(lr, momentum, decay),
  },
];
