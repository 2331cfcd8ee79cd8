/**
 * What the fast kernels share: calling another registered kernel from inside a kernel (the way
 * tfjs's own backends do it, without the engine), freeing intermediates, and reading and writing
 * the raw float32 values of a backend's tensors.
 */
import * as tf from '@tensorflow/tfjs';

export type FastBackendName = 'wasm' | 'cpu';

/** The part of tfjs's KernelBackend every backend has. */
interface DisposingBackend {
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
  incRef(dataId: tf.DataId): void;
}

/** The part of tfjs-backend-wasm's BackendWasm the kernels use. */
interface WasmArrays {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** The part of tfjs-backend-cpu's MathBackendCPU the kernels use. */
interface CpuArrays {
  data: { get(dataId: tf.DataId): { values?: unknown } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

/** A float32 output tensor and its values, to be filled in before the kernel returns it. */
export interface Float32Output {
  info: tf.TensorInfo;
  values: Float32Array;
}

/** The backend argument of a kernelFunc is typed `{}`; these guards give it its real shape. */
function isWasm(backend: object): backend is WasmArrays {
  return (
    typeof (backend as Partial<WasmArrays>).typedArrayFromHeap === 'function' &&
    typeof (backend as Partial<WasmArrays>).makeOutput === 'function'
  );
}

function isCpu(backend: object): backend is CpuArrays {
  return (
    typeof (backend as Partial<CpuArrays>).makeTensorInfo === 'function' &&
    typeof (backend as Partial<CpuArrays>).data?.get === 'function'
  );
}

function disposer(backend: object): DisposingBackend {
  const candidate = backend as Partial<DisposingBackend>;
  if (typeof candidate.disposeData !== 'function' || typeof candidate.incRef !== 'function') {
    throw new Error(
      'fast kernels: the backend has no disposeData() or incRef(); expected a tfjs KernelBackend',
    );
  }
  return backend as DisposingBackend;
}

/** Runs the kernel registered now under `kernelName` for `backendName` and returns its one output. */
export function callKernel(
  kernelName: string,
  backendName: FastBackendName,
  backend: object,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
): tf.TensorInfo {
  const config = tf.getKernel(kernelName, backendName) as tf.KernelConfig | undefined;
  if (config === undefined) {
    throw new Error(
      `fast kernels: the kernel '${kernelName}' is not registered for backend '${backendName}'`,
    );
  }
  return single(config.kernelFunc({ inputs, backend, attrs }), kernelName);
}

/** Runs a kernel config saved earlier (the one a fast kernel replaced). */
export function callConfig(
  config: tf.KernelConfig,
  backend: object,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap,
): tf.TensorInfo {
  return single(config.kernelFunc({ inputs, backend, attrs }), config.kernelName);
}

function single(out: tf.TensorInfo | tf.TensorInfo[], kernelName: string): tf.TensorInfo {
  if (Array.isArray(out)) {
    if (out.length !== 1)
      throw new Error(`fast kernels: expected one output from '${kernelName}', got ${out.length}`);
    return out[0]!;
  }
  return out;
}

/** Frees an intermediate tensor made inside a kernel (decrements its reference count). */
export function disposeIntermediate(backend: object, info: tf.TensorInfo): void {
  disposer(backend).disposeData(info.dataId);
}

/** A new tensor on the same data as `info` (which gains a reference); the data is never copied. */
export function shareData(backend: object, info: tf.TensorInfo): tf.TensorInfo {
  disposer(backend).incRef(info.dataId);
  return { dataId: info.dataId, shape: info.shape, dtype: info.dtype };
}

/** The same data under another shape of the same size: no copy, the reference passes to the result. */
export function relabel(info: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/**
 * A new float32 tensor of `shape` on `backend`, with its values to fill: zeroed, unless the caller
 * says it writes every value (`zeroed: false`; on wasm the values are then whatever the heap
 * held). On wasm the values live on the wasm heap: make every output before reading any input
 * with `float32Values`, because an allocation can grow the heap and detach views taken earlier.
 */
export function makeFloat32Output(
  backend: object,
  shape: number[],
  { zeroed = true }: { zeroed?: boolean } = {},
): Float32Output {
  if (isWasm(backend)) {
    const info = backend.makeOutput(shape, 'float32');
    const values = backend.typedArrayFromHeap(info);
    if (!(values instanceof Float32Array)) throw new Error('fast kernels: expected a float32 output');
    if (zeroed) values.fill(0);
    return { info, values };
  }
  if (isCpu(backend)) {
    const values = new Float32Array(tf.util.sizeFromShape(shape));
    return { info: backend.makeTensorInfo(shape, 'float32', values), values };
  }
  throw new Error('fast kernels: unsupported backend (expected tfjs-backend-wasm or tfjs-backend-cpu)');
}

/** The float32 values of a tensor, without a copy. */
export function float32Values(backend: object, info: tf.TensorInfo): Float32Array {
  const values = isWasm(backend)
    ? backend.typedArrayFromHeap(info)
    : isCpu(backend)
      ? backend.data.get(info.dataId).values
      : undefined;
  if (!(values instanceof Float32Array)) {
    throw new Error(`fast kernels: expected float32 values for a tensor of dtype ${info.dtype}`);
  }
  return values;
}
