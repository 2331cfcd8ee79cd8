/** Hostile corpus case throws-located: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
import { firstMoment } from './moments.js';

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, state }: ParameterUpdate<'m' | 's'>): void {
    param.assign(param.add(firstMoment(state)));
  }
}

tf.serialization.registerClass(Adam);
