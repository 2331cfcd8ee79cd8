/**
 * Nesterov accelerated gradient descent. SPEC.md, "Optimizers": v ← momentum·v − lr·g, then
 * θ ← θ + momentum·v − lr·g (the parameters hold the look-ahead point; see SPEC.md's decisions).
 */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
// TEMPLATE: import { notImplemented } from '#course/not-implemented.js';

export class NAGD extends SlotOptimizer<'v'> {
  static className = 'optnn/NAGD';

  constructor(
    readonly lr = 0.2,
    readonly momentum = 0.9,
  ) {
    super(['v'], { lr, momentum }, ['momentum']);
  }

  protected override updateParameter({ param, grad, state }: ParameterUpdate<'v'>): void {
    // The notebook's three lines need the gradient at the look-ahead point θ + mtm·v_old, but
    // step() only sees the gradient at the stored parameters. Store the look-ahead point as the
    // parameters instead: update v as in SGDwM, then move θ by mtm·v (the new v) and −η·g.
    // BEGIN SOLUTION NAGD.updateParameter @optimizers
    const { v } = state;
    const step = grad.mul(this.lr);
    v.assign(v.mul(this.momentum).sub(step));
    param.assign(param.add(v.mul(this.momentum)).sub(step));
    // END SOLUTION
  }
}

tf.serialization.registerClass(NAGD);
