import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BACKEND_ENV, describeBackend, parseBackendName, selectBackend } from '../../course/backend.js';
import { HarnessError } from '../../course/errors.js';

const resolvable = (pkg: string): boolean => {
  try { createRequire(import.meta.url).resolve(pkg); return true; } catch { return false; }
};

describe('backend selection', () => {
  it('rejects an unknown name, naming the source, the choices and what came', () => {
    expect(() => parseBackendName('gpu', '--backend')).toThrow(/Expected --backend to be one of auto, node-gpu, node, wasm, cpu, got `"gpu"` \(string\)/);
    const error = (() => { try { parseBackendName('x', 'y'); } catch (e) { return e; } })();
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
    await expect(selectBackend(undefined, { [BACKEND_ENV]: 'tpu' })).rejects.toThrow(/OPTNN_BACKEND environment variable/);
  });

  it('auto picks the first that loads: node-gpu, node, wasm, cpu', async () => {
    const info = await selectBackend('auto', {});
    const expected = resolvable('@tensorflow/tfjs-node-gpu') ? 'node-gpu' : resolvable('@tensorflow/tfjs-node') ? 'node' : 'wasm';
    expect(info.name).toBe(expected);
    expect(describeBackend(info)).toMatch(new RegExp(`^backend ${expected} \\(@tensorflow/`));
  });

  it('a native backend named explicitly but not installed is an error, never a silent fallback', async () => {
    if (resolvable('@tensorflow/tfjs-node')) {
      expect((await selectBackend('node', {})).name).toBe('node');
    } else {
      await expect(selectBackend('node', {})).rejects.toThrow(/The backend 'node' was asked for but cannot start: @tensorflow\/tfjs-node is not usable here/);
    }
  });
});
