/**
 * BatchMatMul for wasm. The stock kernel sends a product to XNNPACK only when neither side is
 * transposed and there is one batch; otherwise it runs a scalar triple loop, 4–6× slower. The
 * backward pass of every dense layer has a transposed side (dA = dy·Bᵀ, dB = Aᵀ·dy). Here that
 * side is transposed explicitly first, then the replaced kernel runs the product on XNNPACK.
 * Products with more than one batch go to the replaced kernel unchanged.
 */
import * as tf from '@tensorflow/tfjs';
import { callConfig, callKernel, disposeIntermediate, type FastBackendName } from './kernel-calls.js';

function hasOneBatch(info: tf.TensorInfo): boolean {
  return info.shape.length >= 2 && tf.util.sizeFromShape(info.shape.slice(0, -2)) === 1;
}

/** Swaps the last two axes. */
function transposeLastTwo(info: tf.TensorInfo, backendName: FastBackendName, backend: object): tf.TensorInfo {
  const rank = info.shape.length;
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return callKernel('Transpose', backendName, backend, { x: info }, { perm });
}

export function batchMatMulConfig(backendName: FastBackendName, previous: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    const handled =
      (transposeA || transposeB) &&
      a.dtype === 'float32' &&
      b.dtype === 'float32' &&
      hasOneBatch(a) &&
      hasOneBatch(b);
    if (!handled) return callConfig(previous, backend, inputs, attrs ?? {});
    const aT = transposeA ? transposeLastTwo(a, backendName, backend) : a;
    let bT: tf.TensorInfo | undefined;
    try {
      bT = transposeB ? transposeLastTwo(b, backendName, backend) : b;
      return callConfig(previous, backend, { a: aT, b: bT }, { transposeA: false, transposeB: false });
    } finally {
      if (transposeA) disposeIntermediate(backend, aT);
      if (transposeB && bT) disposeIntermediate(backend, bT);
    }
  };
  return { kernelName: tf.BatchMatMul, backendName, kernelFunc };
}
