/**
 * Adam as a direct tf.Optimizer subclass: state created lazily per variable, its own step counter
 * (t = steps taken before this one), getWeights/setWeights for its state.
 */
import * as tf from '@tensorflow/tfjs';

interface NamedGradient {
  name: string;
  tensor: tf.Tensor;
}

interface Moments {
  m: tf.Variable;
  s: tf.Variable;
}

export class Adam extends tf.Optimizer {
  static className = 'optnn/Adam';

  private readonly state = new Map<string, Moments>();
  private stepsTaken = 0;

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super();
  }

  override applyGradients(variableGradients: tf.NamedTensorMap | NamedGradient[]): void {
    const pairs: Array<[string, tf.Tensor | null]> = Array.isArray(variableGradients)
      ? variableGradients.map((g): [string, tf.Tensor] => [g.name, g.tensor])
      : Object.keys(variableGradients).map((name): [string, tf.Tensor | null] => [name, variableGradients[name] ?? null]);
    const b1 = this.gradDecay;
    const b2 = this.squaredGradDecay;
    const correction1 = 1 - b1 ** (this.stepsTaken + 1);
    const correction2 = 1 - b2 ** (this.stepsTaken + 1);
    tf.tidy(() => {
      for (const [name, grad] of pairs) {
        if (grad === null) continue;
        const param = tf.engine().registeredVariables[name];
        if (param === undefined) continue;
        let moments = this.state.get(name);
        if (moments === undefined) {
          moments = { m: tf.zerosLike(param).variable(false), s: tf.zerosLike(param).variable(false) };
          this.state.set(name, moments);
        }
        const { m, s } = moments;
        m.assign(m.mul(b1).add(grad.mul(1 - b1)));
        s.assign(s.mul(b2).add(grad.square().mul(1 - b2)));
        const mHat = m.div(correction1);
        const sHat = s.div(correction2);
        param.assign(param.sub(mHat.mul(this.lr).div(sHat.sqrt().add(this.eps))));
      }
    });
    this.stepsTaken += 1;
    this.incrementIterations();
  }

  override dispose(): void {
    for (const { m, s } of this.state.values()) tf.dispose([m, s]);
    this.state.clear();
    super.dispose();
  }

  override async getWeights(): Promise<NamedGradient[]> {
    const weights: NamedGradient[] = [await this.saveIterations()];
    for (const [name, { m, s }] of this.state) weights.push({ name: `${name}/m`, tensor: m }, { name: `${name}/s`, tensor: s });
    return weights;
  }

  override async setWeights(weightValues: NamedGradient[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    this.stepsTaken = this.iterations;
    this.dispose();
    const byName = new Map(rest.map((w) => [w.name, w.tensor]));
    for (const name of new Set(rest.map((w) => w.name.slice(0, w.name.lastIndexOf('/'))))) {
      const m = byName.get(`${name}/m`);
      const s = byName.get(`${name}/s`);
      if (m !== undefined && s !== undefined) this.state.set(name, { m: m.clone().variable(false), s: s.clone().variable(false) });
    }
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { lr: this.lr, gradDecay: this.gradDecay, squaredGradDecay: this.squaredGradDecay, eps: this.eps };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    return new cls(config['lr'], config['gradDecay'], config['squaredGradDecay'], config['eps']);
  }
}

tf.serialization.registerClass(Adam);
