/** Adam counting steps per parameter, as PyTorch's state['step']: a parameter without a gradient falls behind. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';
  private readonly steps = new Map<string, number>();

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, state: { m, s } }: ParameterUpdate<'m' | 's'>): void {
    const step = (this.steps.get(param.name) ?? 0) + 1;
    this.steps.set(param.name, step);
    const [b1, b2] = [this.gradDecay, this.squaredGradDecay];
    m.assign(m.mul(b1).add(grad.mul(1 - b1)));
    s.assign(s.mul(b2).add(grad.square().mul(1 - b2)));
    const denom = s.div(1 - b2 ** step).sqrt().add(this.eps);
    param.assign(param.sub(m.div(1 - b1 ** step).mul(this.lr).div(denom)));
  }
}

tf.serialization.registerClass(Adam);
