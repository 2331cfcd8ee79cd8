/**
 * A landscape's grid of forward passes on the backend chosen for it (course/backend.ts,
 * `selectSplitBackends`). On the training's own backend it is `getLossGrid`, as always. On another
 * one (webgpu beside wasm) the trained net stays where it is: the evaluation batches are read once
 * on the training's backend, the net is built once more on the grid's backend, the grid runs there
 * with `getLossGridAsync` (webgpu reads only asynchronously under Node), and the training's backend
 * is active again afterwards. Nothing made on the grid's backend is used after it: tfjs would have
 * to read it back synchronously, which webgpu cannot. Should the submission's code (its net or its
 * loss) read a tensor synchronously there, the grid is made again on the training's backend, and
 * the outcome says so.
 */
import * as tf from '@tensorflow/tfjs';
import { backendLabel, type BackendInfo } from '../../course/backend.js';
import { HarnessError } from '../../course/errors.js';
import {
  getLossGrid,
  getLossGridAsync,
  type LandscapeBatch,
  type LossGrid,
  type LossGridOptions,
} from '../../course/landscape.js';
import type { LossFn, Net } from '../../course/params.js';

export interface GridBackends {
  training: BackendInfo;
  grid: BackendInfo;
}

export interface GridOutcome {
  grid: LossGrid;
  /** The backend that made it, as the page names it: `wasm`, `webgpu (adapter …)`, or why not webgpu. */
  madeOn: string;
}

interface HostBatch {
  images: { values: tf.TypedArray; shape: number[]; dtype: tf.DataType };
  labels: { values: tf.TypedArray; shape: number[]; dtype: tf.DataType };
}

const onHost = (t: tf.Tensor): HostBatch['images'] => ({
  values: t.dataSync().slice(),
  shape: t.shape,
  dtype: t.dtype,
});

/**
 * The loss grid of `net` over `batches`. `makeNet` builds a net of the same architecture (its
 * weights are overwritten at every point); it is called only when the grid runs elsewhere.
 */
export async function lossGridOn(
  backends: GridBackends,
  net: Net,
  makeNet: () => Net,
  batches: Iterable<LandscapeBatch>,
  lossFn: LossFn,
  options: LossGridOptions,
): Promise<GridOutcome> {
  const { training, grid } = backends;
  if (grid.tfBackend !== training.tfBackend) {
    try {
      return {
        grid: await gridElsewhere(backends, makeNet, batches, lossFn, options),
        madeOn: backendLabel(grid),
      };
    } catch (error) {
      if (!(error instanceof HarnessError && error.code === 'OPTNN_WEBGPU_SYNC_READ')) throw error;
      return {
        grid: getLossGrid(net, batches, lossFn, options),
        madeOn:
          `${backendLabel(training)} (not ${grid.name}: the submission's net or loss read a tensor ` +
          `synchronously, which ${grid.name} cannot do under Node)`,
      };
    }
  }
  return { grid: getLossGrid(net, batches, lossFn, options), madeOn: backendLabel(training) };
}

async function gridElsewhere(
  backends: GridBackends,
  makeNet: () => Net,
  batches: Iterable<LandscapeBatch>,
  lossFn: LossFn,
  options: LossGridOptions,
): Promise<LossGrid> {
  const host: HostBatch[] = [];
  for (const { images, labels } of batches) {
    try {
      host.push({ images: onHost(images), labels: onHost(labels) });
    } finally {
      tf.dispose([images, labels]);
    }
  }
  await tf.setBackend(backends.grid.tfBackend);
  let gridNet: Net | undefined;
  const moved: LandscapeBatch[] = [];
  try {
    for (const { images, labels } of host) {
      moved.push({
        images: tf.tensor(images.values, images.shape, images.dtype),
        labels: tf.tensor(labels.values, labels.shape, labels.dtype),
      });
    }
    gridNet = makeNet();
    const loader: Iterable<LandscapeBatch> = {
      *[Symbol.iterator]() {
        for (const b of moved) yield { images: tf.clone(b.images), labels: tf.clone(b.labels) };
      },
    };
    return await getLossGridAsync(gridNet, loader, lossFn, options);
  } finally {
    gridNet?.dispose();
    for (const b of moved) tf.dispose([b.images, b.labels]);
    await tf.setBackend(backends.training.tfBackend);
  }
}
