/**
 * Conv2DBackpropInput on webgpu, one thread per input element, in integer arithmetic: the stock
 * kernel's scalar path (taken when a channel count is not a multiple of 4, as in the
 * GarmentClassifier's second convolution, 6 → 16) tests each tap with float divisions and
 * fract(). dx[b, r, c, ci] = Σ dy[b, yr, yc, co] · W[fr, fc, ci, co] over the taps where
 * r + padTop − fr = yr · strideH (and likewise for columns) lands inside dy. NHWC, dilation 1;
 * other cases go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { flatProgram, ints, isWebGpuRunner } from './program.js';

const BODY = `
  fn main(index : i32) {
    if (index >= uniforms.size) { return; }
    let inC = uniforms.outShape[3];
    let inW = uniforms.outShape[2];
    let inH = uniforms.outShape[1];
    let ci = index % inC;
    let c = (index / inC) % inW;
    let r = (index / (inC * inW)) % inH;
    let b = index / (inC * inW * inH);
    let outH = uniforms.dyShape[1];
    let outW = uniforms.dyShape[2];
    let outC = uniforms.dyShape[3];
    var sum = 0.0;
    for (var fr = 0; fr < uniforms.fh; fr = fr + 1) {
      let rr = r + uniforms.padTop - fr;
      if (rr < 0 || rr % uniforms.strideH != 0) { continue; }
      let yr = rr / uniforms.strideH;
      if (yr >= outH) { continue; }
      for (var fc = 0; fc < uniforms.fw; fc = fc + 1) {
        let cc = c + uniforms.padLeft - fc;
        if (cc < 0 || cc % uniforms.strideW != 0) { continue; }
        let yc = cc / uniforms.strideW;
        if (yc >= outW) { continue; }
        let dyBase = ((b * outH + yr) * outW + yc) * outC;
        let wBase = ((fr * uniforms.fw + fc) * inC + ci) * outC;
        for (var co = 0; co < outC; co = co + 1) {
          sum = sum + dy[dyBase + co] * W[wBase + co];
        }
      }
    }
    setOutputAtIndex(index, sum);
  }
`;

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

export function conv2DBackpropInputConfig(previous: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.Conv2DBackpropInput,
    backendName: 'webgpu',
    kernelFunc: (args) => {
      const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
      const attrs = args.attrs as unknown as Attrs;
      const backend = args.backend as object;
      if (
        attrs.dataFormat !== 'NHWC' ||
        dy.dtype !== 'float32' ||
        filter.dtype !== 'float32' ||
        !isWebGpuRunner(backend)
      )
        return previous.kernelFunc(args);
      const info = tf.backend_util.computeConv2DInfo(
        attrs.inputShape,
        filter.shape as [number, number, number, number],
        attrs.strides,
        1,
        attrs.pad,
        attrs.dimRoundingMode,
        false,
        'channelsLast',
      );
      if (tf.util.sizeFromShape(attrs.inputShape) === 0) return previous.kernelFunc(args);
      return backend.runWebGPUProgram(
        flatProgram(
          'optnnConv2DBackpropInput',
          [...attrs.inputShape],
          ['dy', 'W'],
          'fh : i32, fw : i32, strideH : i32, strideW : i32, padTop : i32, padLeft : i32,',
          BODY,
        ),
        [dy, filter],
        'float32',
        ints(
          info.filterHeight,
          info.filterWidth,
          info.strideHeight,
          info.strideWidth,
          info.padInfo.top,
          info.padInfo.left,
        ),
      );
    },
  };
}
