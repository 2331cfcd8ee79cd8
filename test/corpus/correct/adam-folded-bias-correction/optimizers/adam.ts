/**
 * Adam with the bias correction folded into the step size (Kingma & Ba, section 2):
 * α_t = lr·√(1 − β2^(t+1)) / (1 − β1^(t+1)) and ε̂_t = eps·√(1 − β2^(t+1)), then
 * θ ← θ − α_t·m / (√s + ε̂_t). Scaling eps too keeps it exactly SPEC.md's
 * lr·m̂ / (√ŝ + eps); the paper's form with an unscaled eps would move eps.
 */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, t, state: { m, s } }: ParameterUpdate<'m' | 's'>): void {
    const b1 = this.gradDecay;
    const b2 = this.squaredGradDecay;
    m.assign(m.mul(b1).add(grad.mul(1 - b1)));
    s.assign(s.mul(b2).add(grad.square().mul(1 - b2)));
    const root2 = Math.sqrt(1 - b2 ** (t + 1));
    const alpha = (this.lr * root2) / (1 - b1 ** (t + 1));
    const epsHat = this.eps * root2;
    param.assign(param.sub(m.mul(alpha).div(s.sqrt().add(epsHat))));
  }
}

tf.serialization.registerClass(Adam);
