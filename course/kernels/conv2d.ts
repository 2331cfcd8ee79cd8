/**
 * Conv2D, the forward conv, for wasm. XNNPACK runs the course's first conv (one input channel,
 * [64, 28, 28, 1] * [5, 5, 1, 6]) at about a third of its speed on wider inputs, and in training
 * it repacks the weights of every conv at every step (they are a new tensor each time). Here
 * stride 1, no dilation, NHWC runs on the WebAssembly SIMD kernels (simd-conv.ts) with one input
 * channel and ≤ 16 output channels (vectors along the output row), or with 13 to 16 output
 * channels (two pixels at a time against 16-channel weight rows: the nets' second conv, 1.2 →
 * 0.9 ms measured alone with fresh weights). Everything else goes to the kernel this one
 * replaced. Under a gradient tape tfjs-layers calls Conv2D, then Add and Relu; the fused kernel
 * of forward-only evaluation (FusedConv2D) stays the stock one.
 */
import * as tf from '@tensorflow/tfjs';
import { callConfig, float32Values, makeFloat32Output, type FastBackendName } from './kernel-calls.js';
import { convForwardC1, convForwardCo16, handlesConv } from './simd-conv.js';

type Shape4D = [number, number, number, number];

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
  if (!handlesConv(info) || (info.inChannels > 1 && info.outChannels < 13)) return undefined;
  if (tf.util.sizeFromShape(info.outShape) === 0) return undefined;
  return info;
}

export function conv2DConfig(backendName: FastBackendName, previous: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, filter } = inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const info = simdCase(x, filter, attrs as unknown as tf.Conv2DAttrs);
    if (info === undefined) return callConfig(previous, backend, inputs, attrs ?? {});
    const out = makeFloat32Output(backend, info.outShape, { zeroed: false });
    const run = info.inChannels === 1 ? convForwardC1 : convForwardCo16;
    run(float32Values(backend, x), float32Values(backend, filter), info, out.values);
    return out.info;
  };
  return { kernelName: tf.Conv2D, backendName, kernelFunc };
}
