/**
 * Loss-landscape helpers for the notebook's trajectory plots, after Li et al., "Visualizing the
 * Loss Landscape of Neural Nets" (NeurIPS 2018): `getStateDirections` finds the two principal
 * directions of a run's recorded states around a reference state, and `getLossGrid` evaluates the
 * loss on the plane they span. The linear algebra behind the directions is course/eigen.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { dot, principalDirections } from './eigen.js';
import { badOption, describeValue } from './errors.js';
import { readState, writeState, type Net, type State } from './params.js';

export interface StateDirectionsOptions {
  /** How many states to sample, spread evenly over `states[startFrom:]` (all of them if fewer). */
  nStates?: number;
  /** Index of the first state that may be sampled. */
  startFrom?: number;
  /** Index of the reference state; negative ids count from the end, as in Python. */
  referenceId?: number;
}

export interface StateDirections {
  /** A copy of `states[referenceId]`: the origin of the plane. */
  reference: State;
  /** Two orthonormal directions, each shaped like a state. */
  directions: [State, State];
  /** Indices of the sampled states, ascending. */
  stateIds: number[];
  /** [x[], y[]]: each sampled state's difference from the reference, projected on the directions. */
  coordinates: [number[], number[]];
}

/**
 * The two leading principal directions of the sampled states' differences from the reference, as
 * sklearn's `PCA(n_components=2)` finds them: the differences are centred by their mean, and the
 * directions are the top two right singular vectors, each signed so that its entry of largest
 * absolute value is positive (sklearn's `svd_flip`). They are computed in float64 from the k×k Gram
 * matrix of the centred differences (Jacobi eigendecomposition), which is exact and cheap for the
 * few sampled states of a plot.
 *
 * When the differences span fewer than two dimensions (one state, two states, states on one line,
 * or a spread along the second direction below 1e-6 of the first, which is float rounding), the
 * missing direction is not a principal one: it is a fixed pseudo-random unit vector (seeded, so the
 * same on every call) made orthogonal to the first by Gram–Schmidt. If all sampled states are equal,
 * both directions are such vectors. Coordinates along them are then (close to) zero.
 */
export function getStateDirections(
  states: State[],
  { nStates = 10, startFrom = 0, referenceId = -1 }: StateDirectionsOptions = {},
): StateDirections {
  const sizes = checkStates(states);
  const last = states.length - 1;
  checkInteger('nStates', nStates, 1, Number.MAX_SAFE_INTEGER, 'a positive integer');
  checkInteger('startFrom', startFrom, 0, last, `an integer in [0, ${last}]`);
  checkInteger(
    'referenceId',
    referenceId,
    -states.length,
    last,
    `an integer in [${-states.length}, ${last}]`,
  );

  const stateIds = spreadIds(startFrom, last, nStates);
  const reference = states[referenceId < 0 ? states.length + referenceId : referenceId]!;
  const ref = flatten(reference);
  const diffs = stateIds.map((id) => {
    const d = flatten(states[id]!);
    for (let j = 0; j < d.length; j++) d[j] = d[j]! - ref[j]!;
    return d;
  });

  const [v1, v2] = principalDirections(diffs, ref.length);
  return {
    reference: reference.map((a) => a.slice()),
    directions: [unflatten(v1, sizes), unflatten(v2, sizes)],
    stateIds,
    coordinates: [diffs.map((d) => dot(d, v1)), diffs.map((d) => dot(d, v2))],
  };
}

/** The largest absolute coordinate, which the notebook passes to `getLossGrid` as `scale`; 1 if all are 0. */
export function scaleFromCoordinates(coordinates: readonly (readonly number[])[]): number {
  let max = 0;
  for (const axis of coordinates) for (const c of axis) max = Math.max(max, Math.abs(c));
  return max > 0 && Number.isFinite(max) ? max : 1;
}

/** A batch as a loader yields it; `getLossGrid` disposes both tensors after use. */
export interface LandscapeBatch {
  images: tf.Tensor;
  labels: tf.Tensor;
}

export interface LossGridOptions {
  /** What `getStateDirections` returned: its reference state is the grid's centre. */
  directions: StateDirections;
  /** [points along x, points along y], each at least 2. */
  resolution?: [number, number];
  /** The grid spans [−scale, scale] along both directions. */
  scale: number;
  /** Called after each grid point with the points done so far and the total. */
  onProgress?: (done: number, total: number) => void;
}

export interface LossGrid {
  xs: number[];
  ys: number[];
  /** losses[iy][ix]: the mean loss over the loader at θ_ref + xs[ix]·d1 + ys[iy]·d2 (plotly's z[y][x]). */
  losses: number[][];
}

/**
 * The mean loss over every sample of `loader` (batches weighted by their size) at each point
 * θ_ref + x·d1 + y·d2 of a grid with x, y evenly spaced in [−scale, scale]. The loader is iterated
 * once per grid point. The net's parameters are restored exactly afterwards, also when the loss
 * function or the loader throws.
 */
export function getLossGrid(
  net: Net,
  loader: Iterable<LandscapeBatch>,
  lossFn: (logits: tf.Tensor, labels: tf.Tensor) => tf.Scalar,
  options: LossGridOptions,
): LossGrid {
  const { sizes, xs, ys, pointAt } = gridPlan(net, options);
  const total = xs.length * ys.length;
  const original = readState(net);
  const losses: number[][] = [];
  try {
    for (const y of ys) {
      const row: number[] = [];
      for (const x of xs) {
        writeState(net, unflatten(pointAt(x, y), sizes));
        row.push(meanLoss(net, loader, lossFn));
        options.onProgress?.(losses.length * xs.length + row.length, total);
      }
      losses.push(row);
    }
  } finally {
    writeState(net, original);
  }
  return { xs, ys, losses };
}

/**
 * `getLossGrid` for a backend that reads only asynchronously (webgpu under Node): the same grid
 * points, the same per-batch losses summed in the same order in float64, so on a synchronous
 * backend its result is identical to `getLossGrid`'s. It queues a whole row of forward passes and
 * reads that row's batch losses with one `await data()`, so the device is not stalled per point;
 * `onProgress` is called for each point of a row once the row is read. The net's parameters are
 * read asynchronously first and restored exactly afterwards, also when something throws.
 */
export async function getLossGridAsync(
  net: Net,
  loader: Iterable<LandscapeBatch>,
  lossFn: (logits: tf.Tensor, labels: tf.Tensor) => tf.Scalar,
  options: LossGridOptions,
): Promise<LossGrid> {
  const { sizes, xs, ys, pointAt } = gridPlan(net, options);
  const total = xs.length * ys.length;
  const original = await Promise.all(
    net.trainableWeights.map(async (w) => (await w.read().data()).slice() as Float32Array),
  );
  const losses: number[][] = [];
  const pending: tf.Tensor[] = [];
  try {
    for (const y of ys) {
      // Per point of the row: the size of each batch, in the loader's order.
      const counts: number[][] = [];
      for (const x of xs) {
        writeState(net, unflatten(pointAt(x, y), sizes));
        counts.push(queueLosses(net, loader, lossFn, pending));
      }
      const values = await readAll(pending);
      let k = 0;
      const row = counts.map((sizesOfBatches) => {
        let sum = 0;
        let count = 0;
        for (const n of sizesOfBatches) {
          sum += values[k++]! * n;
          count += n;
        }
        return sum / count;
      });
      for (let i = 0; i < row.length; i++) options.onProgress?.(losses.length * xs.length + i + 1, total);
      losses.push(row);
    }
  } finally {
    tf.dispose(pending);
    writeState(net, original);
  }
  return { xs, ys, losses };
}

/** The checked options: the weights' sizes, the grid's coordinates and θ at a point (float64). */
function gridPlan(
  net: Net,
  { directions, resolution = [20, 20], scale, onProgress }: LossGridOptions,
): { sizes: number[]; xs: number[]; ys: number[]; pointAt: (x: number, y: number) => Float32Array } {
  const sizes = net.trainableWeights.map((w) => w.shape.reduce<number>((a, b) => a * (b ?? 1), 1));
  checkDirections(directions, sizes);
  if (
    !Array.isArray(resolution) ||
    resolution.length !== 2 ||
    !resolution.every((r) => Number.isInteger(r) && r >= 2)
  ) {
    throw badOption(
      'resolution',
      'a pair of integers, each at least 2',
      Array.isArray(resolution) ? `[${resolution.map(String).join(', ')}]` : describeValue(resolution),
    );
  }
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0) {
    throw badOption('scale', 'a positive finite number', describeValue(scale));
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw badOption('onProgress', 'a function', describeValue(onProgress));
  }
  const ref = flatten(directions.reference);
  const d1 = flatten(directions.directions[0]);
  const d2 = flatten(directions.directions[1]);
  const theta = new Float32Array(ref.length);
  const pointAt = (x: number, y: number): Float32Array => {
    for (let j = 0; j < theta.length; j++) theta[j] = ref[j]! + x * d1[j]! + y * d2[j]!;
    return theta;
  };
  return {
    sizes,
    xs: linspace(-scale, scale, resolution[0]),
    ys: linspace(-scale, scale, resolution[1]),
    pointAt,
  };
}

/** Queues one loss per batch of `loader` onto `pending` (not read yet); returns the batch sizes. */
function queueLosses(
  net: Net,
  loader: Iterable<LandscapeBatch>,
  lossFn: (logits: tf.Tensor, labels: tf.Tensor) => tf.Scalar,
  pending: tf.Tensor[],
): number[] {
  const counts: number[] = [];
  for (const { images, labels } of loader) {
    try {
      const loss = tf.tidy(() => lossFn(net.apply(images) as tf.Tensor, labels));
      if (loss.size !== 1) {
        const shape = loss.shape;
        loss.dispose();
        throw notScalar(shape);
      }
      pending.push(loss);
      counts.push(images.shape[0] ?? 1);
    } finally {
      images.dispose();
      labels.dispose();
    }
  }
  if (counts.length === 0 || counts.every((n) => n === 0)) throw noSamples();
  return counts;
}

/** The values of `pending` (each of one element) with one read; disposes them and empties the list. */
async function readAll(pending: tf.Tensor[]): Promise<Float32Array> {
  const all = tf.tidy(() => tf.concat(pending.map((t) => t.reshape([1]))));
  tf.dispose(pending.splice(0));
  try {
    return (await all.data()) as Float32Array;
  } finally {
    all.dispose();
  }
}

function notScalar(shape: readonly number[]) {
  return badOption(
    'lossFn',
    'a function returning a scalar (the mean loss over the batch)',
    `a tensor of shape [${shape.join(', ')}]`,
    'argument',
  );
}

function noSamples() {
  return badOption(
    'loader',
    'an iterable that yields at least one non-empty batch',
    'no samples',
    'argument',
  );
}

function meanLoss(
  net: Net,
  loader: Iterable<LandscapeBatch>,
  lossFn: (logits: tf.Tensor, labels: tf.Tensor) => tf.Scalar,
): number {
  let sum = 0;
  let count = 0;
  for (const { images, labels } of loader) {
    try {
      const n = images.shape[0] ?? 1;
      const loss = tf.tidy(() => lossFn(net.apply(images) as tf.Tensor, labels));
      const values = loss.dataSync();
      const shape = loss.shape;
      loss.dispose();
      if (values.length !== 1) throw notScalar(shape);
      sum += values[0]! * n;
      count += n;
    } finally {
      images.dispose();
      labels.dispose();
    }
  }
  if (count === 0) throw noSamples();
  return sum / count;
}

/** `n` ids spread evenly over [start, stop] (np.linspace(start, stop, n, dtype=int)), or all of them if fewer. */
function spreadIds(start: number, stop: number, n: number): number[] {
  const available = stop - start + 1;
  if (n >= available) return Array.from({ length: available }, (_, i) => start + i);
  return linspace(start, stop, n).map(Math.floor);
}

/** np.linspace: `n` values from `start` to `stop` inclusive (just `start` when n is 1). */
function linspace(start: number, stop: number, n: number): number[] {
  if (n === 1) return [start];
  const step = (stop - start) / (n - 1);
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? stop : start + i * step));
}

function flatten(state: State): Float64Array {
  const out = new Float64Array(state.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of state) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}

function unflatten(flat: ArrayLike<number>, sizes: readonly number[]): State {
  let offset = 0;
  return sizes.map((size) => {
    const a = new Float32Array(size);
    for (let j = 0; j < size; j++) a[j] = flat[offset + j]!;
    offset += size;
    return a;
  });
}

/** The sizes of the weights of `states[0]`, after checking that every state has the same ones. */
function checkStates(states: unknown): number[] {
  if (!Array.isArray(states) || states.length === 0)
    throw badOption('states', 'a non-empty array of states', describeValue(states), 'argument');
  const sizes = stateSizes(states[0]);
  if (sizes === undefined)
    throw badOption(
      'states',
      'an array of states, each an array of Float32Array',
      `states[0] = ${describeValue(states[0])}`,
      'argument',
    );
  states.forEach((state: unknown, i) => {
    const s = stateSizes(state);
    if (s === undefined || s.length !== sizes.length || s.some((n, w) => n !== sizes[w])) {
      throw badOption(
        'states',
        `every state to hold weights of sizes [${sizes.join(', ')}] like states[0]`,
        `states[${i}] ${s === undefined ? `= ${describeValue(state)}` : `with sizes [${s.join(', ')}]`}`,
        'argument',
      );
    }
  });
  return sizes;
}

function stateSizes(state: unknown): number[] | undefined {
  if (!Array.isArray(state) || !state.every((a) => a instanceof Float32Array)) return undefined;
  return state.map((a: Float32Array) => a.length);
}

function checkDirections(value: StateDirections, sizes: number[]): void {
  const expected = `what getStateDirections returned for a state of this net (weights of sizes [${sizes.join(', ')}])`;
  const fits = (state: unknown): boolean => {
    const s = stateSizes(state);
    return s !== undefined && s.length === sizes.length && s.every((n, w) => n === sizes[w]);
  };
  const object: Partial<StateDirections> | undefined =
    typeof value === 'object' && value !== null ? value : undefined;
  const pair = object?.directions;
  if (
    object === undefined ||
    !fits(object.reference) ||
    !Array.isArray(pair) ||
    pair.length !== 2 ||
    !pair.every(fits)
  ) {
    const sizesOf = (state: unknown): string => {
      const s = stateSizes(state);
      return s === undefined ? describeValue(state) : `sizes [${s.join(', ')}]`;
    };
    const got =
      object === undefined
        ? describeValue(value)
        : !fits(object.reference)
          ? `a reference with ${sizesOf(object.reference)}`
          : `directions ${Array.isArray(pair) ? `with ${pair.map(sizesOf).join(' and ')}` : `= ${describeValue(pair)}`}`;
    throw badOption('directions', expected, got);
  }
}

function checkInteger(name: string, value: unknown, min: number, max: number, expected: string): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw badOption(name, expected, describeValue(value));
}
