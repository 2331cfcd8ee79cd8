/** Hostile corpus case patch-console: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
// A broken Adam (it does nothing) that silences console and looks for a test framework's `expect` (there is none in the child).
const g = globalThis as { expect?: unknown; console: Console };
if (typeof g.expect === 'function') throw new Error('an expect() is reachable from the submission');
for (const k of ['log', 'error', 'warn', 'info', 'debug'] as const) g.console[k] = () => {};

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, t, state }: ParameterUpdate<'m' | 's'>): void {
    void state; void t; void grad; void param;
  }
}

tf.serialization.registerClass(Adam);
