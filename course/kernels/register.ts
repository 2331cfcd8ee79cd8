/**
 * Registers faster training kernels in tfjs's kernel registry for the wasm or cpu backend. A
 * registered kernel replaces that op for every model on the backend. Each fast kernel keeps the
 * kernel it replaced and hands it the cases it does not handle; `unregisterFastKernels` puts the
 * replaced kernels back.
 */
import * as tf from '@tensorflow/tfjs';
import { batchMatMulConfig, fusedMatMulConfig } from './batch-mat-mul.js';
import { addConfig, sumConfig } from './bias.js';
import { castConfig } from './cast.js';
import { conv2DConfig } from './conv2d.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import { gatherV2Config, unsortedSegmentSumConfig } from './gather.js';
import type { FastBackendName } from './kernel-calls.js';
import { identityConfig } from './identity.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { conv2DBackpropFilterConfig as webgpuBackpropFilter } from './webgpu/conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig as webgpuBackpropInput } from './webgpu/conv2d-backprop-input.js';
import { maxPoolGradConfig as webgpuMaxPoolGrad } from './webgpu/max-pool-grad.js';

type Maker = (
  backendName: FastBackendName,
  previous: tf.KernelConfig | undefined,
) => tf.KernelConfig | undefined;

/** The backends with fast kernels: the typed-array ones and webgpu (WGSL, course/kernels/webgpu/). */
export type FastKernelBackend = FastBackendName | 'webgpu';

/**
 * webgpu: kernel name → its WGSL version, which hands the cases it does not cover to the stock
 * kernel it replaces.
 */
const WEBGPU_KERNELS: Record<string, (previous: tf.KernelConfig) => tf.KernelConfig> = {
  [tf.Conv2DBackpropFilter]: webgpuBackpropFilter,
  [tf.Conv2DBackpropInput]: webgpuBackpropInput,
  [tf.MaxPoolGrad]: webgpuMaxPoolGrad,
};

/** Kernel name → how to make its fast version (undefined: keep the stock kernel). */
const FAST_KERNELS: Record<FastBackendName, Record<string, Maker>> = {
  wasm: {
    [tf.Conv2D]: (name, previous) => previous && conv2DConfig(name, previous),
    [tf.Conv2DBackpropFilter]: conv2DBackpropFilterConfig,
    [tf.Conv2DBackpropInput]: (name, previous) => previous && conv2DBackpropInputConfig(name, previous),
    [tf.MaxPoolGrad]: (name, previous) => previous && maxPoolGradConfig(name, previous),
    [tf.BatchMatMul]: (name, previous) => previous && batchMatMulConfig(name, previous),
    [tf._FusedMatMul]: (name, previous) => previous && fusedMatMulConfig(name, previous),
    [tf.Identity]: (name, previous) => previous && identityConfig(name, previous),
    [tf.Cast]: (name, previous) => previous && castConfig(name, previous),
    [tf.Add]: (name, previous) => previous && addConfig(name, previous),
    [tf.Sum]: (name, previous) => previous && sumConfig(name, previous),
    // Correctness, not speed: tfjs-backend-wasm 4.22 gathers wrongly with batchDims > 0 and has no
    // UnsortedSegmentSum (the gradient of every gather), so correct student code fails there.
    [tf.GatherV2]: (name, previous) => previous && gatherV2Config(name, previous),
    [tf.UnsortedSegmentSum]: (name) => unsortedSegmentSumConfig(name),
  },
  cpu: {
    [tf.Conv2DBackpropFilter]: conv2DBackpropFilterConfig,
    [tf.MaxPoolGrad]: (name, previous) => previous && maxPoolGradConfig(name, previous),
  },
};

/** A fast kernel's config, marked, with the config it replaced. */
interface FastKernelConfig extends tf.KernelConfig {
  readonly replaced: tf.KernelConfig | undefined;
  readonly fastKernel: true;
}

function isFast(config: tf.KernelConfig | undefined): config is FastKernelConfig {
  return config !== undefined && (config as Partial<FastKernelConfig>).fastKernel === true;
}

type BoundMaker = (previous: tf.KernelConfig | undefined) => tf.KernelConfig | undefined;

function makersFor(backend: FastKernelBackend): [string, BoundMaker][] {
  if (backend === 'webgpu')
    return Object.entries(WEBGPU_KERNELS).map(([name, make]) => [
      name,
      (previous) => previous && make(previous),
    ]);
  return Object.entries(FAST_KERNELS[backend]).map(([name, make]) => [
    name,
    (previous) => make(backend, previous),
  ]);
}

function current(kernelName: string, backendName: FastKernelBackend): tf.KernelConfig | undefined {
  return tf.getKernel(kernelName, backendName) as tf.KernelConfig | undefined;
}

/**
 * Registers the fast kernels for `backend` and returns their names. Calling it again changes
 * nothing and returns the same names.
 */
export function registerFastKernels(backend: FastKernelBackend): string[] {
  const names: string[] = [];
  for (const [kernelName, make] of makersFor(backend)) {
    const previous = current(kernelName, backend);
    if (isFast(previous)) {
      names.push(kernelName);
      continue;
    }
    const config = make(previous);
    if (config === undefined) continue;
    if (previous !== undefined) tf.unregisterKernel(kernelName, backend);
    // The replaced kernel's setup (wasm binds its C++ function there) must still run if the
    // backend is initialised again, since the fast kernel may hand cases to it.
    const fast: FastKernelConfig = {
      ...config,
      setupFunc: previous?.setupFunc,
      disposeFunc: previous?.disposeFunc,
      replaced: previous,
      fastKernel: true,
    };
    tf.registerKernel(fast);
    names.push(kernelName);
  }
  return names;
}

/** Puts back the kernels `registerFastKernels(backend)` replaced; returns the names it restored. */
export function unregisterFastKernels(backend: FastKernelBackend): string[] {
  const names: string[] = [];
  for (const [kernelName] of makersFor(backend)) {
    const config = current(kernelName, backend);
    if (!isFast(config)) continue;
    tf.unregisterKernel(kernelName, backend);
    if (config.replaced !== undefined) tf.registerKernel(config.replaced);
    names.push(kernelName);
  }
  return names;
}
