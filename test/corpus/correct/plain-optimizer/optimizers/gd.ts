/** Gradient descent as a direct tf.Optimizer subclass, without the course's SlotOptimizer. */
import * as tf from '@tensorflow/tfjs';

type Gradients = tf.NamedTensorMap | Array<{ name: string; tensor: tf.Tensor }>;

export class GD extends tf.Optimizer {
  static className = 'optnn/GD';

  constructor(readonly lr = 0.2) {
    super();
  }

  override applyGradients(variableGradients: Gradients): void {
    const names = Array.isArray(variableGradients) ? variableGradients.map((g) => g.name) : Object.keys(variableGradients);
    names.forEach((name, i) => {
      const grad = Array.isArray(variableGradients) ? variableGradients[i]?.tensor : variableGradients[name];
      if (grad == null) return;
      const param = tf.engine().registeredVariables[name];
      if (param === undefined) throw new Error(`GD: no variable named ${name}`);
      tf.tidy(() => {
        param.assign(param.sub(grad.mul(this.lr)));
      });
    });
    this.incrementIterations();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { lr: this.lr };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    return new cls(config['lr']);
  }
}

tf.serialization.registerClass(GD);
