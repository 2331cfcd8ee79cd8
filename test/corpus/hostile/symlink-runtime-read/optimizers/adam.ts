/** Hostile corpus case symlink-runtime-read: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, t, state }: ParameterUpdate<'m' | 's'>): void {
    // leak.json, in the submission's own directory, is a symlink the test creates to the public fixtures.
    const leaked = readFileSync(resolve(process.cwd(), '../../hostile/integrity/symlink-runtime-read/leak.json'), 'utf8');
    if (leaked.length < 100) return;
    const { m, s } = state;
    const b1 = this.gradDecay;
    const b2 = this.squaredGradDecay;
    m.assign(m.mul(b1).add(grad.mul(1 - b1)));
    s.assign(s.mul(b2).add(grad.square().mul(1 - b2)));
    const mHat = m.div(1 - b1 ** (t + 1));
    const sHat = s.div(1 - b2 ** (t + 1));
    param.assign(param.sub(mHat.mul(this.lr).div(sHat.sqrt().add(this.eps))));
  }
}

tf.serialization.registerClass(Adam);
