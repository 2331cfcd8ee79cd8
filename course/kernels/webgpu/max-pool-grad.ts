/**
 * MaxPoolGrad on webgpu, one thread per input position, for windows that do not overlap (stride ≥
 * window, as the GarmentClassifier's 2×2 stride 2): the only window holding a position sends it
 * its dy when the position is the window's first strict maximum scanning rows then columns (a
 * NaN never wins), the cpu kernel's rule; every other position gets 0. No second pass, no
 * atomics. Overlapping windows, padding and NCHW go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { flatProgram, ints, isWebGpuRunner } from './program.js';

const BODY = `
  fn main(index : i32) {
    if (index >= uniforms.size) { return; }
    let channels = uniforms.xShape[3];
    let inW = uniforms.xShape[2];
    let inH = uniforms.xShape[1];
    let d = index % channels;
    let c = (index / channels) % inW;
    let r = (index / (channels * inW)) % inH;
    let b = index / (channels * inW * inH);
    let yr = r / uniforms.strideH;
    let yc = c / uniforms.strideW;
    let r0 = yr * uniforms.strideH;
    let c0 = yc * uniforms.strideW;
    if (yr >= uniforms.dyShape[1] || yc >= uniforms.dyShape[2] || r - r0 >= uniforms.fh || c - c0 >= uniforms.fw) {
      setOutputAtIndex(index, 0.0);
      return;
    }
    var best = -uniforms.INFINITY;
    var at = -1;
    for (var wr = 0; wr < uniforms.fh; wr = wr + 1) {
      for (var wc = 0; wc < uniforms.fw; wc = wc + 1) {
        let k = ((b * inH + r0 + wr) * inW + c0 + wc) * channels + d;
        let v = x[k];
        if (v > best) {
          best = v;
          at = k;
        }
      }
    }
    var g = 0.0;
    if (at == index) {
      g = dy[((b * uniforms.dyShape[1] + yr) * uniforms.dyShape[2] + yc) * channels + d];
    }
    setOutputAtIndex(index, g);
  }
`;

interface Attrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function maxPoolGradConfig(previous: tf.KernelConfig): tf.KernelConfig {
  return {
    kernelName: tf.MaxPoolGrad,
    backendName: 'webgpu',
    kernelFunc: (args) => {
      const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
      const attrs = args.attrs as unknown as Attrs;
      const backend = args.backend as object;
      if (input.dtype !== 'float32' || dy.dtype !== 'float32' || !isWebGpuRunner(backend))
        return previous.kernelFunc(args);
      const info = tf.backend_util.computePool2DInfo(
        input.shape as [number, number, number, number],
        attrs.filterSize,
        attrs.strides,
        1,
        attrs.pad,
        attrs.dimRoundingMode,
      );
      const disjoint =
        info.strideHeight >= info.filterHeight &&
        info.strideWidth >= info.filterWidth &&
        info.padInfo.top === 0 &&
        info.padInfo.left === 0 &&
        info.outHeight * info.strideHeight <= info.inHeight + info.strideHeight - info.filterHeight &&
        info.outWidth * info.strideWidth <= info.inWidth + info.strideWidth - info.filterWidth;
      if (!disjoint || tf.util.sizeFromShape(input.shape) === 0) return previous.kernelFunc(args);
      return backend.runWebGPUProgram(
        flatProgram(
          'optnnMaxPoolGrad',
          [...input.shape],
          ['x', 'dy'],
          'fh : i32, fw : i32, strideH : i32, strideW : i32,',
          BODY,
        ),
        [input, dy],
        'float32',
        ints(info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth),
      );
    },
  };
}
