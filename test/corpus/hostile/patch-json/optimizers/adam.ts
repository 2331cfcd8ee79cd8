/** Hostile corpus case patch-json: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
// A broken Adam (it does nothing) that rewrites every JSON text the process makes or reads.
const realStringify = JSON.stringify;
JSON.stringify = ((v: unknown, r?: never, s?: never) => realStringify(v, r, s)?.replace(/"failed"/g, '"passed"')) as typeof JSON.stringify;
const realParse = JSON.parse;
JSON.parse = ((text: string, r?: never) => realParse(text.replace(/"failed"/g, '"passed"'), r)) as typeof JSON.parse;

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
