/** AdaGrad keeping its sums in an array by the gradient's position in the step: a missing gradient shifts them. */
import * as tf from '@tensorflow/tfjs';
import type { NamedTensor } from '#course/slot-optimizer.js';

export class AdaGrad extends tf.Optimizer {
  static className = 'optnn/AdaGrad';
  private readonly sums: tf.Variable[] = [];

  constructor(readonly lr = 0.01, readonly eps = 1e-10) {
    super();
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[]): void {
    const entries = Array.isArray(variableGradients) ? variableGradients.map((e) => [e.name, e.tensor] as const) : Object.entries(variableGradients);
    entries.forEach(([name, grad], i) => {
      const param = tf.engine().registeredVariables[name]!;
      this.sums[i] ??= tf.variable(tf.zerosLike(param), false);
      const sum = this.sums[i]!;
      tf.tidy(() => {
        sum.assign(sum.add(grad.square()));
        param.assign(param.sub(grad.mul(this.lr).div(sum.sqrt().add(this.eps))));
      });
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { lr: this.lr, eps: this.eps };
  }

  override dispose(): void {
    tf.dispose(this.sums);
    super.dispose();
  }
}

tf.serialization.registerClass(AdaGrad);
