/**
 * Conv2DBackpropInput, the input gradient of a conv2d, for wasm. With stride 1 and ≤ 16 output
 * channels (the course's nets) it runs on the WebAssembly SIMD kernels (simd-conv.ts), a scatter of
 * W·dy that does no multiplication by padding. Other stride-1 cases are a forward
 * conv, which XNNPACK runs fast (the stock kernel is a scalar loop, 4–5× slower):
 *   dx = conv2d(dy, W flipped in space with in/out channels swapped, stride 1,
 *               pad top = fh − 1 − top, bottom = H + fh − 1 − Ho − (fh − 1 − top), same for width).
 * Measured alternative, slower here: a matrix product dy·Wᵀ on XNNPACK plus a col2im loop in JS
 * (the loop alone costs as much as the whole conv). Anything else (stride > 1, NCHW, a padding
 * that would be negative, non-float32) goes to the kernel this one replaced.
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
import { handlesConv, inputGrad } from './simd-conv.js';

type Shape4D = [number, number, number, number];

interface FlippedConvPadding {
  top: number;
  bottom: number;
  left: number;
  right: number;
  info: tf.backend_util.Conv2DInfo;
}

/** The padding of the flipped conv, or undefined when this kernel does not handle the case. */
function flippedConvPadding(
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  attrs: tf.Conv2DBackpropInputAttrs,
): FlippedConvPadding | undefined {
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32') return undefined;
  const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  if (dataFormat !== 'channelsLast') return undefined;
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as Shape4D,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    dataFormat,
  );
  if (info.strideHeight !== 1 || info.strideWidth !== 1) return undefined;
  if (!tf.util.arraysEqual(dy.shape, info.outShape)) return undefined;
  const top = info.filterHeight - 1 - info.padInfo.top;
  const left = info.filterWidth - 1 - info.padInfo.left;
  const bottom = info.inHeight + info.filterHeight - 1 - info.outHeight - top;
  const right = info.inWidth + info.filterWidth - 1 - info.outWidth - left;
  if (Math.min(top, left, bottom, right) < 0) return undefined;
  return { top, bottom, left, right, info };
}

export function conv2DBackpropInputConfig(
  backendName: FastBackendName,
  previous: tf.KernelConfig,
): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const pad = flippedConvPadding(dy, filter, attrs as unknown as tf.Conv2DBackpropInputAttrs);
    if (pad === undefined) return callConfig(previous, backend, inputs, attrs ?? {});
    if (handlesConv(pad.info)) {
      const { info } = pad;
      // Without a crop the SIMD result is copied over the whole output.
      const whole =
        info.padInfo.top === 0 &&
        info.padInfo.left === 0 &&
        info.outHeight + info.filterHeight - 1 === info.inHeight &&
        info.outWidth + info.filterWidth - 1 === info.inWidth;
      const out = makeFloat32Output(backend, info.inShape, { zeroed: !whole });
      inputGrad(float32Values(backend, dy), float32Values(backend, filter), pad.info, out.values);
      return out.info;
    }
    const reversed = callKernel('Reverse', backendName, backend, { x: filter }, { dims: [0, 1] });
    let flipped: tf.TensorInfo | undefined;
    try {
      flipped = callKernel('Transpose', backendName, backend, { x: reversed }, { perm: [0, 1, 3, 2] });
      return callKernel('Conv2D', backendName, backend, { x: dy, filter: flipped }, {
        strides: [1, 1],
        pad: [
          [0, 0],
          [pad.top, pad.bottom],
          [pad.left, pad.right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [1, 1],
        dimRoundingMode: undefined,
      } as unknown as tf.NamedAttrMap);
    } finally {
      disposeIntermediate(backend, reversed);
      if (flipped) disposeIntermediate(backend, flipped);
    }
  };
  return { kernelName: tf.Conv2DBackpropInput, backendName, kernelFunc };
}
