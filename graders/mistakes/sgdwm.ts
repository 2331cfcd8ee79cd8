/** Known mistakes in SGDwM (SPEC.md: v ← momentum·v − lr·g, then θ ← θ + v). */
import type * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '../../course/slot-optimizer.js';
import type { Mistake } from './mistake.js';

// Not a mistake here: `v ← μ·v + g` with the rate applied after (θ ← θ − lr·v). With a constant
// lr it is the same update (v is just −v/lr), so it must get full marks; it is a mistake only in
// SGDwMLD, where the rate changes between steps (see sgdwmld.ts).

abstract class BuggySGDwM extends SlotOptimizer<'v'> {
  static className = 'optnn/SGDwM';

  constructor(
    readonly lr = 0.2,
    readonly momentum = 0.9,
  ) {
    super(['v'], { lr, momentum }, ['momentum']);
  }
}

/** θ ← θ − v with the correct v: every step climbs the loss. */
class SignFlipped extends BuggySGDwM {
  protected override updateParameter({ param, grad, state: { v } }: ParameterUpdate<'v'>): void {
    v.assign(v.mul(this.momentum).sub(grad.mul(this.lr)));
    param.assign(param.sub(v));
  }
}

/** v ← μ·v − g: the learning rate is never used. */
class IgnoresLr extends BuggySGDwM {
  protected override updateParameter({ param, grad, state: { v } }: ParameterUpdate<'v'>): void {
    v.assign(v.mul(this.momentum).sub(grad));
    param.assign(param.add(v));
  }
}

/** The new velocity is computed but never stored, so every step is plain GD. */
class VelocityNotStored extends BuggySGDwM {
  protected override updateParameter({ param, grad, state: { v } }: ParameterUpdate<'v'>): void {
    const velocity = v.mul(this.momentum).sub(grad.mul(this.lr));
    param.assign(param.add(velocity));
  }
}

/** θ ← θ + v before v is updated: the parameters lag one step behind (the first step does nothing). */
class StaleVelocity extends BuggySGDwM {
  protected override updateParameter({ param, grad, state: { v } }: ParameterUpdate<'v'>): void {
    param.assign(param.add(v));
    v.assign(v.mul(this.momentum).sub(grad.mul(this.lr)));
  }
}

/** v ← μ·v + (1 − μ)·g, θ ← θ − lr·v: a moving average, which shrinks the steps by (1 − μ). */
class Dampened extends BuggySGDwM {
  protected override updateParameter({ param, grad, state: { v } }: ParameterUpdate<'v'>): void {
    v.assign(v.mul(this.momentum).add(grad.mul(1 - this.momentum)));
    param.assign(param.sub(v.mul(this.lr)));
  }
}

export const SGDWM_MISTAKES: Mistake[] = [
  {
    id: 'sgdwm-sign-flipped',
    optimizer: 'SGDwM',
    hint: 'Your parameters move the opposite way to the velocity, so they climb the loss. Check the sign where the velocity is added to the parameters.',
    make: ([lr, momentum]): tf.Optimizer => new SignFlipped(lr, momentum),
  },
  {
    id: 'sgdwm-ignores-lr',
    optimizer: 'SGDwM',
    hint: 'Your velocity adds the whole gradient, whatever the learning rate is. The gradient should enter the velocity scaled by lr.',
    make: ([lr, momentum]): tf.Optimizer => new IgnoresLr(lr, momentum),
  },
  {
    id: 'sgdwm-velocity-not-stored',
    optimizer: 'SGDwM',
    hint: 'You compute the new velocity but never save it in the state, so the velocity stays zero and every step is plain gradient descent. Write the new velocity back to the state.',
    make: ([lr, momentum]): tf.Optimizer => new VelocityNotStored(lr, momentum),
  },
  {
    id: 'sgdwm-stale-velocity',
    optimizer: 'SGDwM',
    hint: 'You move the parameters by the velocity before updating it, so each step uses the previous velocity and the first step does not move at all. Update the velocity first, then move the parameters.',
    make: ([lr, momentum]): tf.Optimizer => new StaleVelocity(lr, momentum),
  },
  {
    id: 'sgdwm-dampened',
    optimizer: 'SGDwM',
    hint: 'Your velocity is a moving average that weights the new gradient by (1 − momentum), which shrinks every step by that factor. In this assignment the gradient enters the velocity scaled by lr only.',
    make: ([lr, momentum]): tf.Optimizer => new Dampened(lr, momentum),
  },
];
