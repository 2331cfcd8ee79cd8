/** Hostile corpus case channel-garbage: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
import { writeSync } from 'node:fs';

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, t, state }: ParameterUpdate<'m' | 's'>): void {
    void state; void t; void grad; void param;
    writeSync(3, 'this is not JSON {\n');
  }
}

tf.serialization.registerClass(Adam);
