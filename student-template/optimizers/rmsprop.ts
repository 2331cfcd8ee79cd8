// Student template, generated from the reference by `npm run template`. Implement every part
// that throws "not implemented"; SPEC.md (the assignment) defines each one.
/**
 * RMSProp (the notebook's RMSProb). SPEC.md, "Optimizers": S ← decay·S + (1 − decay)·g², then
 * θ ← θ − lr·g / (√S + eps); `decay` is the weight of the past.
 */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
import { notImplemented } from '#course/not-implemented.js';

export class RMSProp extends SlotOptimizer<'meanSquares'> {
  static className = 'optnn/RMSProp';

  constructor(
    readonly lr = 0.01,
    readonly eps = 1e-10,
    readonly decay = 0.1,
  ) {
    super(['meanSquares'], { lr, eps, decay }, ['decay']);
  }

  protected override updateParameter({ param, grad, state }: ParameterUpdate<'meanSquares'>): void {
    // A running mean of g² with β = decay as the weight of the past; SPEC.md takes the square
    // root outside the recursion (the standard form), then θ = θ − η·g / (√S + ε).
    throw notImplemented('RMSProp.updateParameter', 'Optimizers');
  }
}

tf.serialization.registerClass(RMSProp);
