/** RMSProp keeping its running means in a Map of variables keyed by the parameter's name. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class RMSProp extends SlotOptimizer {
  static className = 'optnn/RMSProp';

  private readonly meanSquares = new Map<string, tf.Variable>();

  constructor(readonly lr = 0.01, readonly eps = 1e-10, readonly decay = 0.1) {
    super([], { lr, eps, decay }, ['decay']);
  }

  private stateOf(param: tf.Variable): tf.Variable {
    const existing = this.meanSquares.get(param.name);
    if (existing !== undefined) return existing;
    const created = tf.zerosLike(param).variable(false);
    this.meanSquares.set(param.name, created);
    return created;
  }

  protected override updateParameter({ param, grad }: ParameterUpdate<never>): void {
    const S = this.stateOf(param);
    S.assign(S.mul(this.decay).add(grad.square().mul(1 - this.decay)));
    param.assign(param.sub(grad.mul(this.lr).div(S.sqrt().add(this.eps))));
  }

  override dispose(): void {
    tf.dispose([...this.meanSquares.values()]);
    this.meanSquares.clear();
    super.dispose();
  }
}

tf.serialization.registerClass(RMSProp);
