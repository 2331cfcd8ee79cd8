import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../course/errors.js';
import { selectBackend } from '../../course/backend.js';
import {
  getLossGrid,
  getLossGridAsync,
  getStateDirections,
  scaleFromCoordinates,
  type LandscapeBatch,
  type StateDirections,
} from '../../course/landscape.js';
import { readState, type State } from '../../course/params.js';
import { seededVector } from '../../course/eigen.js';
import { assertClose } from '../helpers/close.js';

/** Sizes of the weights of the test states: several weights of different shapes, flattened. */
const SIZES = [6, 3, 4, 1];
const P = SIZES.reduce((a, b) => a + b, 0);

function toState(flat: ArrayLike<number>, sizes: readonly number[] = SIZES): State {
  let offset = 0;
  return sizes.map((n) => {
    const a = Float32Array.from({ length: n }, (_, j) => flat[offset + j]!);
    offset += n;
    return a;
  });
}

function flat(state: State): number[] {
  return state.flatMap((a) => Array.from(a));
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
  return s;
}

function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** sklearn's svd_flip rule: the entry of largest absolute value is positive. */
function signed(v: number[]): number[] {
  let best = 0;
  v.forEach((x, j) => {
    if (Math.abs(x) > Math.abs(v[best]!)) best = j;
  });
  return v[best]! < 0 ? v.map((x) => -x) : v;
}

/** The unit vector along the largest-magnitude entry's sign rule, orthonormalized against `others`. */
function orthonormal(v: Float64Array, others: number[][]): number[] {
  const w = Array.from(v);
  for (const o of others) {
    const c = dot(w, o);
    for (let j = 0; j < w.length; j++) w[j] = w[j]! - c * o[j]!;
  }
  const n = norm(w);
  return w.map((x) => x / n);
}

/** Checks the returned directions are unit, orthogonal, and shaped like the states. */
function expectOrthonormal(result: StateDirections, sizes: readonly number[] = SIZES): void {
  const [d1, d2] = result.directions;
  expect(d1.map((a) => a.length)).toEqual(sizes);
  expect(d2.map((a) => a.length)).toEqual(sizes);
  assertClose('|d1|, |d2|, d1·d2', [norm(flat(d1)), norm(flat(d2)), dot(flat(d1), flat(d2))], [1, 1, 0], {
    atol: 1e-6,
    rtol: 0,
  });
}

async function expectBadOptionAsync(
  run: () => Promise<unknown>,
  name: string,
  pattern?: RegExp,
): Promise<void> {
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  expectBadOption(
    () => {
      throw caught;
    },
    name,
    pattern,
  );
}

function expectBadOption(run: () => unknown, name: string, pattern?: RegExp): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(HarnessError);
  const error = caught as HarnessError;
  expect(error.code).toBe('OPTNN_BAD_OPTION');
  expect(error.message).toContain(`Expected the \`${name}\``);
  if (pattern !== undefined) expect(error.message).toMatch(pattern);
}

describe('getStateDirections', () => {
  it('finds the line of states on a straight line, with signed distances as coordinates', () => {
    const theta0 = seededVector(P, 11);
    const u = seededVector(P, 12).map((x) => x * 0.5);
    const states = Array.from({ length: 12 }, (_, k) => toState(theta0.map((t, j) => t + k * u[j]!)));
    const result = getStateDirections(states, { nStates: 12 });
    expect(result.stateIds).toEqual(Array.from({ length: 12 }, (_, k) => k));
    expectOrthonormal(result);
    const expected = signed(Array.from(u, (x) => x / norm(u)));
    assertClose('d1', flat(result.directions[0]), expected, { atol: 1e-6, rtol: 0 });
    const sign = Math.sign(dot(expected, u));
    const length = norm(u);
    assertClose(
      'x coordinates',
      result.coordinates[0],
      states.map((_, k) => sign * (k - 11) * length),
      { atol: 1e-5, rtol: 0 },
    );
    assertClose(
      'y coordinates',
      result.coordinates[1],
      states.map(() => 0),
      { atol: 1e-5, rtol: 0 },
    );
    // The reference is a copy of the last state.
    expect(flat(result.reference)).toEqual(flat(states[11]!));
    expect(result.reference[0]).not.toBe(states[11]![0]);
  });

  it('recovers a plane of states in the order of their spread', () => {
    const e1 = orthonormal(seededVector(P, 21), []);
    const e2 = orthonormal(seededVector(P, 22), [e1]);
    const theta0 = seededVector(P, 23);
    // Points on an ellipse, equally spaced in angle: centred, their spreads along e1 and e2 are
    // uncorrelated, so e1 (semi-axis 3) and e2 (semi-axis 1) are the principal directions.
    const n = 8;
    const a = Array.from({ length: n }, (_, k) => 3 * Math.cos((2 * Math.PI * k) / n));
    const b = Array.from({ length: n }, (_, k) => Math.sin((2 * Math.PI * k) / n));
    const states = a.map((ak, k) => toState(theta0.map((t, j) => t + ak * e1[j]! + b[k]! * e2[j]!)));
    const result = getStateDirections(states, { nStates: n, referenceId: 0 });
    expectOrthonormal(result);
    const s1 = signed(e1);
    const s2 = signed(e2);
    assertClose('d1', flat(result.directions[0]), s1, { atol: 1e-5, rtol: 0 });
    assertClose('d2', flat(result.directions[1]), s2, { atol: 1e-5, rtol: 0 });
    const sign1 = Math.sign(dot(s1, e1));
    const sign2 = Math.sign(dot(s2, e2));
    assertClose(
      'x coordinates',
      result.coordinates[0],
      a.map((ak) => sign1 * (ak - a[0]!)),
      { atol: 1e-5, rtol: 0 },
    );
    assertClose(
      'y coordinates',
      result.coordinates[1],
      b.map((bk) => sign2 * (bk - b[0]!)),
      { atol: 1e-5, rtol: 0 },
    );
  });

  it('agrees with power iteration on the explicit covariance of random states', () => {
    const sizes = [20, 7, 5];
    const p = 32;
    const states = Array.from({ length: 30 }, (_, k) =>
      toState(
        seededVector(p, 100 + k).map((x, j) => x * (1 + (j % 5))),
        sizes,
      ),
    );
    const result = getStateDirections(states, { nStates: 7, startFrom: 3, referenceId: -1 });
    expect(result.stateIds).toEqual([3, 7, 11, 16, 20, 24, 29]);
    expectOrthonormal(result, sizes);

    // Brute force: centred differences, their p×p covariance, power iteration with deflation.
    const ref = flat(states[29]!);
    const diffs = result.stateIds.map((id) => flat(states[id]!).map((v, j) => v - ref[j]!));
    const mean = ref.map((_, j) => diffs.reduce((s, d) => s + d[j]!, 0) / diffs.length);
    const centred = diffs.map((d) => d.map((v, j) => v - mean[j]!));
    const cov = Array.from({ length: p }, (_, i) =>
      Array.from({ length: p }, (_, j) => centred.reduce((s, d) => s + d[i]! * d[j]!, 0)),
    );
    const found: number[][] = [];
    for (let c = 0; c < 2; c++) {
      let v = orthonormal(seededVector(p, 7 + c), found);
      for (let it = 0; it < 3000; it++)
        v = orthonormal(Float64Array.from(cov.map((row) => dot(row, v))), found);
      found.push(signed(v));
    }
    assertClose('d1', flat(result.directions[0]), found[0]!, { atol: 1e-5, rtol: 0 });
    assertClose('d2', flat(result.directions[1]), found[1]!, { atol: 1e-5, rtol: 0 });
    assertClose(
      'x coordinates',
      result.coordinates[0],
      diffs.map((d) => dot(d, found[0]!)),
      { atol: 1e-5, rtol: 0 },
    );
    assertClose(
      'y coordinates',
      result.coordinates[1],
      diffs.map((d) => dot(d, found[1]!)),
      { atol: 1e-5, rtol: 0 },
    );
  });

  it('still gives two fixed orthonormal directions when the states span less than a plane', () => {
    const theta0 = seededVector(P, 31);
    const u = seededVector(P, 32);
    const two = [toState(theta0), toState(theta0.map((t, j) => t + u[j]!))];
    const first = getStateDirections(two);
    expect(first.stateIds).toEqual([0, 1]);
    expectOrthonormal(first);
    assertClose('d1', flat(first.directions[0]), signed(Array.from(u, (x) => x / norm(u))), {
      atol: 1e-6,
      rtol: 0,
    });
    assertClose('y coordinates', first.coordinates[1], [0, 0], { atol: 1e-6, rtol: 0 });
    const again = getStateDirections(two);
    expect(flat(again.directions[1])).toEqual(flat(first.directions[1]));

    const one = getStateDirections([toState(theta0)]);
    expect(one.stateIds).toEqual([0]);
    expectOrthonormal(one);
    expect(one.coordinates).toEqual([[0], [0]]);
  });

  it('spreads the state ids like np.linspace(startFrom, n - 1, nStates, dtype=int)', () => {
    const states = Array.from({ length: 100 }, (_, k) => [Float32Array.of(k, (k * k) % 7)]);
    expect(getStateDirections(states, { nStates: 10 }).stateIds).toEqual([
      0, 11, 22, 33, 44, 55, 66, 77, 88, 99,
    ]);
    expect(getStateDirections(states, { nStates: 10, startFrom: 40 }).stateIds).toEqual([
      40, 46, 53, 59, 66, 72, 79, 85, 92, 99,
    ]);
    expect(getStateDirections(states, { nStates: 6, startFrom: 83 }).stateIds).toEqual([
      83, 86, 89, 92, 95, 99,
    ]);
    expect(getStateDirections(states, { nStates: 10, startFrom: 95 }).stateIds).toEqual([95, 96, 97, 98, 99]);
    expect(getStateDirections(states).stateIds).toHaveLength(10);
    expect(flat(getStateDirections(states, { referenceId: -3 }).reference)).toEqual([97, (97 * 97) % 7]);
    expect(flat(getStateDirections(states, { referenceId: 5 }).reference)).toEqual([5, 25 % 7]);
  });

  it('rejects bad arguments, naming the option', () => {
    const states = Array.from({ length: 100 }, (_, k) => [Float32Array.of(k, 1)]);
    expectBadOption(
      () => getStateDirections(states, { startFrom: 120 }),
      'startFrom',
      /^Expected the `startFrom` option to be an integer in \[0, 99\], got `120` \(number\)$/,
    );
    expectBadOption(
      () => getStateDirections(states, { nStates: 0 }),
      'nStates',
      /positive integer, got `0` \(number\)/,
    );
    expectBadOption(() => getStateDirections(states, { nStates: 2.5 }), 'nStates');
    expectBadOption(() => getStateDirections(states, { referenceId: -101 }), 'referenceId', /\[-100, 99\]/);
    expectBadOption(() => getStateDirections(states, { referenceId: 100 }), 'referenceId');
    expectBadOption(() => getStateDirections([]), 'states', /non-empty/);
    expectBadOption(
      () => getStateDirections([...states, [Float32Array.of(1, 2, 3)]]),
      'states',
      /states\[100\] with sizes \[3\]/,
    );
    expectBadOption(
      () => getStateDirections([...states, [Float32Array.of(1), Float32Array.of(2)]]),
      'states',
    );
  });
});

describe('scaleFromCoordinates', () => {
  it('is the largest absolute coordinate, or 1 when all are 0', () => {
    expect(
      scaleFromCoordinates([
        [1, -3.5],
        [2, 0],
      ]),
    ).toBe(3.5);
    expect(
      scaleFromCoordinates([
        [0, 0],
        [0, 0],
      ]),
    ).toBe(1);
  });
});

describe('getLossGrid', () => {
  // A linear model 2 → 1 with the mean squared error: θ = [w1, w2, b] (kernel [2, 1], then bias).
  const inputs = [
    [1, 2],
    [0, -1],
    [3, 0.5],
    [-2, 1],
    [0.5, 0.5],
    [1, -1],
    [2, 2],
    [-1, 0],
  ];
  const targets = inputs.map(([a, b]) => 0.5 * a! - b! + 0.25);
  const batchSizes = [3, 5]; // unequal, so a mean of batch means would differ from the mean over samples

  function makeNet(): tf.Sequential {
    return tf.sequential({
      layers: [
        tf.layers.dense({
          units: 1,
          inputShape: [2],
          kernelInitializer: tf.initializers.randomNormal({ seed: 3 }),
          biasInitializer: 'ones',
        }),
      ],
    });
  }

  /** A loss that throws at its 7th call, and a check that the net and the engine are as before it. */
  function failingAtSeventh(net: tf.Sequential): {
    failing: (logits: tf.Tensor, labels: tf.Tensor) => tf.Scalar;
    expectRestored: () => void;
  } {
    const before = readState(net);
    const tensors = tf.memory().numTensors;
    let calls = 0;
    const failing = (logits: tf.Tensor, labels: tf.Tensor): tf.Scalar => {
      calls += 1;
      if (calls === 7) throw new Error('loss failed');
      return mse(logits, labels);
    };
    const expectRestored = (): void => {
      expect(calls).toBe(7);
      expect(readState(net)).toEqual(before);
      expect(tf.memory().numTensors).toBe(tensors);
    };
    return { failing, expectRestored };
  }

  const loader: Iterable<LandscapeBatch> = {
    *[Symbol.iterator]() {
      let start = 0;
      for (const n of batchSizes) {
        const rows = inputs.slice(start, start + n);
        yield { images: tf.tensor2d(rows), labels: tf.tensor2d(targets.slice(start, start + n), [n, 1]) };
        start += n;
      }
    },
  };

  const mse = (logits: tf.Tensor, labels: tf.Tensor): tf.Scalar => tf.mean(tf.square(tf.sub(logits, labels)));

  /** The loss by hand at θ = [w1, w2, b]: the mean over all eight samples. */
  function lossAt(theta: readonly number[]): number {
    const [w1, w2, b] = theta as [number, number, number];
    return (
      inputs.reduce((s, [x1, x2], i) => s + (w1 * x1! + w2 * x2! + b - targets[i]!) ** 2, 0) / inputs.length
    );
  }

  const reference = [0.3, -0.7, 0.1];
  const d1 = [0.6, 0.8, 0];
  const d2 = [0, 0, 1];
  const directions: StateDirections = {
    reference: [Float32Array.of(reference[0]!, reference[1]!), Float32Array.of(reference[2]!)],
    directions: [
      [Float32Array.of(d1[0]!, d1[1]!), Float32Array.of(d1[2]!)],
      [Float32Array.of(d2[0]!, d2[1]!), Float32Array.of(d2[2]!)],
    ],
    stateIds: [0],
    coordinates: [[0], [0]],
  };

  it('evaluates the mean loss on the grid, rows along y, and restores the net exactly', () => {
    const net = makeNet();
    const before = readState(net);
    const tensors = tf.memory().numTensors;
    const progress: Array<[number, number]> = [];
    const grid = getLossGrid(net, loader, mse, {
      directions,
      resolution: [3, 5],
      scale: 2,
      onProgress: (done, total) => progress.push([done, total]),
    });

    expect(tf.memory().numTensors).toBe(tensors);
    expect(readState(net)).toEqual(before);
    expect(grid.xs).toEqual([-2, 0, 2]);
    expect(grid.ys).toEqual([-2, -1, 0, 1, 2]);
    expect(grid.losses).toHaveLength(5);
    expect(grid.losses.every((row) => row.length === 3)).toBe(true);
    // Float32 parameters and a float32 loss: relative error of a few float32 ulps.
    grid.ys.forEach((y, iy) => {
      const expected = grid.xs.map((x) =>
        lossAt(reference.map((r, j) => Math.fround(r + x * d1[j]! + y * d2[j]!))),
      );
      assertClose(`row ${iy} (y = ${y})`, grid.losses[iy]!, expected, { atol: 1e-6, rtol: 1e-5 });
    });
    expect(progress).toHaveLength(15);
    expect(progress[0]).toEqual([1, 15]);
    expect(progress[14]).toEqual([15, 15]);
    expect(progress.every(([done], i) => done === i + 1)).toBe(true);
    net.dispose();
  });

  it('restores the net and leaks nothing when the loss function throws', () => {
    const net = makeNet();
    const { failing, expectRestored } = failingAtSeventh(net);
    expect(() => getLossGrid(net, loader, failing, { directions, resolution: [4, 4], scale: 1 })).toThrow(
      'loss failed',
    );
    expectRestored();
    net.dispose();
  });

  it('rejects bad options, naming the option, and leaves the net as it was', () => {
    const net = makeNet();
    const before = readState(net);
    const run = (options: Partial<Parameters<typeof getLossGrid>[3]>) => () =>
      getLossGrid(net, loader, mse, { directions, scale: 1, ...options });
    expectBadOption(run({ scale: 0 }), 'scale', /positive finite number, got `0` \(number\)/);
    expectBadOption(run({ scale: -1 }), 'scale');
    expectBadOption(run({ scale: Number.NaN }), 'scale');
    expectBadOption(run({ scale: Number.POSITIVE_INFINITY }), 'scale');
    expectBadOption(run({ resolution: [1, 5] }), 'resolution', /got \[1, 5\]/);
    expectBadOption(run({ resolution: [2.5, 3] }), 'resolution');
    const wrongNet = { ...directions, reference: [Float32Array.of(1, 2, 3)] };
    expectBadOption(run({ directions: wrongNet }), 'directions', /sizes \[2, 1\]/);
    const perSample = (logits: tf.Tensor, labels: tf.Tensor): tf.Scalar =>
      tf.square(tf.sub(logits, labels)) as tf.Scalar; // deliberately not a scalar
    expectBadOption(
      () => getLossGrid(net, loader, perSample, { directions, scale: 1 }),
      'lossFn',
      /shape \[3, 1\]/,
    );
    expectBadOption(() => getLossGrid(net, [], mse, { directions, scale: 1 }), 'loader');
    expect(readState(net)).toEqual(before);
    net.dispose();
  });

  it('takes the plane and scale from getStateDirections, with the reference state at the centre', () => {
    const net = makeNet();
    const states = [
      reference,
      reference.map((r, j) => r + 0.5 * d1[j]!),
      reference.map((r, j) => r - 0.25 * d2[j]!),
    ];
    const found = getStateDirections(
      states.map((s) => toState(s, [2, 1])),
      { referenceId: 0 },
    );
    const scale = scaleFromCoordinates(found.coordinates);
    expect(scale).toBe(Math.max(...found.coordinates.flat().map(Math.abs)));
    const grid = getLossGrid(net, loader, mse, { directions: found, resolution: [3, 3], scale });
    expect(grid.xs).toEqual([-scale, 0, scale]);
    const [e1, e2] = found.directions.map(flat) as [number[], number[]];
    grid.ys.forEach((y, iy) => {
      const expected = grid.xs.map((x) =>
        lossAt(reference.map((r, j) => Math.fround(Math.fround(r) + x * e1[j]! + y * e2[j]!))),
      );
      assertClose(`row ${iy} (y = ${y})`, grid.losses[iy]!, expected, { atol: 1e-6, rtol: 1e-5 });
    });
    assertClose('loss at the centre', [grid.losses[1]![1]!], [lossAt(reference.map(Math.fround))], {
      atol: 1e-6,
      rtol: 1e-5,
    });
    net.dispose();
  });

  // The asynchronous grid (for webgpu, which reads only asynchronously): on a synchronous backend
  // it must give exactly getLossGrid's numbers, since it sums the same float32 batch losses in the
  // same order in float64; only the reads are batched, one per row.
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`getLossGridAsync equals getLossGrid bit for bit on ${backend}, progress and restoring included`, async () => {
      const info = await selectBackend(backend, {});
      expect(info.name).toBe(backend);
      try {
        const net = makeNet();
        const before = readState(net);
        const tensors = tf.memory().numTensors;
        const syncProgress: Array<[number, number]> = [];
        const asyncProgress: Array<[number, number]> = [];
        const options = { directions, resolution: [4, 3] as [number, number], scale: 1.5 };
        const expected = getLossGrid(net, loader, mse, {
          ...options,
          onProgress: (done, total) => syncProgress.push([done, total]),
        });
        const got = await getLossGridAsync(net, loader, mse, {
          ...options,
          onProgress: (done, total) => asyncProgress.push([done, total]),
        });
        expect(got).toEqual(expected);
        expect(got.losses.flat().every((v) => Number.isFinite(v) && v > 0)).toBe(true);
        expect(asyncProgress).toEqual(syncProgress);
        expect(asyncProgress).toHaveLength(12);
        expect(readState(net)).toEqual(before);
        expect(tf.memory().numTensors).toBe(tensors);
        net.dispose();
      } finally {
        await selectBackend('cpu', {});
      }
    });
  }

  it('getLossGridAsync restores the net, leaks nothing and rejects as getLossGrid throws', async () => {
    const net = makeNet();
    const { failing, expectRestored } = failingAtSeventh(net);
    await expect(
      getLossGridAsync(net, loader, failing, { directions, resolution: [4, 4], scale: 1 }),
    ).rejects.toThrow('loss failed');
    expectRestored();
    const before = readState(net);
    const tensors = tf.memory().numTensors;

    const perSample = (logits: tf.Tensor, labels: tf.Tensor): tf.Scalar =>
      tf.square(tf.sub(logits, labels)) as tf.Scalar; // deliberately not a scalar
    await expectBadOptionAsync(
      () => getLossGridAsync(net, loader, perSample, { directions, scale: 1 }),
      'lossFn',
      /shape \[3, 1\]/,
    );
    await expectBadOptionAsync(() => getLossGridAsync(net, [], mse, { directions, scale: 1 }), 'loader');
    await expectBadOptionAsync(
      () => getLossGridAsync(net, loader, mse, { directions, scale: 0 }),
      'scale',
      /positive finite number, got `0` \(number\)/,
    );
    expect(readState(net)).toEqual(before);
    expect(tf.memory().numTensors).toBe(tensors);
    net.dispose();
  });
});
