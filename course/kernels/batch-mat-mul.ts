/**
 * BatchMatMul for wasm. Products of one batch whose right side fits in the cache (every dense
 * layer of the course's nets, forward and backward) run on the WebAssembly SIMD kernel
 * (simd-mat-mul.ts), 1.6–2.2× faster than XNNPACK here, transposed sides included. The stock
 * kernel sends a product to XNNPACK only when neither side is transposed and there is one batch;
 * otherwise it runs a scalar triple loop, 4–6× slower: larger one-batch products with a
 * transposed side are transposed explicitly first, then the replaced kernel runs them on XNNPACK.
 * Products with more than one batch go to the replaced kernel unchanged. _FusedMatMul (a product,
 * then a bias and an activation; tfjs-layers calls it for a dense layer without activation)
 * takes the SIMD kernel for the same products with a rank-1 bias or none and a linear or relu
 * activation, the rest going to the kernel it replaced.
 */
import * as tf from '@tensorflow/tfjs';
import {
  callConfig,
  callKernel,
  disposeIntermediate,
  float32Values,
  makeFloat32Output,
  type FastBackendName,
} from './kernel-calls.js';
import { matMul, type MatMulShape } from './simd-mat-mul.js';

/** Floats of the right side (padded) up to which the SIMD kernel runs: half a MiB, L2-resident. */
const SIMD_MAX_B_FLOATS = 131_072;

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

/** The product's sizes when the SIMD kernel takes it, else undefined. */
function simdShape(a: tf.TensorInfo, b: tf.TensorInfo, attrs: tf.BatchMatMulAttrs): MatMulShape | undefined {
  const { transposeA, transposeB } = attrs;
  const [a0, a1] = a.shape.slice(-2) as [number, number];
  const [b0, b1] = b.shape.slice(-2) as [number, number];
  const [m, k] = transposeA ? [a1, a0] : [a0, a1];
  const [kb, n] = transposeB ? [b1, b0] : [b0, b1];
  if (k !== kb || m * n * k === 0) return undefined;
  if (k * Math.ceil(n / 12) * 12 > SIMD_MAX_B_FLOATS) return undefined;
  return { m, k, n, transposeA, transposeB };
}

export function batchMatMulConfig(backendName: FastBackendName, previous: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const mmAttrs = attrs as unknown as tf.BatchMatMulAttrs;
    const { transposeA, transposeB } = mmAttrs;
    const handled = a.dtype === 'float32' && b.dtype === 'float32' && hasOneBatch(a) && hasOneBatch(b);
    if (!handled) return callConfig(previous, backend, inputs, attrs ?? {});
    const shape = simdShape(a, b, mmAttrs);
    if (shape !== undefined) {
      const batch = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
      const out = makeFloat32Output(backend, [...batch, shape.m, shape.n], { zeroed: false });
      matMul(float32Values(backend, a), float32Values(backend, b), shape, out.values);
      return out.info;
    }
    if (!transposeA && !transposeB) return callConfig(previous, backend, inputs, attrs ?? {});
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

/** A linear or relu activation, a rank-1 bias of n or none, no PReLU weights. */
function simpleEpilogue(
  bias: tf.TensorInfo | undefined,
  prelu: tf.TensorInfo | undefined,
  activation: string | undefined,
  n: number,
): boolean {
  if (prelu !== undefined && prelu !== null) return false;
  if (activation !== undefined && activation !== 'linear' && activation !== 'relu') return false;
  return (
    bias === undefined || bias === null || (bias.dtype === 'float32' && tf.util.arraysEqual(bias.shape, [n]))
  );
}

export function fusedMatMulConfig(backendName: FastBackendName, previous: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { a, b, bias, preluActivationWeights } = inputs as {
      a: tf.TensorInfo;
      b: tf.TensorInfo;
      bias?: tf.TensorInfo;
      preluActivationWeights?: tf.TensorInfo;
    };
    const fusedAttrs = attrs as unknown as tf.BatchMatMulAttrs & { activation?: string };
    const oneBatch = a.dtype === 'float32' && b.dtype === 'float32' && hasOneBatch(a) && hasOneBatch(b);
    const shape = oneBatch ? simdShape(a, b, fusedAttrs) : undefined;
    if (shape === undefined || !simpleEpilogue(bias, preluActivationWeights, fusedAttrs.activation, shape.n))
      return callConfig(previous, backend, inputs, attrs ?? {});
    const batch = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const out = makeFloat32Output(backend, [...batch, shape.m, shape.n], { zeroed: false });
    const values = out.values;
    matMul(float32Values(backend, a), float32Values(backend, b), shape, values);
    const bv = bias ? float32Values(backend, bias) : undefined;
    const relu = fusedAttrs.activation === 'relu';
    if (bv === undefined && !relu) return out.info;
    for (let i = 0, o = 0; i < shape.m; i++) {
      for (let j = 0; j < shape.n; j++, o++) {
        const v = bv === undefined ? values[o]! : values[o]! + bv[j]!;
        values[o] = relu && v < 0 ? 0 : v;
      }
    }
    return out.info;
  };
  return { kernelName: tf._FusedMatMul, backendName, kernelFunc };
}
