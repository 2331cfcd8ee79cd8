/** Hostile corpus case glob-import-reference: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
const name = 'adam';
const { Adam: Reference } = (await import(`../../../../../reference/optimizers/${name}.ts`)) as { Adam: new () => unknown };

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, t, state }: ParameterUpdate<'m' | 's'>): void {
    (new Reference() as unknown as { updateParameter(u: unknown): void }).updateParameter.call(this, { param, grad, t, state });
  }
}

tf.serialization.registerClass(Adam);
