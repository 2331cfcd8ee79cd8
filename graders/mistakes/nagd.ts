/** Known mistakes in NAGD (SPEC.md: v ← momentum·v − lr·g, then θ ← θ + momentum·v − lr·g). */
import type * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '../../course/slot-optimizer.js';
import type { Mistake } from './mistake.js';

// Not listed: using the old velocity in the look-ahead (θ ← θ + μ·v_old − lr·g, then v updated).
// That is exactly θ ← θ + v_new, i.e. nagd-no-look-ahead, so it could not be told apart.

abstract class BuggyNAGD extends SlotOptimizer<'v'> {
  static className = 'optnn/NAGD';

  constructor(
    readonly lr = 0.2,
    readonly momentum = 0.9,
  ) {
    super(['v'], { lr, momentum }, ['momentum']);
  }
}

/** θ ← θ − (μ·v − lr·g): every step climbs the loss. */
class SignFlipped extends BuggyNAGD {
  protected override updateParameter({ param, grad, state: { v } }: ParameterUpdate<'v'>): void {
    v.assign(v.mul(this.momentum).sub(grad.mul(this.lr)));
    param.assign(param.sub(v.mul(this.momentum)).add(grad.mul(this.lr)));
  }
}

/** θ ← θ + v: plain SGDwM, no look-ahead. */
class NoLookAhead extends BuggyNAGD {
  protected override updateParameter({ param, grad, state: { v } }: ParameterUpdate<'v'>): void {
    v.assign(v.mul(this.momentum).sub(grad.mul(this.lr)));
    param.assign(param.add(v));
  }
}

/**
 * The notebook's three lines taken literally inside step(): θ̃ = θ + μ·v_old, v updated, θ = θ̃.
 * The gradient reaches the parameters only through later velocities.
 */
class NotebookLiteral extends BuggyNAGD {
  protected override updateParameter({ param, grad, state: { v } }: ParameterUpdate<'v'>): void {
    param.assign(param.add(v.mul(this.momentum)));
    v.assign(v.mul(this.momentum).sub(grad.mul(this.lr)));
  }
}

/** θ ← θ + μ·v with the new v: the −lr·g term of the look-ahead is missing. */
class MissingGradientTerm extends BuggyNAGD {
  protected override updateParameter({ param, grad, state: { v } }: ParameterUpdate<'v'>): void {
    v.assign(v.mul(this.momentum).sub(grad.mul(this.lr)));
    param.assign(param.add(v.mul(this.momentum)));
  }
}

export const NAGD_MISTAKES: Mistake[] = [
  {
    id: 'nagd-sign-flipped',
    optimizer: 'NAGD',
    hint: 'Your parameters move uphill: the step has the wrong sign. Check the signs of both the momentum term and the gradient term of the parameter update.',
    make: ([lr, momentum]): tf.Optimizer => new SignFlipped(lr, momentum),
  },
  {
    id: 'nagd-no-look-ahead',
    optimizer: 'NAGD',
    hint: 'Your update is plain SGD with momentum (the parameters move by the velocity). Nesterov stores the look-ahead point: after updating the velocity, move the parameters by momentum times the new velocity minus lr times the gradient (SPEC.md, NAGD).',
    make: ([lr, momentum]): tf.Optimizer => new NoLookAhead(lr, momentum),
  },
  {
    id: 'nagd-notebook-literal',
    optimizer: 'NAGD',
    hint: "You apply the notebook's look-ahead literally (the parameters move only by momentum times the old velocity), so this step's gradient never moves them directly and the first step does nothing. The gradient you receive is already taken at the stored parameters, so use the look-ahead form in SPEC.md's NAGD decision.",
    make: ([lr, momentum]): tf.Optimizer => new NotebookLiteral(lr, momentum),
  },
  {
    id: 'nagd-missing-gradient-term',
    optimizer: 'NAGD',
    hint: 'Your parameters move by momentum times the new velocity only; the extra step of lr times the current gradient is missing. Check that the parameter update has both terms.',
    make: ([lr, momentum]): tf.Optimizer => new MissingGradientTerm(lr, momentum),
  },
];
