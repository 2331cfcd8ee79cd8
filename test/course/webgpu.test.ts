/**
 * The webgpu backend on whatever adapter Dawn finds; in CI that is Mesa's lavapipe (a CPU Vulkan
 * driver that tools/setup-system.sh installs). Gradients, optimizer steps and a short training
 * must agree with the cpu backend and the public fixtures. Skipped, saying why, only where
 * lavapipe cannot be installed (not root, or no apt-get); where it could, a missing adapter fails.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../course/backend.js';
import { DataLoader, subset } from '../../course/data/data-loader.js';
import { loadMnist } from '../../course/data/mnist.js';
import { HarnessError } from '../../course/errors.js';
import { meanCrossEntropy, trainAsync } from '../../course/webgpu-train.js';
import { gpuDeviceNodes } from '../../course/webgpu.js';
import {
  CLOSED_LOOP_TOLERANCE,
  TEACHER_FORCED_TOLERANCE,
  describeDivergence,
  firstDivergence,
} from '../../graders/compare.js';
import { loadFixtureDir } from '../../graders/fixtures.js';
import type { CaseInput } from '../../contract/fixture-schema.js';
import * as reference from '../../reference/index.js';
import { closeness } from '../helpers/close.js';
import { requireAdapter, testAdapter } from '../helpers/webgpu-adapter.js';

const found = await testAdapter('webgpu tests');
const { skipReason } = found;

/** Gradients of the GarmentClassifier: a sum over many products, so a little above one rounding. */
const GRADIENT_TOLERANCE = { atol: 1e-5, rtol: 1e-3 };
/** Steps checked per teacher-forced case (of 24) and per closed-loop case (of 12): a short test. */
const TEACHER_STEPS = 6;
const CLOSED_STEPS = 3;

async function onWebGpu(): Promise<void> {
  const info = await selectBackend('webgpu', {}, { asyncReads: true });
  expect(info.name).toBe('webgpu');
}

async function gradients(
  weights: Float32Array[],
  images: number[],
  labels: number[],
): Promise<Float32Array[]> {
  const net = reference.getGarmentClassifier({ seed: 1 });
  net.trainableWeights.forEach((w, i) => w.write(tf.tensor(weights[i]!, w.shape as number[])));
  const variables = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const x = tf.tensor4d(images, [labels.length, 28, 28, 1]);
  const y = tf.tensor1d(labels, 'int32');
  const { grads, value } = tf.variableGrads(() => meanCrossEntropy(net.apply(x) as tf.Tensor, y), variables);
  const out = await Promise.all(variables.map(async (v) => new Float32Array(await grads[v.name]!.data())));
  tf.dispose([x, y, value, ...Object.values(grads)]);
  net.dispose();
  return out;
}

async function trajectory(input: CaseInput, steps: number): Promise<Array<Record<string, number[]>>> {
  const Optimizer = reference[input.optimizer] as unknown as new (...args: number[]) => tf.Optimizer;
  const optimizer = new Optimizer(...input.args);
  const vars = Object.fromEntries(
    input.params.map((p) => [p.name, tf.variable(tf.tensor(p.initial, p.shape))]),
  );
  const out: Array<Record<string, number[]>> = [];
  for (let k = 0; k < steps; k++) {
    if (input.kind === 'teacher-forced') {
      const grads: tf.NamedTensorMap = {};
      for (const p of input.params) {
        const g = input.grads[k]![p.name];
        if (g !== null && g !== undefined) grads[vars[p.name]!.name] = tf.tensor(g, p.shape);
      }
      optimizer.applyGradients(grads);
      tf.dispose(Object.values(grads));
    } else {
      const [kernel, bias] = input.params.map((p) => vars[p.name]!) as [tf.Variable, tf.Variable];
      const x = tf.tensor2d(input.images, [input.labels.length, input.features]);
      const y = tf.tensor1d(input.labels, 'int32');
      optimizer.minimize(() => meanCrossEntropy(tf.add(tf.matMul(x, kernel), bias), y), false, [
        kernel,
        bias,
      ]);
      tf.dispose([x, y]);
    }
    const entries = await Promise.all(
      Object.entries(vars).map(async ([n, v]) => [n, Array.from(await v.data())] as const),
    );
    out.push(Object.fromEntries(entries));
  }
  optimizer.dispose();
  tf.dispose(Object.values(vars));
  return out;
}

describe.skipIf(skipReason !== undefined)('the webgpu backend (lavapipe without a GPU)', () => {
  beforeAll(() => requireAdapter(found));
  afterAll(async () => {
    await selectBackend('cpu', {});
  });

  it("the GarmentClassifier's gradients equal the cpu backend's within float32 tolerance", async () => {
    await selectBackend('cpu', {});
    const net = reference.getGarmentClassifier({ seed: 3 });
    const weights = net.trainableWeights.map((w) => w.read().dataSync().slice() as Float32Array);
    net.dispose();
    const data = loadMnist({ source: 'embedded' }).train;
    const batch = new DataLoader(
      subset(
        data,
        Array.from({ length: 16 }, (_, i) => i),
      ),
      { batchSize: 16 },
    );
    const { images, labels } = [...batch][0]!;
    const imageValues = Array.from(images.dataSync());
    const labelValues = Array.from(labels.dataSync());
    tf.dispose([images, labels]);
    const onCpu = await gradients(weights, imageValues, labelValues);
    await onWebGpu();
    const onGpu = await gradients(weights, imageValues, labelValues);
    expect(onGpu).toHaveLength(10);
    onGpu.forEach((g, i) => {
      expect(closeness(g, onCpu[i]!, GRADIENT_TOLERANCE), `gradient of weight ${i}`).toBeUndefined();
    });
    expect(onGpu.some((g) => g.some((v) => v !== 0))).toBe(true);
  });

  it('a few steps of every optimizer equal the public fixtures', async () => {
    await onWebGpu();
    const cases = loadFixtureDir(join(import.meta.dirname, '..', '..', 'fixtures', 'public'));
    expect(new Set(cases.map((c) => c.input.optimizer)).size).toBe(7);
    for (const c of cases) {
      const steps = c.input.kind === 'teacher-forced' ? TEACHER_STEPS : CLOSED_STEPS;
      const got = await trajectory(c.input, steps);
      const shapes = Object.fromEntries(c.input.params.map((p) => [p.name, p.shape]));
      const tolerance = c.input.kind === 'teacher-forced' ? TEACHER_FORCED_TOLERANCE : CLOSED_LOOP_TOLERANCE;
      const d = firstDivergence(got, c.expected.slice(0, steps), shapes, tolerance);
      expect(d && `${c.input.optimizer} ${c.id}: ${describeDivergence(d)}`).toBeUndefined();
    }
  });

  it('a short training of the GarmentClassifier lowers the loss', async () => {
    await onWebGpu();
    const data = loadMnist({ source: 'embedded' }).train;
    const loader = new DataLoader(
      subset(
        data,
        Array.from({ length: 512 }, (_, i) => i),
      ),
      { batchSize: 32, shuffle: true, seed: 1 },
    );
    const net = reference.getGarmentClassifier({ seed: 1 });
    const optimizer = new reference.Adam(0.005);
    const losses = await trainAsync(net, optimizer, loader, { epochs: 1 });
    optimizer.dispose();
    net.dispose();
    expect(losses).toHaveLength(16);
    expect(losses.every(Number.isFinite)).toBe(true);
    const first = (losses[0]! + losses[1]!) / 2;
    const last = (losses[14]! + losses[15]!) / 2;
    expect(last, `losses ${losses.map((l) => l.toFixed(3)).join(', ')}`).toBeLessThan(first - 0.2);
  });

  it('a synchronous read on the GPU is an error that says what to do', async () => {
    await onWebGpu();
    const x = tf.tensor1d([1, 2, 3]).mul(2);
    const error = (() => {
      try {
        x.dataSync();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(HarnessError);
    expect((error as HarnessError).code).toBe('OPTNN_WEBGPU_SYNC_READ');
    expect((error as Error).message).toMatch(/await tensor\.data\(\).*--backend wasm/);
    expect(Array.from(await x.data())).toEqual([2, 4, 6]);
    x.dispose();
  });
});

describe('gpuDeviceNodes: whether auto loads Dawn at all', () => {
  it.skipIf(process.platform !== 'linux')(
    'lists the render, NVIDIA, AMD compute and WSL nodes of a /dev, and nothing else',
    () => {
      const dev = mkdtempSync(join(tmpdir(), 'optnn-dev-'));
      try {
        expect(gpuDeviceNodes(dev)).toEqual([]);
        mkdirSync(join(dev, 'dri'));
        for (const name of [
          'dri/card0',
          'dri/renderD128',
          'nvidiactl',
          'nvidia-uvm',
          'nvidia0',
          'kfd',
          'dxg',
          'tty0',
        ])
          writeFileSync(join(dev, name), '');
        expect(
          gpuDeviceNodes(dev)
            ?.map((p) => p.slice(dev.length + 1))
            .sort(),
        ).toEqual(['dri/renderD128', 'dxg', 'kfd', 'nvidia0'].sort());
        expect(gpuDeviceNodes(join(dev, 'absent'))).toBeUndefined();
      } finally {
        rmSync(dev, { recursive: true, force: true });
      }
    },
  );
});
