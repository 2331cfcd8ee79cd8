/** GD that computes the step but never writes it back into the parameter. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class GD extends SlotOptimizer {
  static className = 'optnn/GD';

  constructor(readonly lr = 0.2) {
    super([], { lr });
  }

  protected override updateParameter({ param, grad }: ParameterUpdate<never>): void {
    const updated = param.sub(grad.mul(this.lr));
    void updated;
    param.assign(param.clone());
  }
}

tf.serialization.registerClass(GD);
