/**
 * Conv2D, the forward conv, for wasm. XNNPACK runs the course's first conv (one input channel,
 * [64, 28, 28, 1] * [5, 5, 1, 6]) at about a third of its speed on wider inputs; here stride 1,
 * no dilation, NHWC with few input channels and ≤ 16 output channels runs on the WebAssembly SIMD
 * kernel instead (simd-conv.ts: whole output rows against weights tiled to the row's period).
 * Everything else, the second conv of the nets included (XNNPACK is as fast there), goes to the
 * kernel this one replaced. Under a gradient tape tfjs-layers calls Conv2D, then Add and Relu;
 * the fused kernel of forward-only evaluation (FusedConv2D) stays the stock one.
 */
import * as tf from '@tensorflow/tfjs';
import { callConfig, float32Values, makeFloat32Output, type FastBackendName } from './kernel-calls.js';
import { convForwardC1, handlesConv } from './simd-conv.js';

type Shape4D = [number, number, number, number];

/** Input channels up to which the SIMD kernel beats XNNPACK (measured with `npm run bench -- --profile`). */
export const MAX_FORWARD_IN_CHANNELS = 1;

function simdCase(
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  attrs: tf.Conv2DAttrs,
): tf.backend_util.Conv2DInfo | undefined {
  if (x.dtype !== 'float32' || filter.dtype !== 'float32') return undefined;
  if (x.shape.length !== 4 || filter.shape.length !== 4) return undefined;
  const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  if (dataFormat !== 'channelsLast') return undefined;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4D,
    filter.shape as Shape4D,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    dataFormat,
  );
  if (!handlesConv(info) || info.inChannels > MAX_FORWARD_IN_CHANNELS) return undefined;
  if (tf.util.sizeFromShape(info.outShape) === 0) return undefined;
  return info;
}

export function conv2DConfig(backendName: FastBackendName, previous: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, filter } = inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const info = simdCase(x, filter, attrs as unknown as tf.Conv2DAttrs);
    if (info === undefined) return callConfig(previous, backend, inputs, attrs ?? {});
    const out = makeFloat32Output(backend, info.outShape, { zeroed: false });
    convForwardC1(float32Values(backend, x), float32Values(backend, filter), info, out.values);
    return out.info;
  };
  return { kernelName: tf.Conv2D, backendName, kernelFunc };
}
