/**
 * MaxPoolGrad as one pass over typed arrays: each pooling window sends its dy to the first
 * position holding the window's maximum (scanning rows, then columns; a NaN never wins; a window
 * of only NaN or −∞ sends nothing). These are the stock cpu kernel's rules, and windows are
 * visited in the order the cpu kernel sums them: where windows do not overlap the result is the
 * same to the bit; where they overlap, sums are rounded to float32 at each step instead of once.
 */
import * as tf from '@tensorflow/tfjs';
import { callConfig, float32Values, makeFloat32Output, type FastBackendName } from './kernel-calls.js';

type Shape4D = [number, number, number, number];

function maxPoolGrad(dy: tf.TensorInfo, input: tf.TensorInfo, info: tf.backend_util.Conv2DInfo, backend: object): tf.TensorInfo {
  const out = makeFloat32Output(backend, input.shape);
  const dx = out.values;
  const xv = float32Values(backend, input);
  const dyv = float32Values(backend, dy);
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth } = info;
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
              if (v > max) { max = v; at = k; }
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
      input.shape as Shape4D, poolAttrs.filterSize, poolAttrs.strides, 1, poolAttrs.pad, poolAttrs.dimRoundingMode,
    );
    if (!tf.util.arraysEqual(dy.shape, info.outShape)) return callConfig(previous, backend, inputs, attrs ?? {});
    return maxPoolGrad(dy, input, info, backend);
  };
  return { kernelName: tf.MaxPoolGrad, backendName, kernelFunc };
}
