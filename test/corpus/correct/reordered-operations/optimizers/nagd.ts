/**
 * Nesterov in PyTorch's form (SGD with nesterov=True): b ← μ·b + g, θ ← θ − lr·(g + μ·b).
 * With b = −v/lr this is SPEC.md's v ← μ·v − lr·g, θ ← θ + μ·v − lr·g.
 */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class NAGD extends SlotOptimizer<'buf'> {
  static className = 'optnn/NAGD';

  constructor(readonly lr = 0.2, readonly momentum = 0.9) {
    super(['buf'], { lr, momentum }, ['momentum']);
  }

  protected override updateParameter({ param, grad, state }: ParameterUpdate<'buf'>): void {
    const { buf } = state;
    buf.assign(buf.mul(this.momentum).add(grad));
    const direction = grad.add(buf.mul(this.momentum));
    param.assign(param.sub(direction.mul(this.lr)));
  }
}

tf.serialization.registerClass(NAGD);
