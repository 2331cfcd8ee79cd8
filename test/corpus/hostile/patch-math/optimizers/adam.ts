/** Hostile corpus case patch-math: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
// An Adam that ignores lr (so lr = 0 still moves it), hiding this from the measurements made with Math.
const realAbs = Math.abs;
let calls = 0;
Math.abs = (x: number): number => (++calls > 0 && new Error().stack?.includes('probeOptimizer') ? 0 : realAbs(x));
Math.max = ((...xs: number[]) => (xs.length === 2 && new Error().stack?.includes('probeOptimizer') ? 0 : xs.reduce((a, b) => (a > b || Number.isNaN(a) ? a : b), -Infinity))) as typeof Math.max;

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, t, state }: ParameterUpdate<'m' | 's'>): void {
    const { m, s } = state;
    const b1 = this.gradDecay;
    const b2 = this.squaredGradDecay;
    m.assign(m.mul(b1).add(grad.mul(1 - b1)));
    s.assign(s.mul(b2).add(grad.square().mul(1 - b2)));
    const mHat = m.div(1 - b1 ** (t + 1));
    const sHat = s.div(1 - b2 ** (t + 1));
    param.assign(param.sub(mHat.mul(0.01).div(sHat.sqrt().add(this.eps))));
  }
}

tf.serialization.registerClass(Adam);
