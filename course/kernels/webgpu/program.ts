/**
 * What the webgpu kernels share: the shape of a program tfjs-backend-webgpu runs (it prepends the
 * bindings `result`, one array per input name, and `uniforms` with each input's and the output's
 * shape, then calls the program's `fn main(index : i32)`), and running one on the backend.
 */
import * as tf from '@tensorflow/tfjs';

/** tfjs-backend-webgpu's WebGPUProgram, the part a flat program sets. */
export interface FlatProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  workgroupSize: [number, number, number];
  size: true;
  uniforms: string;
  getUserCode(): string;
}

export interface Uniform {
  type: 'int32' | 'float32';
  data: number[];
}

/** The part of tfjs-backend-webgpu's WebGPUBackend the kernels use. */
export interface WebGpuRunner {
  runWebGPUProgram(
    program: FlatProgram,
    inputs: tf.TensorInfo[],
    outputDtype: tf.DataType,
    uniforms?: Uniform[],
  ): tf.TensorInfo;
  disposeData(dataId: tf.DataId): boolean;
}

export function isWebGpuRunner(backend: object): backend is WebGpuRunner {
  return typeof (backend as Partial<WebGpuRunner>).runWebGPUProgram === 'function';
}

const WORKGROUP = 64;
/** WebGPU's limit on workgroups along one dimension. */
const MAX_GROUPS = 65535;

/**
 * A program with one thread per output element, `main(index)` receiving the element's flat index
 * (threads past the end return at once: `if (index >= uniforms.size) { return; }` is up to the code).
 */
export function flatProgram(
  shaderKey: string,
  outputShape: number[],
  variableNames: string[],
  uniforms: string,
  body: string,
): FlatProgram {
  const groups = Math.ceil(tf.util.sizeFromShape(outputShape) / WORKGROUP);
  const x = Math.min(groups, MAX_GROUPS);
  return {
    outputShape,
    shaderKey,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [x, Math.ceil(groups / x), 1],
    variableNames,
    workgroupSize: [WORKGROUP, 1, 1],
    size: true,
    uniforms,
    getUserCode: () => body,
  };
}

export function ints(...values: number[]): Uniform[] {
  return values.map((v) => ({ type: 'int32', data: [v] }));
}
