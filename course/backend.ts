/**
 * Chooses the TensorFlow.js backend: tfjs-node-gpu → tfjs-node → wasm → cpu, unless the user
 * names one with `--backend` or the OPTNN_BACKEND environment variable. The native packages are
 * optional dependencies: they are often absent (their install downloads libtensorflow).
 */
import * as tf from '@tensorflow/tfjs';
import { HarnessError, describeValue } from './errors.js';
import { registerFastKernels } from './kernels/register.js';

export const BACKEND_NAMES = ['node-gpu', 'node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export const BACKEND_ENV = 'OPTNN_BACKEND';

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
    if (!(await tf.setBackend('tensorflow'))) return `${pkg} loaded but the 'tensorflow' backend did not start`;
    return { name, tfBackend: 'tensorflow', package: pkg, version: mod.version?.['tfjs-node'] ?? tf.version_core, fastKernels: [] };
  } catch (error) {
    return `${pkg} is not usable here (${(error as Error).message.split('\n')[0]})`;
  }
}

async function tryWasm(): Promise<BackendInfo | string> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) return 'the wasm backend did not start';
    return { name: 'wasm', tfBackend: 'wasm', package: '@tensorflow/tfjs-backend-wasm', version: wasm.version_wasm, fastKernels: registerFastKernels('wasm') };
  } catch (error) {
    return `@tensorflow/tfjs-backend-wasm is not usable here (${(error as Error).message})`;
  }
}

async function useCpu(): Promise<BackendInfo> {
  await tf.setBackend('cpu');
  return { name: 'cpu', tfBackend: 'cpu', package: '@tensorflow/tfjs-backend-cpu', version: tf.version_core, fastKernels: registerFastKernels('cpu') };
}

async function tryBackend(name: BackendName): Promise<BackendInfo | string> {
  if (name === 'node-gpu' || name === 'node') return tryNative(name);
  if (name === 'wasm') return tryWasm();
  return useCpu();
}

let active: BackendInfo | undefined;

/**
 * Starts a backend and returns what is in use. `requested` comes from a flag; when it is absent
 * the environment variable is read; `auto` tries the order above. A backend the user named
 * explicitly that cannot start is an error, never a silent fallback.
 */
export async function selectBackend(requested?: string, env: NodeJS.ProcessEnv = process.env): Promise<BackendInfo> {
  const choice = requested !== undefined
    ? parseBackendName(requested, '--backend')
    : env[BACKEND_ENV] !== undefined && env[BACKEND_ENV] !== ''
      ? parseBackendName(env[BACKEND_ENV], `the ${BACKEND_ENV} environment variable`)
      : 'auto';
  if (active && (choice === 'auto' || choice === active.name) && tf.getBackend() === active.tfBackend) return active;
  if (choice !== 'auto') {
    const result = await tryBackend(choice);
    if (typeof result === 'string') {
      throw new HarnessError('OPTNN_BACKEND_UNAVAILABLE', `The backend '${choice}' was asked for but cannot start: ${result}`);
    }
    active = result;
  } else {
    let found: BackendInfo | undefined;
    for (const name of BACKEND_NAMES) {
      const result = await tryBackend(name);
      if (typeof result !== 'string') { found = result; break; }
    }
    active = found ?? (await useCpu());
  }
  await tf.ready();
  return active;
}

export function describeBackend(info: BackendInfo): string {
  const fast = info.fastKernels.length > 0 ? `, fast kernels: ${info.fastKernels.join(', ')}` : '';
  return `backend ${info.name} (${info.package} ${info.version}${fast})`;
}
