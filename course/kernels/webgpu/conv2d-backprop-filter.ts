/**
 * Conv2DBackpropFilter on webgpu as a split-K reduction. The stock kernel gives each filter weight
 * (150 and 2,400 in the GarmentClassifier) one thread looping over batch × outHeight × outWidth
 * (1.8 M products at batch 3,200): a few thousand threads on a GPU built for hundreds of
 * thousands. Here pass 1 splits that sum into chunks, one thread per (chunk, weight), and pass 2
 * adds each weight's chunks in order. NHWC, dilation 1; other cases go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { flatProgram, ints, isWebGpuRunner } from './program.js';

/** Threads pass 1 aims for: enough to fill a large GPU, few enough for pass 2 to stay short. */
const TARGET_THREADS = 1 << 17;

const PARTIAL = `
  fn main(index : i32) {
    if (index >= uniforms.size) { return; }
    let weights = uniforms.outShape[1];
    let chunk = index / weights;
    let w = index - chunk * weights;
    // w = ((fr * fw + fc) * inC + ci) * outC + co, as the filter is laid out.
    let outC = uniforms.dyShape[3];
    let inC = uniforms.xShape[3];
    let co = w % outC;
    let ci = (w / outC) % inC;
    let fc = (w / (outC * inC)) % uniforms.fw;
    let fr = w / (outC * inC * uniforms.fw);
    let outH = uniforms.dyShape[1];
    let outW = uniforms.dyShape[2];
    let inH = uniforms.xShape[1];
    let inW = uniforms.xShape[2];
    let begin = chunk * uniforms.chunkSize;
    let end = min(begin + uniforms.chunkSize, uniforms.total);
    var sum = 0.0;
    // k = (b * outH + yr) * outW + yc, decoded once, then stepped without divisions.
    var yc = begin % outW;
    var yr = (begin / outW) % outH;
    var b = begin / (outW * outH);
    for (var k = begin; k < end; k = k + 1) {
      let xr = yr * uniforms.strideH + fr - uniforms.padTop;
      let xc = yc * uniforms.strideW + fc - uniforms.padLeft;
      if (xr >= 0 && xr < inH && xc >= 0 && xc < inW) {
        sum = sum + x[((b * inH + xr) * inW + xc) * inC + ci] * dy[k * outC + co];
      }
      yc = yc + 1;
      if (yc == outW) {
        yc = 0;
        yr = yr + 1;
        if (yr == outH) {
          yr = 0;
          b = b + 1;
        }
      }
    }
    setOutputAtIndex(index, sum);
  }
`;

const TOTAL = `
  fn main(index : i32) {
    if (index >= uniforms.size) { return; }
    let weights = uniforms.size;
    var sum = 0.0;
    for (var c = 0; c < uniforms.chunks; c = c + 1) {
      sum = sum + partial[c * weights + index];
    }
    setOutputAtIndex(index, sum);
  }
`;

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

export function conv2DBackpropFilterConfig(previous: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropFilter,
    backendName: 'webgpu',
    kernelFunc: (args) => {
      const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
      const attrs = args.attrs as unknown as Attrs;
      const backend = args.backend as object;
      if (
        attrs.dataFormat !== 'NHWC' ||
        x.dtype !== 'float32' ||
        dy.dtype !== 'float32' ||
        !isWebGpuRunner(backend)
      )
        return previous.kernelFunc(args);
      const info = tf.backend_util.computeConv2DInfo(
        x.shape as [number, number, number, number],
        attrs.filterShape,
        attrs.strides,
        1,
        attrs.pad,
        attrs.dimRoundingMode,
        false,
        'channelsLast',
      );
      const weights = tf.util.sizeFromShape(attrs.filterShape);
      const total = info.batchSize * info.outHeight * info.outWidth;
      if (weights === 0 || total === 0) return previous.kernelFunc(args);
      const wanted = Math.max(1, Math.min(total, Math.floor(TARGET_THREADS / weights)));
      const chunkSize = Math.ceil(total / wanted);
      const chunks = Math.ceil(total / chunkSize);
      const partial = backend.runWebGPUProgram(
        flatProgram(
          'optnnConv2DBackpropFilterPartial',
          [chunks, weights],
          ['x', 'dy'],
          'fw : i32, strideH : i32, strideW : i32, padTop : i32, padLeft : i32, chunkSize : i32, total : i32,',
          PARTIAL,
        ),
        [x, dy],
        'float32',
        ints(
          info.filterWidth,
          info.strideHeight,
          info.strideWidth,
          info.padInfo.top,
          info.padInfo.left,
          chunkSize,
          total,
        ),
      );
      const result = backend.runWebGPUProgram(
        flatProgram(
          'optnnConv2DBackpropFilterTotal',
          [...attrs.filterShape],
          ['partial'],
          'chunks : i32,',
          TOTAL,
        ),
        [partial],
        'float32',
        ints(chunks),
      );
      backend.disposeData(partial.dataId);
      return result;
    },
  };
}
