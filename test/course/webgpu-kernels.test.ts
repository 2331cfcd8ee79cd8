/**
 * The project's WGSL gradient kernels (course/kernels/webgpu/) against the cpu backend, on the
 * adapter Dawn finds (lavapipe in CI): the GarmentClassifier's layer shapes, odd shapes (stride 2,
 * 'same' padding, sizes the pooling does not divide, ties) and a shape each hands to the stock
 * kernel. Small batches: lavapipe is a CPU.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../course/backend.js';
import { closeness } from '../helpers/close.js';
import { requireAdapter, testAdapter } from '../helpers/webgpu-adapter.js';

const found = await testAdapter('webgpu kernel tests');
const skip = found.skipReason !== undefined;

/** Sums of up to a few thousand products in another order: float32 rounding of the sum. */
const SUM_TOLERANCE = { atol: 1e-5, rtol: 1e-4 };
/** A max-pool gradient only moves values: exact. */
const EXACT = { atol: 0, rtol: 0 };

type Inputs = Record<string, { shape: number[]; values: Float32Array }>;

/** Seeded values in [-1, 1) (a plain LCG, so no backend runs here); `zeros`: the negative half 0, as after a ReLU, for windows of ties. */
function random(shape: number[], seed: number, zeros = false): { shape: number[]; values: Float32Array } {
  const values = new Float32Array(tf.util.sizeFromShape(shape));
  let state = seed >>> 0;
  for (let i = 0; i < values.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const v = state / 2 ** 31 - 1;
    values[i] = zeros && v < 0 ? 0 : v;
  }
  return { shape, values };
}

/** Runs one kernel on the current backend and reads its result. */
async function run(kernel: string, inputs: Inputs, attrs: object): Promise<Float32Array> {
  const tensors = Object.fromEntries(
    Object.entries(inputs).map(([name, { shape, values }]) => [name, tf.tensor(values, shape)]),
  );
  const out = tf.engine().runKernel(kernel, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
  const values = new Float32Array(await out.data());
  tf.dispose([out, ...Object.values(tensors)]);
  return values;
}

async function compare(kernel: string, inputs: Inputs, attrs: object, tolerance: object): Promise<void> {
  await selectBackend('cpu', {});
  const expected = await run(kernel, inputs, attrs);
  await selectBackend('webgpu', {}, { asyncReads: true });
  const got = await run(kernel, inputs, attrs);
  expect(got.length).toBe(expected.length);
  expect(closeness(got, expected, tolerance), kernel).toBeUndefined();
}

interface ConvCase {
  name: string;
  x: number[];
  filter: number[];
  strides: number;
  pad: 'valid' | 'same';
}

const CONVS: ConvCase[] = [
  { name: 'conv1 (28×28×1, 5×5 → 6)', x: [3, 28, 28, 1], filter: [5, 5, 1, 6], strides: 1, pad: 'valid' },
  { name: 'conv2 (12×12×6, 5×5 → 16)', x: [3, 12, 12, 6], filter: [5, 5, 6, 16], strides: 1, pad: 'valid' },
  {
    name: "odd: 9×7×3, 3×2 → 5, stride 2, 'same'",
    x: [2, 9, 7, 3],
    filter: [3, 2, 3, 5],
    strides: 2,
    pad: 'same',
  },
  // 2,304 weights over 75 positions: chunks of 2 that cross rows (of 5) and images (of 25).
  {
    name: '7×7×8, 3×3 → 32, chunks across rows and images',
    x: [3, 7, 7, 8],
    filter: [3, 3, 8, 32],
    strides: 1,
    pad: 'valid',
  },
];

function dyShape(c: ConvCase): number[] {
  const info = tf.backend_util.computeConv2DInfo(
    c.x as [number, number, number, number],
    c.filter as [number, number, number, number],
    c.strides,
    1,
    c.pad,
  );
  return info.outShape;
}

describe.skipIf(skip)('webgpu gradient kernels equal the cpu backend', () => {
  beforeAll(async () => {
    requireAdapter(found);
    const info = await selectBackend('webgpu', {}, { asyncReads: true });
    expect(info.fastKernels).toEqual([tf.Conv2DBackpropFilter, tf.Conv2DBackpropInput, tf.MaxPoolGrad]);
  });
  afterAll(async () => {
    await selectBackend('cpu', {});
  });

  it.each(CONVS)('Conv2DBackpropFilter, $name', async (c) => {
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter };
    await compare(
      tf.Conv2DBackpropFilter,
      { x: random(c.x, 1), dy: random(dyShape(c), 2) },
      attrs,
      SUM_TOLERANCE,
    );
  });

  it.each(CONVS)('Conv2DBackpropInput, $name', async (c) => {
    const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x };
    await compare(
      tf.Conv2DBackpropInput,
      { dy: random(dyShape(c), 3), filter: random(c.filter, 4) },
      attrs,
      SUM_TOLERANCE,
    );
  });

  it.each([
    { name: 'pool1 (24×24×6, 2×2 stride 2)', x: [3, 24, 24, 6], size: 2, strides: 2 },
    { name: 'pool2 (8×8×16, 2×2 stride 2)', x: [3, 8, 8, 16], size: 2, strides: 2 },
    {
      name: 'odd: 7×5×3, 2×2 stride 2 (the last row and column in no window)',
      x: [2, 7, 5, 3],
      size: 2,
      strides: 2,
    },
    { name: 'odd: 9×9×2, 2×2 stride 3 (gaps between windows)', x: [2, 9, 9, 2], size: 2, strides: 3 },
    { name: 'stock: 7×7×2, 3×3 stride 2 (windows overlap)', x: [2, 7, 7, 2], size: 3, strides: 2 },
  ])('MaxPoolGrad, $name, ties included', async ({ x, size, strides }) => {
    const input = random(x, 5, true);
    const attrs = { filterSize: size, strides, pad: 'valid' };
    await selectBackend('cpu', {});
    const y = tf.maxPool(
      tf.tensor4d(input.values, x as [number, number, number, number]),
      size,
      strides,
      'valid',
    );
    const output = { shape: y.shape, values: y.dataSync() as Float32Array };
    y.dispose();
    await compare(tf.MaxPoolGrad, { dy: random(output.shape, 6), input, output }, attrs, EXACT);
  });
});
