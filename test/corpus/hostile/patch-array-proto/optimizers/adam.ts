/** Hostile corpus case patch-array-proto: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
// A broken Adam (it does nothing) that patches the Array methods the harness measures with.
const realForEach = Array.prototype.forEach;
Array.prototype.forEach = function patched<T>(this: T[], f: (v: T, i: number, a: T[]) => void): void {
  if (new Error().stack?.includes('probeOptimizer')) return; // the property probes see nothing to measure
  realForEach.call(this, f);
};
const realFrom = Array.from;
Array.from = ((...args: Parameters<typeof Array.from>) => realFrom(...args)) as typeof Array.from;

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
