/**
 * The bias of every conv and dense layer on wasm: Add of x [..., C] and b [C] (the forward pass)
 * and Sum of dy [..., C] over every axis but the last (its gradient). The stock wasm kernels take a
 * generic broadcasting path, slower for these shapes. Here both run on the WebAssembly SIMD
 * kernels: the Add gives the stock kernel's bits (one float32 addition); the Sum adds float32
 * partial sums of 64 rows in float64. Every other case goes to the kernel replaced.
 */
import * as tf from '@tensorflow/tfjs';
import { callConfig, float32Values, makeFloat32Output, type FastBackendName } from './kernel-calls.js';
import { addBias as simdAddBias, channelSum as simdChannelSum } from './simd-conv.js';

function isBias(x: tf.TensorInfo, b: tf.TensorInfo): boolean {
  return (
    x.dtype === 'float32' &&
    b.dtype === 'float32' &&
    x.shape.length >= 2 &&
    b.shape.length === 1 &&
    b.shape[0] === x.shape[x.shape.length - 1] &&
    b.shape[0]! > 0
  );
}

export function addConfig(backendName: FastBackendName, previous: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const [x, bias] = isBias(a, b) ? [a, b] : isBias(b, a) ? [b, a] : [undefined, undefined];
    if (x === undefined || bias === undefined) return callConfig(previous, backend, inputs, attrs ?? {});
    const out = makeFloat32Output(backend, x.shape, { zeroed: false });
    const xv = float32Values(backend, x);
    const bv = float32Values(backend, bias);
    simdAddBias(xv, bv, out.values);
    return out.info;
  };
  return { kernelName: tf.Add, backendName, kernelFunc };
}

/** The sum over every axis but the last, or undefined when `attrs` ask for another reduction. */
function channelSum(x: tf.TensorInfo, attrs: tf.SumAttrs): number[] | undefined {
  if (x.dtype !== 'float32' || x.shape.length < 2) return undefined;
  const rank = x.shape.length;
  const axes = [...new Set(tf.util.parseAxisParam(attrs.axis, x.shape))].sort((p, q) => p - q);
  if (axes.length !== rank - 1 || axes.some((axis, i) => axis !== i)) return undefined;
  const c = x.shape[rank - 1]!;
  return attrs.keepDims ? [...Array(rank - 1).fill(1), c] : [c];
}

export function sumConfig(backendName: FastBackendName, previous: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: tf.TensorInfo };
    const shape = channelSum(x, attrs as unknown as tf.SumAttrs);
    if (shape === undefined || tf.util.sizeFromShape(x.shape) === 0)
      return callConfig(previous, backend, inputs, attrs ?? {});
    const out = makeFloat32Output(backend, shape, { zeroed: false });
    const xv = float32Values(backend, x);
    simdChannelSum(xv, x.shape[x.shape.length - 1]!, out.values);
    return out.info;
  };
  return { kernelName: tf.Sum, backendName, kernelFunc };
}
