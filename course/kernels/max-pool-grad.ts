/**
 * MaxPoolGrad as one pass over typed arrays: each pooling window sends its dy to the first
 * position holding the window's maximum (scanning rows, then columns; a NaN never wins; a window
 * of only NaN or −∞ sends nothing). These are the stock cpu kernel's rules, and windows are
 * visited in the order the cpu kernel sums them: where windows do not overlap the result is the
 * same to the bit; where they overlap, sums are rounded to float32 at each step instead of once.
 */
import * as tf from '@tensorflow/tfjs';
import { callConfig, float32Values, makeFloat32Output, type FastBackendName } from './kernel-calls.js';
import { maxPoolGrad2x2 as simdMaxPoolGrad2x2 } from './simd-conv.js';

type Shape4D = [number, number, number, number];

/**
 * The common case, 2×2 windows with stride 2 inside the input, without data-dependent branches
 * (with random data a branch per comparison mispredicts and costs half the time): a tournament
 * of index arithmetic, a ≥ b keeping the earlier index, gives the first maximum. A window with a
 * NaN or an infinity, where that shortcut could differ from the scan, takes the scan instead.
 */
function maxPoolGrad2x2(
  dx: Float32Array,
  xv: Float32Array,
  dyv: Float32Array,
  info: tf.backend_util.Conv2DInfo,
): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const xRow = inWidth * channels;
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let yR = 0; yR < outHeight; yR++) {
      let corner = (b * inHeight + 2 * yR) * xRow;
      for (let yC = 0; yC < outWidth; yC++, corner += 2 * channels) {
        for (let d = 0; d < channels; d++, o++) {
          const k0 = corner + d;
          const k2 = k0 + xRow;
          const a0 = xv[k0]!;
          const a1 = xv[k0 + channels]!;
          const a2 = xv[k2]!;
          const a3 = xv[k2 + channels]!;
          const sum = a0 + a1 + a2 + a3;
          if (sum - sum !== 0) {
            const at = scanWindow(xv, [k0, k0 + channels, k2, k2 + channels]);
            if (at >= 0) dx[at] = dyv[o]!;
            continue;
          }
          const top = k0 + Number(a1 > a0) * channels;
          const bottom = k2 + Number(a3 > a2) * channels;
          dx[top + Number(xv[bottom]! > xv[top]!) * (bottom - top)] = dyv[o]!;
        }
      }
    }
  }
}

/** The first strict maximum among `positions`, or −1 when none beats −∞ (NaN never does). */
function scanWindow(xv: Float32Array, positions: number[]): number {
  let max = Number.NEGATIVE_INFINITY;
  let at = -1;
  for (const k of positions) {
    const v = xv[k]!;
    if (v > max) {
      max = v;
      at = k;
    }
  }
  return at;
}

function isTwoByTwo(info: tf.backend_util.Conv2DInfo): boolean {
  return (
    info.effectiveFilterHeight === 2 &&
    info.effectiveFilterWidth === 2 &&
    info.strideHeight === 2 &&
    info.strideWidth === 2 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0 &&
    2 * info.outHeight <= info.inHeight &&
    2 * info.outWidth <= info.inWidth
  );
}

function maxPoolGrad(
  dy: tf.TensorInfo,
  input: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  backend: object,
  simd: boolean,
): tf.TensorInfo {
  // The SIMD kernel's result is copied over the whole output.
  const out = makeFloat32Output(backend, input.shape, { zeroed: !(simd && isTwoByTwo(info)) });
  const dx = out.values;
  const xv = float32Values(backend, input);
  const dyv = float32Values(backend, dy);
  if (isTwoByTwo(info) && simd) {
    simdMaxPoolGrad2x2(xv, dyv, info, dx);
    return out.info;
  }
  if (isTwoByTwo(info)) {
    maxPoolGrad2x2(dx, xv, dyv, info);
    return out.info;
  }
  const {
    batchSize,
    inHeight,
    inWidth,
    inChannels: channels,
    outHeight,
    outWidth,
    strideHeight,
    strideWidth,
  } = info;
  const filterHeight = info.effectiveFilterHeight;
  const filterWidth = info.effectiveFilterWidth;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const xRow = inWidth * channels;
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    const xBatch = b * inHeight * xRow;
    for (let yR = 0; yR < outHeight; yR++) {
      const rCorner = yR * strideHeight - top;
      const rMin = Math.max(0, rCorner);
      const rMax = Math.min(inHeight, rCorner + filterHeight);
      for (let yC = 0; yC < outWidth; yC++) {
        const cCorner = yC * strideWidth - left;
        const cMin = Math.max(0, cCorner);
        const cMax = Math.min(inWidth, cCorner + filterWidth);
        for (let d = 0; d < channels; d++, o++) {
          let max = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let r = rMin; r < rMax; r++) {
            for (let c = cMin, k = xBatch + r * xRow + cMin * channels + d; c < cMax; c++, k += channels) {
              const v = xv[k]!;
              if (v > max) {
                max = v;
                at = k;
              }
            }
          }
          if (at >= 0) dx[at]! += dyv[o]!;
        }
      }
    }
  }
  return out.info;
}

export function maxPoolGradConfig(backendName: FastBackendName, previous: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const poolAttrs = attrs as unknown as tf.MaxPoolGradAttrs;
    if (dy.dtype !== 'float32' || input.dtype !== 'float32' || input.shape.length !== 4) {
      return callConfig(previous, backend, inputs, attrs ?? {});
    }
    const info = tf.backend_util.computePool2DInfo(
      input.shape as Shape4D,
      poolAttrs.filterSize,
      poolAttrs.strides,
      1,
      poolAttrs.pad,
      poolAttrs.dimRoundingMode,
    );
    if (!tf.util.arraysEqual(dy.shape, info.outShape))
      return callConfig(previous, backend, inputs, attrs ?? {});
    return maxPoolGrad(dy, input, info, backend, backendName === 'wasm');
  };
  return { kernelName: tf.MaxPoolGrad, backendName, kernelFunc };
}
