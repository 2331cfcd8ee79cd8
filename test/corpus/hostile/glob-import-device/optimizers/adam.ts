/** Hostile corpus case glob-import-device: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

// A relative template literal (enough ../ to reach /): esbuild would list /dev/ and read every
// match, and a device blocks the build for ever.
const suffix = 'ero';
export const hang = (await import(`../../../../../../../../../../../../../../dev/z${suffix}`)) as unknown;

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param }: ParameterUpdate<'m' | 's'>): void {
    param.assign(param);
  }
}

tf.serialization.registerClass(Adam);
