/**
 * Two kernels tfjs-backend-wasm 4.22 gets wrong or lacks, so that correct code a student writes
 * (a loss that picks each row's label with `tf.gather(x, labels, 1, 1)`, or any gather whose
 * gradient is taken) runs on wasm as it does on cpu:
 * - GatherV2 with `batchDims > 0`: the stock kernel reads every batch after the first from the
 *   first batch's rows (it returns [3, 0, 0] for rows [[1,2,3],[4,5,6],[7,8,9]] and labels
 *   [2, 0, 1] instead of [3, 4, 8]). Those cases are done here; `batchDims = 0` stays stock.
 * - UnsortedSegmentSum, which the gradient of every gather needs, is not registered for wasm.
 * Both index the values as tfjs-backend-cpu does (same shapes, same bounds check and messages).
 */
import * as tf from '@tensorflow/tfjs';
import { callConfig, type FastBackendName } from './kernel-calls.js';

type Values = Float32Array | Int32Array | Uint8Array;

/** The part of tfjs-backend-wasm's BackendWasm these kernels use. */
interface WasmHeap {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Values;
}

function heap(backend: object): WasmHeap {
  const candidate = backend as Partial<WasmHeap>;
  if (typeof candidate.makeOutput !== 'function' || typeof candidate.typedArrayFromHeap !== 'function')
    throw new Error('course kernels: expected the tfjs-backend-wasm backend');
  return backend as WasmHeap;
}

function numeric(kernel: string, ...infos: tf.TensorInfo[]): void {
  for (const info of infos)
    if (info.dtype === 'string' || info.dtype === 'complex64')
      throw new Error(`${kernel}: tensors of dtype ${info.dtype} are not supported on wasm`);
}

/** GatherV2 on wasm: `batchDims > 0` here, the rest to the stock kernel. */
export function gatherV2Config(backendName: FastBackendName, previous: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, indices } = inputs as { x: tf.TensorInfo; indices: tf.TensorInfo };
    const { axis, batchDims } = attrs as unknown as tf.GatherV2Attrs;
    if (batchDims === undefined || batchDims === null || batchDims === 0)
      return callConfig(previous, backend, inputs, attrs ?? {});
    numeric('GatherV2', x);
    const parsedAxis = tf.util.parseAxisParam(axis, x.shape)[0]!;
    const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(x, indices, parsedAxis, batchDims);
    const { batchSize, outerSize, dimSize, sliceSize } = info;
    const perBatch = tf.util.sizeFromShape(indices.shape) / batchSize;
    const wasm = heap(backend);
    // Make the output before reading any input: an allocation can grow the heap and detach views.
    const out = wasm.makeOutput(info.outputShape, x.dtype);
    const target = wasm.typedArrayFromHeap(out);
    const source = wasm.typedArrayFromHeap(x);
    const ids = wasm.typedArrayFromHeap(indices);
    const axisDim = x.shape[parsedAxis]!;
    for (const index of ids)
      tf.util.assert(
        index <= axisDim - 1 && index >= 0,
        () => `GatherV2: the index value ${index} is not in [0, ${axisDim - 1}]`,
      );
    let o = 0;
    for (let b = 0; b < batchSize; b++)
      for (let r = 0; r < outerSize; r++)
        for (let i = 0; i < perBatch; i++) {
          const from = ((b * outerSize + r) * dimSize + ids[b * perBatch + i]!) * sliceSize;
          target.set(source.subarray(from, from + sliceSize), o);
          o += sliceSize;
        }
    return out;
  };
  return { kernelName: tf.GatherV2, backendName, kernelFunc };
}

/** UnsortedSegmentSum for wasm (not registered there): ids outside [0, numSegments) are dropped, as on cpu. */
export function unsortedSegmentSumConfig(backendName: FastBackendName): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
    const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
    numeric('UnsortedSegmentSum', x);
    const inner = x.shape.slice(segmentIds.shape.length);
    const sliceSize = tf.util.sizeFromShape(inner);
    const wasm = heap(backend);
    const out = wasm.makeOutput([numSegments, ...inner], x.dtype);
    const target = wasm.typedArrayFromHeap(out);
    target.fill(0);
    const source = wasm.typedArrayFromHeap(x);
    const ids = wasm.typedArrayFromHeap(segmentIds);
    for (let i = 0; i < ids.length; i++) {
      const s = ids[i]!;
      if (s < 0 || s >= numSegments) continue;
      for (let k = 0; k < sliceSize; k++) target[s * sliceSize + k]! += source[i * sliceSize + k]!;
    }
    return out;
  };
  return { kernelName: tf.UnsortedSegmentSum, backendName, kernelFunc };
}
