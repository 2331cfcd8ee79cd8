/** AdaGrad as a direct tf.Optimizer subclass, with its own state and dispose. */
import * as tf from '@tensorflow/tfjs';

interface NamedGradient {
  name: string;
  tensor: tf.Tensor;
}

export class AdaGrad extends tf.Optimizer {
  static className = 'optnn/AdaGrad';

  private readonly accumulators: Record<string, tf.Variable> = {};

  constructor(readonly lr = 0.01, readonly eps = 1e-10) {
    super();
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedGradient[]): void {
    const entries: NamedGradient[] = Array.isArray(variableGradients)
      ? variableGradients
      : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    for (const { name, tensor: grad } of entries) {
      if (grad == null) continue;
      const param = tf.engine().registeredVariables[name];
      if (param === undefined) continue;
      const accumulator = this.accumulators[name] ??= tf.tidy(() => tf.zerosLike(param).variable(false));
      tf.tidy(() => {
        const sum = accumulator.add(tf.square(grad));
        accumulator.assign(sum);
        param.assign(param.sub(tf.div(grad, sum.sqrt().add(this.eps)).mul(this.lr)));
      });
    }
    this.incrementIterations();
  }

  override dispose(): void {
    for (const name of Object.keys(this.accumulators)) {
      this.accumulators[name]?.dispose();
      delete this.accumulators[name];
    }
    super.dispose();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { lr: this.lr, eps: this.eps };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    return new cls(config['lr'], config['eps']);
  }
}

tf.serialization.registerClass(AdaGrad);
