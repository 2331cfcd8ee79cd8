/** Hostile corpus case channel-flood: see expected.json. */
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
    const chunk = Buffer.alloc(1 << 20, 97);
    for (let sent = 0; sent < 40 << 20;) {
      try { sent += writeSync(3, chunk); } catch (e) { if ((e as { code?: string }).code !== 'EAGAIN') break; }
    }
  }
}

tf.serialization.registerClass(Adam);
