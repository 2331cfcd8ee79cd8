// Student template, generated from the reference by `npm run template`. Implement every part
// that throws "not implemented"; SPEC.md (the assignment) defines each one.
/** SGD with momentum. SPEC.md, "Optimizers": v ← momentum·v − lr·g, then θ ← θ + v. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
import { notImplemented } from '#course/not-implemented.js';

export class SGDwM extends SlotOptimizer<'v'> {
  static className = 'optnn/SGDwM';

  constructor(
    readonly lr = 0.2,
    readonly momentum = 0.9,
  ) {
    super(['v'], { lr, momentum }, ['momentum']);
  }

  protected override updateParameter({ param, grad, state }: ParameterUpdate<'v'>): void {
    // v = η·(−∂L/∂θ) + v_old·mtm, then θ = θ + v.
    // `state.v` is this parameter's velocity, zero at the start; update it with state.v.assign(...).
    throw notImplemented('SGDwM.updateParameter', 'Optimizers');
  }
}

tf.serialization.registerClass(SGDwM);
