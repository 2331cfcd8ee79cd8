/**
 * Conv2DBackpropFilter, the filter gradient of a conv2d (dilations 1, as tfjs's gradient requires):
 *   dW[a, b, ci, co] = Σ_{n, i, j} x[n, i·sh + a − top, j·sw + b − left, ci] · dy[n, i, j, co].
 *
 * wasm has no such kernel (tfjs issue 8474). There, stride 1 NHWC with ≤ 16 output channels (the
 * course's nets) runs on the WebAssembly SIMD kernels (simd-conv.ts); anything else is one forward conv, which XNNPACK runs fast:
 * x transposed to [Ci, H, W, N] is the image (batch Ci, channels N), dy transposed to
 * [Ho, Wo, N, Co] is the filter, dilated by the stride; the result [Ci, fh, fw, Co] is transposed
 * back. On cpu the stock kernel reads every element through TensorBuffer.get(); here it is a loop
 * over the typed arrays, accumulating in float64 like the stock kernel. NCHW on cpu goes to the
 * kernel this one replaced.
 */
import * as tf from '@tensorflow/tfjs';
import {
  callConfig,
  callKernel,
  disposeIntermediate,
  float32Values,
  makeFloat32Output,
  relabel,
  type FastBackendName,
} from './kernel-calls.js';
import { filterGrad, handlesConv } from './simd-conv.js';

type Shape4D = [number, number, number, number];

interface FilterGradGeometry {
  info: tf.backend_util.Conv2DInfo;
  /** Padding at the far ends that makes the transposed conv's output exactly fh × fw (may be < 0). */
  bottom: number;
  right: number;
}

function geometry(
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  attrs: tf.Conv2DBackpropFilterAttrs,
): FilterGradGeometry | undefined {
  const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4D,
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    dataFormat,
  );
  const dyShape =
    dataFormat === 'channelsLast'
      ? [info.batchSize, info.outHeight, info.outWidth, info.outChannels]
      : [info.batchSize, info.outChannels, info.outHeight, info.outWidth];
  if (!tf.util.arraysEqual(dy.shape, dyShape)) return undefined;
  const bottom =
    info.filterHeight + (info.outHeight - 1) * info.strideHeight - info.inHeight - info.padInfo.top;
  const right = info.filterWidth + (info.outWidth - 1) * info.strideWidth - info.inWidth - info.padInfo.left;
  return { info, bottom, right };
}

/** wasm: one XNNPACK conv on transposed tensors. Handles NHWC and NCHW, any stride and padding. */
function wasmFilterGrad(
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  attrs: tf.Conv2DBackpropFilterAttrs,
  backend: object,
): tf.TensorInfo {
  const shape = geometry(x, dy, attrs);
  if (shape === undefined) {
    throw new Error(
      `Conv2DBackpropFilter: dy of shape [${dy.shape.join(', ')}] does not match x [${x.shape.join(', ')}] and filter [${attrs.filterShape.join(', ')}]`,
    );
  }
  const { info } = shape;
  if (handlesConv(info)) {
    const out = makeFloat32Output(backend, attrs.filterShape);
    filterGrad(float32Values(backend, x), float32Values(backend, dy), info, out.values);
    return out.info;
  }
  const channelsLast = info.dataFormat === 'channelsLast';
  const temps: tf.TensorInfo[] = [];
  const run = (name: string, inputs: tf.NamedTensorInfoMap, kernelAttrs: tf.NamedAttrMap): tf.TensorInfo => {
    const out = callKernel(name, 'wasm', backend, inputs, kernelAttrs);
    temps.push(out);
    return out;
  };
  try {
    let image = x;
    if (shape.bottom < 0 || shape.right < 0) {
      // Rows and columns the strided windows never reach ('valid' with a remainder): cut them off.
      const rows = info.inHeight + Math.min(0, shape.bottom);
      const cols = info.inWidth + Math.min(0, shape.right);
      const size = channelsLast
        ? [info.batchSize, rows, cols, info.inChannels]
        : [info.batchSize, info.inChannels, rows, cols];
      image = run('Slice', { x }, { begin: [0, 0, 0, 0], size });
    }
    const xT = run('Transpose', { x: image }, { perm: channelsLast ? [3, 1, 2, 0] : [1, 2, 3, 0] });
    const dyT = run('Transpose', { x: dy }, { perm: channelsLast ? [1, 2, 0, 3] : [2, 3, 0, 1] });
    const pad = [
      [0, 0],
      [info.padInfo.top, Math.max(0, shape.bottom)],
      [info.padInfo.left, Math.max(0, shape.right)],
      [0, 0],
    ];
    const conv = run('Conv2D', { x: xT, filter: dyT }, {
      strides: [1, 1],
      pad,
      dataFormat: 'NHWC',
      dilations: [info.strideHeight, info.strideWidth],
      dimRoundingMode: undefined,
    } as unknown as tf.NamedAttrMap);
    const [fh, fw, ci, co] = attrs.filterShape;
    if (!tf.util.arraysEqual(conv.shape, [ci, fh, fw, co])) {
      throw new Error(
        `Conv2DBackpropFilter: internal conv gave [${conv.shape.join(', ')}], expected [${[ci, fh, fw, co].join(', ')}]`,
      );
    }
    if (ci === 1) {
      temps.pop();
      return relabel(conv, [fh, fw, ci, co]);
    }
    return callKernel('Transpose', 'wasm', backend, { x: conv }, { perm: [1, 2, 0, 3] });
  } finally {
    for (const t of temps) disposeIntermediate(backend, t);
  }
}

/** cpu: a direct loop over typed arrays, NHWC only. */
function cpuFilterGrad(
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  backend: object,
): tf.TensorInfo {
  const {
    batchSize,
    inHeight,
    inWidth,
    inChannels,
    outHeight,
    outWidth,
    outChannels,
    filterHeight,
    filterWidth,
    strideHeight,
    strideWidth,
  } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const xv = float32Values(backend, x);
  const dyv = float32Values(backend, dy);
  const acc = new Float64Array(filterHeight * filterWidth * inChannels * outChannels);
  const xRow = inWidth * inChannels;
  const xBatch = inHeight * xRow;
  for (let a = 0; a < filterHeight; a++) {
    // Output rows i whose input row i·sh + a − top lies inside x.
    const iMin = Math.max(0, Math.ceil((top - a) / strideHeight));
    const iMax = Math.min(outHeight, Math.floor((inHeight - 1 + top - a) / strideHeight) + 1);
    for (let b = 0; b < filterWidth; b++) {
      const jMin = Math.max(0, Math.ceil((left - b) / strideWidth));
      const jMax = Math.min(outWidth, Math.floor((inWidth - 1 + left - b) / strideWidth) + 1);
      const wBase = (a * filterWidth + b) * inChannels * outChannels;
      for (let n = 0; n < batchSize; n++) {
        for (let i = iMin; i < iMax; i++) {
          const xRowBase = n * xBatch + (i * strideHeight + a - top) * xRow;
          const dyRowBase = (n * outHeight + i) * outWidth * outChannels;
          for (let j = jMin; j < jMax; j++) {
            const xBase = xRowBase + (j * strideWidth + b - left) * inChannels;
            const dyBase = dyRowBase + j * outChannels;
            for (let c = 0; c < inChannels; c++) {
              const xval = xv[xBase + c]!;
              const w = wBase + c * outChannels;
              for (let o = 0; o < outChannels; o++) acc[w + o]! += xval * dyv[dyBase + o]!;
            }
          }
        }
      }
    }
  }
  const out = makeFloat32Output(backend, [filterHeight, filterWidth, inChannels, outChannels]);
  out.values.set(acc);
  return out.info;
}

/**
 * The kernel config for `backendName`. `previous` is the kernel it replaces (none on wasm); cases
 * this one does not handle go to it.
 */
export function conv2DBackpropFilterConfig(
  backendName: FastBackendName,
  previous: tf.KernelConfig | undefined,
): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const filterAttrs = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
      if (previous) return callConfig(previous, backend, inputs, attrs ?? {});
      throw new Error(`Conv2DBackpropFilter: expected float32 tensors, got ${x.dtype} and ${dy.dtype}`);
    }
    if (backendName === 'wasm') return wasmFilterGrad(x, dy, filterAttrs, backend);
    const shape = geometry(x, dy, filterAttrs);
    if (shape === undefined || shape.info.dataFormat !== 'channelsLast') {
      if (previous) return callConfig(previous, backend, inputs, attrs ?? {});
      throw new Error('Conv2DBackpropFilter: this case needs the stock cpu kernel, which is not registered');
    }
    return cpuFilterGrad(x, dy, shape.info, backend);
  };
  return { kernelName: tf.Conv2DBackpropFilter, backendName, kernelFunc };
}
