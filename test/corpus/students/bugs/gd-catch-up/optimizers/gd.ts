/** GD that "catches up" a parameter that missed steps: its next gradient is applied once more per missed step. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class GD extends SlotOptimizer {
  static className = 'optnn/GD';
  private readonly lastStep = new Map<string, number>();

  constructor(readonly lr = 0.2) {
    super([], { lr });
  }

  protected override updateParameter({ param, grad, t }: ParameterUpdate<never>): void {
    const missed = t - (this.lastStep.get(param.name) ?? t - 1) - 1;
    this.lastStep.set(param.name, t);
    param.assign(param.sub(grad.mul(this.lr * (1 + missed))));
  }
}

tf.serialization.registerClass(GD);
