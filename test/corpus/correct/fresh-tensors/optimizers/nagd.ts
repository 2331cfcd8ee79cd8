/**
 * Nesterov in Sutskever's form, θ ← θ − μ·v_old + (1 + μ)·v_new with v_new = μ·v_old − lr·g
 * (the same as θ ← θ + μ·v_new − lr·g), keeping v as a plain tensor replaced every step.
 */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';

export class NAGD extends SlotOptimizer {
  static className = 'optnn/NAGD';

  private readonly velocities = new Map<tf.Variable, tf.Tensor>();

  constructor(readonly lr = 0.2, readonly momentum = 0.9) {
    super([], { lr, momentum }, ['momentum']);
  }

  protected override updateParameter({ param, grad }: ParameterUpdate<never>): void {
    const vOld = this.velocities.get(param) ?? tf.zerosLike(param);
    const vNew = tf.keep(vOld.mul(this.momentum).sub(grad.mul(this.lr)));
    param.assign(param.sub(vOld.mul(this.momentum)).add(vNew.mul(1 + this.momentum)));
    this.velocities.get(param)?.dispose();
    this.velocities.set(param, vNew);
  }

  override dispose(): void {
    tf.dispose([...this.velocities.values()]);
    this.velocities.clear();
    super.dispose();
  }
}

tf.serialization.registerClass(NAGD);
