/** AdaGrad: G ← g·g + G, θ ← θ − lr·(g / (√G + eps)). */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class AdaGrad extends SlotOptimizer<'G'> {
  static className = 'optnn/AdaGrad';

  constructor(readonly lr = 0.01, readonly eps = 1e-10) {
    super(['G'], { lr, eps });
  }

  protected override updateParameter({ param, grad, state: { G } }: ParameterUpdate<'G'>): void {
    G.assign(tf.mul(grad, grad).add(G));
    const scaled = tf.div(grad, tf.add(tf.sqrt(G), this.eps));
    param.assign(param.sub(scaled.mul(this.lr)));
  }
}

tf.serialization.registerClass(AdaGrad);
