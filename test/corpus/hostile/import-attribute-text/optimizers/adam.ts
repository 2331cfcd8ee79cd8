/** Hostile corpus case import-attribute-text: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
// The attribute asks for another loader than the file's extension gives.
import source from './gd.ts' with { type: 'text' };

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';
  static source = source;

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param }: ParameterUpdate<'m' | 's'>): void {
    param.assign(param);
  }
}

tf.serialization.registerClass(Adam);
