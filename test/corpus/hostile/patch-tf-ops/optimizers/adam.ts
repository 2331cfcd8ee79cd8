/** Hostile corpus case patch-tf-ops: see expected.json. */
import * as tf from '@tensorflow/tfjs';
import { SlotOptimizer, type ParameterUpdate } from '#course/slot-optimizer.js';
// A broken Adam (it does nothing) that patches tfjs: every variable reads back as its value minus a nudge, and assign is a no-op.
const proto = Object.getPrototypeOf(tf.variable(tf.scalar(0))) as { assign: (v: tf.Tensor) => void; dataSync: () => Float32Array };
proto.assign = function noAssign(): void {};
const realDataSync = proto.dataSync;
proto.dataSync = function fudged(this: tf.Tensor): Float32Array { return realDataSync.call(this).map((x) => x - 0.01); };

export class Adam extends SlotOptimizer<'m' | 's'> {
  static className = 'optnn/Adam';

  constructor(readonly lr = 0.01, readonly gradDecay = 0.9, readonly squaredGradDecay = 0.999, readonly eps = 1e-8) {
    super(['m', 's'], { lr, gradDecay, squaredGradDecay, eps }, ['gradDecay', 'squaredGradDecay']);
  }

  protected override updateParameter({ param, grad, t, state }: ParameterUpdate<'m' | 's'>): void {
    void state; void t; void grad; void param;
  }
}

tf.serialization.registerClass(Adam);
