/** Hostile corpus case escape-course-import: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
// '#course/...' resolves to course/; '..' walks out of it, to the reference solution.
import { Adam as Reference } from '#course/../reference/optimizers/adam.js';

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, t, state }: ParameterUpdate<'m' | 's'>): void {
    // Delegates to the reference solution when the import above got it into the bundle.
    (new Reference(this.lr, this.gradDecay, this.squaredGradDecay, this.eps) as unknown as { updateParameter(u: unknown): void }).updateParameter.call(this, { param, grad, t, state });
  }
}

tf.serialization.registerClass(Adam);
