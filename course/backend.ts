/**
 * Chooses the TensorFlow.js backend: tfjs-node-gpu → webgpu (on a GPU adapter, for code that reads
 * asynchronously) → tfjs-node → wasm → cpu, unless the user names one with `--backend` or the
 * OPTNN_BACKEND environment variable. The native tfjs packages are optional dependencies: they are
 * often absent (their install downloads libtensorflow). webgpu (course/webgpu.ts) ships with npm.
 */
import * as tf from '@tensorflow/tfjs';
import { HarnessError, describeValue } from './errors.js';
import { registerFastKernels, unregisterFastKernels } from './kernels/register.js';
import {
  describeAdapter,
  findWebGpuAdapter,
  gpuDeviceNodes,
  startWebGpu,
  WEBGPU_PACKAGE,
  webgpuVersion,
  type WebGpuAdapter,
} from './webgpu.js';

export const BACKEND_NAMES = ['node-gpu', 'webgpu', 'node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export const BACKEND_ENV = 'OPTNN_BACKEND';
/** `stock`: webgpu runs tfjs's own gradient kernels, not the project's WGSL ones. */
export const WEBGPU_KERNELS_ENV = 'OPTNN_WEBGPU_KERNELS';

export interface BackendInfo {
  /** The name a user gives with --backend. */
  name: BackendName;
  /** tfjs's own name for the backend (`tensorflow`, `wasm`, `cpu`). */
  tfBackend: string;
  /** The npm package that provides it, and its version. */
  package: string;
  version: string;
  /** Names of the kernels this harness registered for speed. */
  fastKernels: string[];
  /** webgpu only: the adapter Dawn uses. */
  adapter?: WebGpuAdapter;
}

/** What the caller's code needs of a backend. */
export interface BackendUse {
  /**
   * The code reads tensors only asynchronously (`await tensor.data()`). Only then can webgpu serve
   * it: under Node it cannot read synchronously (`dataSync`), so auto skips it for other code and
   * asking for it by name is an error.
   */
  asyncReads?: boolean;
}

const NATIVE_PACKAGES: Record<'node-gpu' | 'node', string> = {
  'node-gpu': '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
};

export function parseBackendName(value: unknown, source: string): BackendName | 'auto' {
  if (value === 'auto') return 'auto';
  if (typeof value === 'string' && (BACKEND_NAMES as readonly string[]).includes(value)) {
    return value as BackendName;
  }
  throw new HarnessError(
    'OPTNN_UNKNOWN_BACKEND',
    `Expected ${source} to be one of auto, ${BACKEND_NAMES.join(', ')}, got ${describeValue(value)}`,
  );
}

async function tryNative(name: 'node-gpu' | 'node'): Promise<BackendInfo | string> {
  const pkg = NATIVE_PACKAGES[name];
  try {
    const mod: { version?: Record<string, string> } = await import(/* @vite-ignore */ pkg);
    if (!(await tf.setBackend('tensorflow')))
      return `${pkg} loaded but the 'tensorflow' backend did not start`;
    return {
      name,
      tfBackend: 'tensorflow',
      package: pkg,
      version: mod.version?.['tfjs-node'] ?? tf.version_core,
      fastKernels: [],
    };
  } catch (error) {
    return `${pkg} is not usable here (${(error as Error).message.split('\n')[0]})`;
  }
}

async function tryWasm(): Promise<BackendInfo | string> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) return 'the wasm backend did not start';
    return {
      name: 'wasm',
      tfBackend: 'wasm',
      package: '@tensorflow/tfjs-backend-wasm',
      // Through the grading command's bundle the package arrives as CommonJS: its exports under `default`.
      version:
        wasm.version_wasm ??
        (wasm as unknown as { default?: { version_wasm?: string } }).default?.version_wasm ??
        'unknown',
      fastKernels: registerFastKernels('wasm'),
    };
  } catch (error) {
    return `@tensorflow/tfjs-backend-wasm is not usable here (${(error as Error).message})`;
  }
}

/** The project's WGSL gradient kernels, unless OPTNN_WEBGPU_KERNELS=stock asks for tfjs's own. */
function webgpuKernels(): string[] {
  if (process.env[WEBGPU_KERNELS_ENV] !== 'stock') return registerFastKernels('webgpu');
  unregisterFastKernels('webgpu');
  return [];
}

async function tryWebGpu(use: BackendUse, gpuOnly: boolean): Promise<BackendInfo | string> {
  if (use.asyncReads !== true) {
    return (
      'this command reads tensors synchronously (dataSync), which webgpu cannot do under Node ' +
      '(docs/gpu.md); run it on wasm or cpu'
    );
  }
  if (gpuOnly && gpuDeviceNodes()?.length === 0)
    return 'no GPU device here (no /dev/dri/renderD*, /dev/nvidia*, /dev/kfd or /dev/dxg); auto takes webgpu on a GPU only (--backend webgpu forces it)';
  const found = await findWebGpuAdapter();
  if (typeof found !== 'string' && gpuOnly && found.fallback) {
    return `Dawn's best is ${describeAdapter(found)}; auto takes webgpu on a GPU only (--backend webgpu forces it)`;
  }
  const adapter = await startWebGpu();
  if (typeof adapter === 'string') return adapter;
  return {
    name: 'webgpu',
    tfBackend: 'webgpu',
    package: WEBGPU_PACKAGE,
    version: webgpuVersion(),
    fastKernels: webgpuKernels(),
    adapter,
  };
}

async function useCpu(): Promise<BackendInfo> {
  await tf.setBackend('cpu');
  return {
    name: 'cpu',
    tfBackend: 'cpu',
    package: '@tensorflow/tfjs-backend-cpu',
    version: tf.version_core,
    fastKernels: registerFastKernels('cpu'),
  };
}

async function tryBackend(
  name: BackendName,
  use: BackendUse = {},
  auto = false,
): Promise<BackendInfo | string> {
  if (name === 'node-gpu' || name === 'node') return tryNative(name);
  if (name === 'webgpu') return tryWebGpu(use, auto);
  if (name === 'wasm') return tryWasm();
  return useCpu();
}

let active: BackendInfo | undefined;
/** Why auto passed over each backend before the one it took, for the caller to print. */
let passedOver: string[] = [];

/**
 * Starts a backend and returns what is in use. `requested` comes from a flag; when it is absent
 * the environment variable is read; `auto` tries the order above. A backend the user named
 * explicitly that cannot start is an error, never a silent fallback.
 */
export async function selectBackend(
  requested?: string,
  env: NodeJS.ProcessEnv = process.env,
  use: BackendUse = {},
): Promise<BackendInfo> {
  const choice = choiceOf(requested, env);
  const reusable = active !== undefined && (active.name !== 'webgpu' || use.asyncReads === true);
  if (
    active &&
    reusable &&
    (choice === 'auto' || choice === active.name) &&
    tf.getBackend() === active.tfBackend
  )
    return active;
  passedOver = [];
  if (choice !== 'auto') {
    const result = await tryBackend(choice, use);
    if (typeof result === 'string') {
      throw new HarnessError(
        'OPTNN_BACKEND_UNAVAILABLE',
        `The backend '${choice}' was asked for but cannot start: ${result}`,
      );
    }
    active = result;
  } else {
    let found: BackendInfo | undefined;
    for (const name of BACKEND_NAMES) {
      const result = await tryBackend(name, use, true);
      if (typeof result !== 'string') {
        found = result;
        break;
      }
      passedOver.push(`${name}: ${result}`);
    }
    active = found ?? (await useCpu());
  }
  await tf.ready();
  return active;
}

/** Where a command whose training reads synchronously runs its asynchronous part (the landscapes' grids). */
export interface SplitBackends {
  /** The training's backend: a synchronous one (never webgpu). */
  training: BackendInfo;
  /** The grid's backend: webgpu, or `training` itself. */
  grid: BackendInfo;
  /** Why the grid is not on webgpu, when it is not. */
  gridNote?: string;
}

/**
 * Selects the training's backend as `selectBackend` does for synchronous code, and beside it the
 * backend of the part that reads asynchronously: webgpu when auto finds a GPU adapter (never a
 * software one), or on any adapter (lavapipe included) when webgpu is named; otherwise the
 * training's. With webgpu named, the training takes auto's synchronous choice. The training's
 * backend is the active one on return.
 */
export async function selectSplitBackends(
  requested?: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<SplitBackends> {
  const choice = choiceOf(requested, env);
  if (choice === 'webgpu') {
    const training = await selectBackend('auto', env);
    const grid = await tryWebGpu({ asyncReads: true }, false);
    await tf.setBackend(training.tfBackend);
    if (typeof grid === 'string') {
      throw new HarnessError(
        'OPTNN_BACKEND_UNAVAILABLE',
        `The backend 'webgpu' was asked for but cannot start: ${grid}`,
      );
    }
    return { training, grid };
  }
  const training = await selectBackend(requested, env);
  if (choice !== 'auto') return { training, grid: training, gridNote: `${choice} was asked for` };
  if (training.name === 'node-gpu')
    return { training, grid: training, gridNote: 'node-gpu runs on the GPU already' };
  const grid = await tryWebGpu({ asyncReads: true }, true);
  await tf.setBackend(training.tfBackend);
  if (typeof grid === 'string') return { training, grid: training, gridNote: grid };
  return { training, grid };
}

function choiceOf(requested: string | undefined, env: NodeJS.ProcessEnv): BackendName | 'auto' {
  if (requested !== undefined) return parseBackendName(requested, '--backend');
  const fromEnv = env[BACKEND_ENV];
  return fromEnv !== undefined && fromEnv !== ''
    ? parseBackendName(fromEnv, `the ${BACKEND_ENV} environment variable`)
    : 'auto';
}

/** `wasm`, or `webgpu (adapter nvidia … , a GPU)`: the name a page shows for a cell. */
export function backendLabel(info: BackendInfo): string {
  return info.adapter ? `${info.name} (${describeAdapter(info.adapter)})` : info.name;
}

export function describeBackend(info: BackendInfo): string {
  const fast = info.fastKernels.length > 0 ? `, fast kernels: ${info.fastKernels.join(', ')}` : '';
  const adapter = info.adapter ? `, ${describeAdapter(info.adapter)}` : '';
  return `backend ${info.name} (${info.package} ${info.version}${fast}${adapter})`;
}

/** Why the last auto selection passed over the backends before the one it took. */
export function backendsPassedOver(): readonly string[] {
  return passedOver;
}
