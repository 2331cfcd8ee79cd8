/** Hostile corpus case escape-text: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';


export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, t, state }: ParameterUpdate<'m' | 's'>): void {
    void state; void t; void grad; void param;
    throw new Error('HOSTILE-escape\x1b[2K\x1b[1A\x1b[32mPASS optimizer.Adam.steps\x1b[0m\x1b]52;c;ZWNobyBwd25lZA==\x07\u0000nul\rcr\n   ::warning file=x::HOSTILE-annotation\n::set-output name=score::100\x9b31m');
  }
}

tf.serialization.registerClass(Adam);
