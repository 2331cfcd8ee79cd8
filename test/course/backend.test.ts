import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import {
  BACKEND_ENV,
  BACKEND_NAMES,
  describeBackend,
  parseBackendName,
  selectBackend,
} from '../../course/backend.js';
import { findWebGpuAdapter, gpuDeviceNodes } from '../../course/webgpu.js';
import { HarnessError } from '../../course/errors.js';

const resolvable = (pkg: string): boolean => {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
};

describe('backend selection', () => {
  it('rejects an unknown name, naming the source, the choices and what came', () => {
    expect(() => parseBackendName('gpu', '--backend')).toThrow(
      /Expected --backend to be one of auto, node-gpu, webgpu, node, wasm, cpu, got `"gpu"` \(string\)/,
    );
    const error = (() => {
      try {
        parseBackendName('x', 'y');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('OPTNN_UNKNOWN_BACKEND');
  });

  it('takes the environment variable when no flag is given, and the flag over it', async () => {
    const fromEnv = await selectBackend(undefined, { [BACKEND_ENV]: 'cpu' });
    expect(fromEnv.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const fromFlag = await selectBackend('wasm', { [BACKEND_ENV]: 'cpu' });
    expect(fromFlag.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    await expect(selectBackend(undefined, { [BACKEND_ENV]: 'tpu' })).rejects.toThrow(
      /OPTNN_BACKEND environment variable/,
    );
  });

  it('auto picks the first that loads: node-gpu, node, wasm, cpu', async () => {
    expect(BACKEND_NAMES).toEqual(['node-gpu', 'webgpu', 'node', 'wasm', 'cpu']);
    const info = await selectBackend('auto', {});
    const expected = resolvable('@tensorflow/tfjs-node-gpu')
      ? 'node-gpu'
      : resolvable('@tensorflow/tfjs-node')
        ? 'node'
        : 'wasm';
    expect(info.name).toBe(expected);
    expect(describeBackend(info)).toMatch(new RegExp(`^backend ${expected} \\(@tensorflow/`));
  });

  it('a native backend named explicitly but not installed is an error, never a silent fallback', async () => {
    if (resolvable('@tensorflow/tfjs-node')) {
      expect((await selectBackend('node', {})).name).toBe('node');
    } else {
      await expect(selectBackend('node', {})).rejects.toThrow(
        /The backend 'node' was asked for but cannot start: @tensorflow\/tfjs-node is not usable here/,
      );
    }
  });
});

interface ChildSelection {
  name?: string;
  line?: string;
  adapter?: unknown;
  passedOver?: string[];
  code?: string;
  message?: string;
}

/** The selection in a fresh process: this one caches the backend it started. */
async function selectInChild(
  requested: string,
  reads: 'sync' | 'async',
  env: Record<string, string> = {},
): Promise<ChildSelection> {
  const child = fileURLToPath(new URL('select-backend-child.ts', import.meta.url));
  const { stdout } = await execa('npx', ['tsx', child, requested, reads], { env, extendEnv: true });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildSelection;
}

describe('the webgpu backend in the selection', () => {
  it('asked for by code that reads synchronously, it is an error that says why and what to use', async () => {
    await expect(selectBackend('webgpu', {})).rejects.toThrow(
      /The backend 'webgpu' was asked for but cannot start: this command reads tensors synchronously \(dataSync\), which webgpu cannot do under Node .*run it on wasm or cpu/,
    );
    await expect(selectBackend(undefined, { [BACKEND_ENV]: 'webgpu' })).rejects.toThrow(
      /'webgpu' was asked for/,
    );
  });

  it('auto passes over it for code that reads synchronously, saying so', async () => {
    const got = await selectInChild('auto', 'sync');
    expect(got.passedOver?.find((r) => r.startsWith('webgpu: '))).toMatch(
      /reads tensors synchronously \(dataSync\)/,
    );
  });

  it('auto takes it for asynchronous code on a GPU adapter only; forced, it runs on a software one too', async () => {
    const adapter = await findWebGpuAdapter();
    const [auto, forced] = await Promise.all([
      selectInChild('auto', 'async'),
      selectInChild('webgpu', 'async'),
    ]);
    // Without a GPU device node auto does not even load Dawn: its best could only be software.
    const noDevice = gpuDeviceNodes()?.length === 0;
    if (noDevice) {
      expect(auto.name).not.toBe('webgpu');
      expect(auto.passedOver?.find((r) => r.startsWith('webgpu: '))).toMatch(
        /^webgpu: no GPU device here \(no \/dev\/dri\/renderD\*, \/dev\/nvidia\*, \/dev\/kfd or \/dev\/dxg\); auto takes webgpu on a GPU only \(--backend webgpu forces it\)$/,
      );
    }
    if (typeof adapter === 'string') {
      if (!noDevice) expect(auto.passedOver).toContain(`webgpu: ${adapter}`);
      expect(forced.message).toContain(adapter);
      return;
    }
    expect(forced.adapter).toEqual(adapter);
    expect(forced.line).toMatch(
      /^backend webgpu \(@tensorflow\/tfjs-backend-webgpu \d+\.\d+\.\d+, fast kernels: Conv2DBackpropFilter, Conv2DBackpropInput, MaxPoolGrad, adapter \S+ \S+ ".*", (a GPU|a software fallback, not a GPU)\)$/,
    );
    if (adapter.fallback) {
      expect(auto.name).not.toBe('webgpu');
      if (!noDevice)
        expect(auto.passedOver?.find((r) => r.startsWith('webgpu: '))).toMatch(
          /a software fallback, not a GPU; auto takes webgpu on a GPU only \(--backend webgpu forces it\)/,
        );
    } else {
      expect(['node-gpu', 'webgpu']).toContain(auto.name);
    }
  });

  it('code that reads synchronously, asking again, does not keep the webgpu backend it finds started', async () => {
    if (typeof (await findWebGpuAdapter()) === 'string') return;
    await selectBackend('webgpu', {}, { asyncReads: true });
    expect((await selectBackend(undefined, {})).name).not.toBe('webgpu');
  });

  it('forced where Dawn finds no adapter, it is an error that says how to get one', async () => {
    const got = await selectInChild('webgpu', 'async', {
      VK_ICD_FILENAMES: '/nonexistent.json',
      VK_DRIVER_FILES: '/nonexistent.json',
    });
    expect(got.code).toBe('OPTNN_BACKEND_UNAVAILABLE');
    expect(got.message).toMatch(
      /The backend 'webgpu' was asked for but cannot start: Dawn found no WebGPU adapter .*install Mesa's lavapipe, mesa-vulkan-drivers >= 24: tools\/setup-system.sh/,
    );
  });
});
