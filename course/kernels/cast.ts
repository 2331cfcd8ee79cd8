/**
 * Cast for wasm: a cast to the dtype the tensor already has (`toFloat()` on float32, as in the
 * relu gradient) shares the input's data instead of copying it, like Identity. Casts that change
 * the dtype go to the kernel this one replaced.
 */
import * as tf from '@tensorflow/tfjs';
import { callConfig, shareData, type FastBackendName } from './kernel-calls.js';

export function castConfig(backendName: FastBackendName, previous: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: tf.TensorInfo };
    const { dtype } = attrs as unknown as tf.CastAttrs;
    if (dtype !== x.dtype || x.dtype === 'string' || x.dtype === 'complex64')
      return callConfig(previous, backend, inputs, attrs ?? {});
    return shareData(backend, x);
  };
  return { kernelName: tf.Cast, backendName, kernelFunc };
}
