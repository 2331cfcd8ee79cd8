/**
 * The landscapes' grid on webgpu beside a wasm training (services/notebook/landscape-grid.ts), on
 * whatever adapter Dawn finds: in CI that is Mesa's lavapipe. Skipped, saying why, only where
 * lavapipe cannot be installed (not root, or no apt-get); where it could, a missing adapter fails
 * (the rules of test/course/webgpu.test.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend, selectSplitBackends, type BackendInfo } from '../../../course/backend.js';
import { subset } from '../../../course/data/data-loader.js';
import { loadMnist } from '../../../course/data/mnist.js';
import { getStateDirections, scaleFromCoordinates, type LossGrid } from '../../../course/landscape.js';
import { readState, type State } from '../../../course/params.js';
import * as reference from '../../../reference/index.js';
import { gpuDeviceNodes } from '../../../course/webgpu.js';
import { lossGridOn } from '../../../services/notebook/landscape-grid.js';
import { CachedBatches } from '../../../services/notebook/run-experiment.js';
import { closeness } from '../../helpers/close.js';
import { requireAdapter, testAdapter } from '../../helpers/webgpu-adapter.js';

const found = await testAdapter('landscape-grid webgpu tests');
const { adapter, skipReason } = found;

/**
 * The grid's points are the same float32 parameters on both backends (θ is computed in float64 on
 * the CPU either way), so the losses differ only by the kernels' float32 summation orders: the
 * GarmentClassifier's sums run over 25 to 256 terms, each product rounded to float32 (ε = 1.2e-7),
 * and the cross-entropy's log-sum-exp; a few ulps per sum give a relative error of order 1e-6 on
 * a mean loss of about 2.3. Measured on lavapipe: 1.6e-7 relative at most on this grid, 5e-7
 * on the OneFCNet's quick landscape of `npm run experiments`. rtol 1e-5 leaves a margin of 20×
 * for another adapter's order of summation; a wrong point or batch would be off by 1e-3 or more
 * (the grid's losses span 6e-3).
 */
const GRID_TOLERANCE = { atol: 1e-6, rtol: 1e-5 };

const lossFn = reference.lossFn;

describe.skipIf(skipReason !== undefined)('the landscapes on webgpu (lavapipe without a GPU)', () => {
  beforeAll(() => requireAdapter(found));
  afterAll(async () => {
    await selectBackend('cpu', {});
  });

  it('auto puts the grid on webgpu only on a GPU adapter; webgpu named forces it, training on wasm', async () => {
    const auto = await selectSplitBackends(undefined, {});
    expect(auto.training.name).toBe('wasm');
    if (gpuDeviceNodes()?.length === 0) {
      // No GPU device: auto does not load Dawn to find its software fallback.
      expect(auto.grid).toBe(auto.training);
      expect(auto.gridNote).toMatch(
        /^no GPU device here \(no \/dev\/dri\/renderD\*.*auto takes webgpu on a GPU only/,
      );
    } else if (typeof adapter !== 'string' && adapter.fallback) {
      expect(auto.grid).toBe(auto.training);
      expect(auto.gridNote).toMatch(/a software fallback, not a GPU; auto takes webgpu on a GPU only/);
    } else {
      expect(auto.grid.name).toBe('webgpu');
    }
    expect(tf.getBackend()).toBe('wasm');

    const forced = await selectSplitBackends('webgpu', {});
    expect(forced.training.name).toBe('wasm');
    expect(forced.grid.name).toBe('webgpu');
    expect(forced.grid.adapter).toBeDefined();
    expect(tf.getBackend()).toBe('wasm');

    const fromEnv = await selectSplitBackends(undefined, { OPTNN_BACKEND: 'webgpu' });
    expect([fromEnv.training.name, fromEnv.grid.name]).toEqual(['wasm', 'webgpu']);
    const named = await selectSplitBackends('wasm', {});
    expect(named.grid).toBe(named.training);
    expect(named.gridNote).toBe('wasm was asked for');
  });

  it("a 3 × 3 grid of the GarmentClassifier on webgpu equals wasm's within float32 rounding", async () => {
    const { training, grid } = await selectSplitBackends('webgpu', {});
    const net = reference.getGarmentClassifier({ seed: 1 });
    // A few states around the net's own, as a training would record them.
    const start = readState(net);
    const states: State[] = [1, 2, 3].map((k) =>
      start.map((w, i) => w.map((v, j) => v + 0.02 * Math.sin(k * (j + 1) + i))),
    );
    states.push(start);
    const directions = getStateDirections(states);
    const scale = scaleFromCoordinates(directions.coordinates);
    const data = loadMnist({ source: 'embedded' }).train;
    const batches = new CachedBatches(
      subset(
        data,
        Array.from({ length: 96 }, (_, i) => i),
      ),
      48,
    );
    const options = { directions, resolution: [3, 3] as [number, number], scale };
    const same = { training, grid: training };
    const wasmOutcome = await lossGridOn(same, net, () => net, batches, lossFn, options);
    expect(wasmOutcome.madeOn).toBe('wasm');
    const onWasm: LossGrid = wasmOutcome.grid;
    const progress: number[] = [];
    const built: BackendInfo['tfBackend'][] = [];
    const gpuOutcome = await lossGridOn(
      { training, grid },
      net,
      () => {
        built.push(tf.getBackend());
        return reference.getGarmentClassifier({ seed: 1 });
      },
      batches,
      lossFn,
      { ...options, onProgress: (done) => progress.push(done) },
    );

    const onGpu = gpuOutcome.grid;
    expect(gpuOutcome.madeOn).toMatch(/^webgpu \(adapter .+\)$/);
    expect(built).toEqual(['webgpu']);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(onGpu.xs).toEqual(onWasm.xs);
    expect(onGpu.ys).toEqual(onWasm.ys);
    expect(onWasm.losses.flat().every((v) => v > 0.5 && v < 20)).toBe(true);
    // Not flat: the points differ from each other by far more than the tolerance.
    const flat = onWasm.losses.flat();
    expect(Math.max(...flat) - Math.min(...flat)).toBeGreaterThan(1e-3);
    onGpu.losses.forEach((row, iy) => {
      expect(closeness(row, onWasm.losses[iy]!, GRID_TOLERANCE), `row ${iy}`).toBeUndefined();
    });
    // The training's side is untouched and still readable synchronously on wasm.
    expect(tf.getBackend()).toBe('wasm');
    expect(readState(net)).toEqual(start);

    // A loss that reads synchronously cannot run on webgpu: the grid is made on wasm instead.
    const syncLoss = (logits: tf.Tensor, labels: tf.Tensor): tf.Scalar => {
      const loss = lossFn(logits, labels);
      loss.dataSync();
      return loss;
    };
    const fallback = await lossGridOn(
      { training, grid },
      net,
      () => reference.getGarmentClassifier({ seed: 1 }),
      batches,
      syncLoss,
      options,
    );
    expect(fallback.madeOn).toMatch(
      /^wasm \(not webgpu: the submission's net or loss read a tensor synchronously/,
    );
    expect(fallback.grid).toEqual(onWasm);
    expect(tf.getBackend()).toBe('wasm');
    expect(readState(net)).toEqual(start);
    for (const b of batches) {
      expect(b.images.dataSync()).toHaveLength(48 * 28 * 28);
      tf.dispose([b.images, b.labels]);
    }
    batches.dispose();
    net.dispose();
  });
});
