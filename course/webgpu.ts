/**
 * The webgpu backend under Node: Dawn's Node binding (the npm package `webgpu`, which ships its
 * native `dawn.node` inside the package) provides `navigator.gpu`, and
 * `@tensorflow/tfjs-backend-webgpu` runs on it. Dawn drives Vulkan on Linux, Metal on macOS and
 * D3D12 on Windows; without a GPU it finds Mesa's lavapipe (a CPU Vulkan driver), a software
 * fallback that is slow but exact enough to test with.
 *
 * Dawn reads GPU memory back only asynchronously, so a synchronous read (`dataSync`,
 * `arraySync`) cannot work on this backend under Node: it throws OPTNN_WEBGPU_SYNC_READ.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { HarnessError } from './errors.js';

/** What Dawn reports about the adapter in use. */
export interface WebGpuAdapter {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A software implementation (lavapipe, SwiftShader), not a GPU. */
  fallback: boolean;
}

export const WEBGPU_PACKAGE = '@tensorflow/tfjs-backend-webgpu';

/** The installed version of the tfjs webgpu backend (its index does not export one). */
export function webgpuVersion(): string {
  const pkg: { version?: string } = createRequire(import.meta.url)(`${WEBGPU_PACKAGE}/package.json`);
  return pkg.version ?? 'unknown';
}

export const SYNC_READ_MESSAGE =
  'webgpu cannot read a tensor synchronously under Node (dataSync, arraySync, ' +
  'or a number returned from a step): read with `await tensor.data()`, or run this command on wasm (--backend wasm)';

interface DawnModule {
  create(flags: string[]): GPU;
  globals: object;
}

let started: Promise<WebGpuAdapter | string> | undefined;

/** A software adapter says so; older Dawn builds tell only by the architecture or the driver. */
function isSoftware(info: GPUAdapterInfo & { isFallbackAdapter?: boolean }, adapter: GPUAdapter): boolean {
  const legacy = (adapter as GPUAdapter & { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return (
    info.isFallbackAdapter === true ||
    legacy === true ||
    info.architecture === 'software' ||
    /llvmpipe|lavapipe|swiftshader/i.test(`${info.device} ${info.description}`)
  );
}

/** Makes a synchronous read fail with a message that says what to do instead. */
function guardSyncReads(backendClass: { prototype: { readSync(dataId: object): unknown } }): void {
  const original = backendClass.prototype.readSync;
  backendClass.prototype.readSync = function readSync(this: unknown, dataId: object) {
    try {
      return original.call(this, dataId);
    } catch (error) {
      if (error instanceof ReferenceError && /OffscreenCanvas/.test(error.message)) {
        throw new HarnessError('OPTNN_WEBGPU_SYNC_READ', SYNC_READ_MESSAGE, { cause: error });
      }
      throw error;
    }
  };
}

async function start(): Promise<WebGpuAdapter | string> {
  // The Vulkan loader warns when this is unset; any writable directory silences it.
  process.env['XDG_RUNTIME_DIR'] ??= tmpdir();
  let dawn: DawnModule;
  try {
    dawn = (await import('webgpu')) as unknown as DawnModule;
  } catch (error) {
    return `the package webgpu (Dawn) does not load here (${(error as Error).message.split('\n')[0]})`;
  }
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) {
    return (
      'Dawn found no WebGPU adapter (no Vulkan, Metal or D3D12 device; on Linux without a GPU, ' +
      "install Mesa's lavapipe, mesa-vulkan-drivers >= 24: tools/setup-system.sh does it as root)"
    );
  }
  // (Older @webgpu/types, as a student starter without Dawn's package has, lack `info`.)
  const info = (adapter as unknown as { info: GPUAdapterInfo }).info;
  for (const [key, value] of Object.entries(dawn.globals)) {
    if (!(key in globalThis))
      Object.defineProperty(globalThis, key, { value, configurable: true, writable: true });
  }
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav === undefined)
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
  else Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  // Registers the 'webgpu' backend now that navigator.gpu exists.
  let backend: typeof import('@tensorflow/tfjs-backend-webgpu');
  try {
    backend = await import('@tensorflow/tfjs-backend-webgpu');
  } catch (error) {
    return `the package ${WEBGPU_PACKAGE} does not load here (${(error as Error).message.split('\n')[0]})`;
  }
  guardSyncReads(backend.WebGPUBackend as unknown as { prototype: { readSync(dataId: object): unknown } });
  return {
    vendor: info.vendor || 'unknown',
    architecture: info.architecture || 'unknown',
    device: info.device,
    description: info.description,
    fallback: isSoftware(info, adapter),
  };
}

const HANDOFF_FLAG = 'WEBGPU_CPU_HANDOFF_SIZE_THRESHOLD';

/**
 * tfjs's webgpu backend runs an op on the CPU when all its inputs are on the CPU and smaller than
 * this many elements (default 1000). It reads the flag once, when it loads: call this before.
 * The tests set 0, so that every op runs on the adapter.
 */
export function setCpuHandoffSize(size: number): void {
  tf.env().registerFlag(HANDOFF_FLAG, () => size);
  tf.env().set(HANDOFF_FLAG, size);
}

/**
 * The device nodes a GPU shows as on Linux: DRM render nodes (`dri/renderD128`: Intel, AMD, and
 * NVIDIA's open modules), NVIDIA's (`nvidia0`), AMD's compute node (`kfd`) and WSL's (`dxg`).
 * Where none exists Dawn can only find a software fallback, so `auto` need not load it (nor print
 * its warnings) to learn that. Undefined off Linux, or where `dev` cannot be read: not known.
 */
export function gpuDeviceNodes(dev = '/dev'): string[] | undefined {
  if (process.platform !== 'linux') return undefined;
  let names: string[];
  try {
    names = readdirSync(dev);
  } catch {
    return undefined;
  }
  let render: string[] = [];
  try {
    render = readdirSync(join(dev, 'dri')).filter((n) => /^renderD\d+$/.test(n));
  } catch {
    /* no dri/: no render node */
  }
  return [
    ...render.map((n) => join(dev, 'dri', n)),
    ...names.filter((n) => /^(nvidia\d+|kfd|dxg)$/.test(n)).map((n) => join(dev, n)),
  ];
}

/** Loads Dawn once and finds its adapter: the adapter, or why there is none. */
export function findWebGpuAdapter(): Promise<WebGpuAdapter | string> {
  started ??= start();
  return started;
}

/** Starts the tfjs webgpu backend on the adapter found, or says why it cannot. */
export async function startWebGpu(): Promise<WebGpuAdapter | string> {
  const adapter = await findWebGpuAdapter();
  if (typeof adapter === 'string') return adapter;
  try {
    if (!(await tf.setBackend('webgpu')))
      return `${WEBGPU_PACKAGE} did not start on ${describeAdapter(adapter)}`;
  } catch (error) {
    return `${WEBGPU_PACKAGE} did not start (${(error as Error).message.split('\n')[0]})`;
  }
  return adapter;
}

/** `nvidia ampere "NVIDIA A100…"` or `mesa software "llvmpipe…", a software fallback`. */
export function describeAdapter(adapter: WebGpuAdapter): string {
  const what = adapter.description || adapter.device;
  return (
    `adapter ${adapter.vendor} ${adapter.architecture}${what ? ` "${what.trim()}"` : ''}` +
    (adapter.fallback ? ', a software fallback, not a GPU' : ', a GPU')
  );
}
