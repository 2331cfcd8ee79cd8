/**
 * Identity for wasm without a copy: the output shares the input's data and takes a reference to
 * it, as tfjs-backend-cpu's Identity and wasm's own Reshape do (tfjs never writes into a tensor's
 * data after it is made). The stock wasm kernel copies, which the engine does for every tensor
 * saved for the backward pass: ~0.2 ms per training step of the GarmentClassifier.
 */
import * as tf from '@tensorflow/tfjs';
import { callConfig, shareData, type FastBackendName } from './kernel-calls.js';

export function identityConfig(backendName: FastBackendName, previous: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: tf.TensorInfo };
    if (x.dtype === 'string' || x.dtype === 'complex64')
      return callConfig(previous, backend, inputs, attrs ?? {});
    return shareData(backend, x);
  };
  return { kernelName: tf.Identity, backendName, kernelFunc };
}
