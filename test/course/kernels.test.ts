/**
 * The fast kernels of course/kernels against tfjs's stock cpu kernels. Forward convs, gradients of conv2d,
 * maxPool, matMul and fused matMul (via tf.grads, so the engine calls the kernels as in training) and a full
 * GarmentClassifier gradient, on wasm and on cpu with the fast kernels, against cpu with the stock
 * ones; kernel-internal leaks (IS_TEST makes the engine check every kernel) and per-step leaks.
 *
 * Tolerance. The fast kernels sum the same products in another order (XNNPACK blocks, SIMD lanes,
 * float32 accumulators), so they differ from the stock kernels by float32 rounding, which grows
 * with the partial sums, not with the result: a gradient of 0.1 that is a sum of 400 products of
 * size 1 carries an error of ~1e-5 (1.6e-5 measured), so neither PyTorch's atol 1e-5 nor any
 * relative tolerance fits. For the linear kernels (conv, matMul, maxPool) each element is checked
 * against the sum of the absolute values of its products, S, which the same gradient computed on
 * |x|, |filter|, |dy| gives exactly: |fast − stock| ≤ 1e-6 + 1e-6·S, i.e. about 16 float32 ulps
 * of S (measured: up to 2.4e-7·S). A wrong index, a lost term or a wrong padding moves a value by
 * a whole product, on average S / (number of products) ≥ 3e-4·S here, well beyond it. For the
 * whole net: PyTorch's float32 assert_close (atol 1e-5, rtol 1.3e-6). Where a fast kernel sums in
 * the stock kernel's order (cpu filter gradient, in float64; max-pool gradient without overlap)
 * the test asks for equal bits. The measured worst differences are printed at the end.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerFastKernels, unregisterFastKernels } from '../../course/kernels/register.js';
import { getGarmentClassifier } from '../../reference/nets.js';
import { closeness, type Tolerance } from '../helpers/close.js';

/** For the whole net, where no sum of absolute values is at hand: PyTorch's float32 assert_close. */
const NET_TOLERANCE: Tolerance = { atol: 1e-5, rtol: 1.3e-6 };
/** |fast − stock| ≤ SCALED.atol + SCALED.perAbsoluteSum · S, S the sum of |products| (see above). */
const SCALED = { atol: 1e-6, perAbsoluteSum: 1e-6 };
type Backend = 'wasm' | 'cpu';
type Values = Float32Array[];

/** Worst absolute difference per comparison, printed at the end for the record. */
const worst = new Map<string, { abs: number; perS: number | undefined }>();

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]!) && Number.isNaN(b[i]!)) continue;
    const d = Math.abs(a[i]! - b[i]!);
    m = Number.isNaN(d) ? Infinity : Math.max(m, d);
  }
  return m;
}

/**
 * got vs expected, element-wise. `scale` (S per element) selects the scaled tolerance; without
 * it, NET_TOLERANCE. The message names the comparison, the worst index, expected vs got and the error.
 */
function scaledProblem(got: Float32Array, expected: Float32Array, scale: Float32Array): string | undefined {
  let worstAt = -1;
  let worstExcess = 0;
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const e = expected[i]!;
    if (Number.isNaN(g) && Number.isNaN(e)) continue;
    const excess = Math.abs(g - e) - (SCALED.atol + SCALED.perAbsoluteSum * scale[i]!);
    if (!(excess <= worstExcess)) {
      worstAt = i;
      worstExcess = Number.isNaN(excess) ? Infinity : excess;
    }
  }
  if (worstAt < 0) return undefined;
  const g = got[worstAt]!;
  const e = expected[worstAt]!;
  return (
    `worst at [${worstAt}]: expected ${e}, got ${g} (abs error ${Math.abs(g - e).toExponential(2)}, ` +
    `allowed ${SCALED.atol} + ${SCALED.perAbsoluteSum}·S with S = ${scale[worstAt]!.toExponential(2)})`
  );
}

function expectClose(
  label: string,
  got: Values,
  expected: Values,
  options: { exact?: boolean; scale?: Values } = {},
): void {
  expect(got.length, `${label}: number of gradients`).toBe(expected.length);
  got.forEach((g, i) => {
    const e = expected[i]!;
    expect(g.length, `${label}, gradient ${i}: size`).toBe(e.length);
    const key = `${label.replace(/ #.*? on /, ' on ')} [${i}]`;
    const s = options.scale?.[i];
    const diff = maxAbsDiff(g, e);
    const relative = s === undefined ? undefined : maxRelativeToScale(g, e, s);
    const seen = worst.get(key);
    worst.set(key, {
      abs: Math.max(seen?.abs ?? 0, diff),
      perS: relative === undefined ? seen?.perS : Math.max(seen?.perS ?? 0, relative),
    });
    if (options.exact) {
      expect(Array.from(g), `${label}, gradient ${i}: expected equal bits`).toEqual(Array.from(e));
      return;
    }
    const problem = s === undefined ? closeness(g, e, NET_TOLERANCE) : scaledProblem(g, e, s);
    expect(problem, `${label}, gradient ${i}: ${problem}`).toBeUndefined();
  });
}

function maxRelativeToScale(a: Float32Array, b: Float32Array, scale: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    if (scale[i]! > 0) m = Math.max(m, Math.abs(a[i]! - b[i]!) / scale[i]!);
  }
  return m;
}

/** Seeded normal values (generated in JS, so the same on every backend). */
function normal(shape: number[], seed: number): Float32Array {
  return tf.tidy(() => tf.randomNormal(shape, 0, 1, 'float32', seed).dataSync() as Float32Array).slice();
}

async function on<T>(backend: Backend, f: () => T): Promise<T> {
  await tf.setBackend(backend);
  return f();
}

interface Comparison {
  /** Equal bits expected from the fast cpu / wasm kernels. */
  exactOnCpu?: boolean;
  exactOnWasm?: boolean;
  /** The same computation on absolute values, giving S per element (see the tolerance above). */
  absolute?: () => Values;
  /** Have the engine check each kernel for leaked tensors (IS_TEST; tfjs's own customGrad ops fail it). */
  checkKernelLeaks?: boolean;
}

/** Runs `compute` on cpu with the stock kernels, then on cpu and on wasm with the fast ones. */
async function compareBackends(
  label: string,
  compute: () => Values,
  options: Comparison = {},
): Promise<void> {
  tf.env().set('IS_TEST', options.checkKernelLeaks ?? true);
  try {
    unregisterFastKernels('cpu');
    const expected = await on('cpu', compute);
    const scale = options.absolute ? await on('cpu', options.absolute) : undefined;
    registerFastKernels('cpu');
    expectClose(`${label} on cpu`, await on('cpu', compute), expected, { exact: options.exactOnCpu, scale });
    expectClose(`${label} on wasm`, await on('wasm', compute), expected, {
      exact: options.exactOnWasm,
      scale,
    });
  } finally {
    registerFastKernels('cpu');
    tf.env().set('IS_TEST', false);
  }
}

const abs = (values: Float32Array): Float32Array => values.map(Math.abs);

function read(ts: tf.Tensor[]): Values {
  return ts.map((t) => t.dataSync() as Float32Array);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.setBackend('wasm');
  registerFastKernels('wasm');
});

afterAll(async () => {
  registerFastKernels('cpu');
  await tf.setBackend('wasm');
  const rows = [...worst.entries()].map(
    ([k, v]) =>
      `  ${v.abs.toExponential(2).padStart(9)}  ${v.perS === undefined ? '        ' : v.perS.toExponential(2)}  ${k}`,
  );
  console.log(`worst |fast − stock cpu|, absolute and per S:\n${rows.join('\n')}`);
});

interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
  rounding?: 'floor' | 'round' | 'ceil';
}

const CONV_CASES: ConvCase[] = [
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'valid' },
  { x: [3, 10, 11, 2], filter: [3, 2, 2, 5], strides: 2, pad: 'same' },
  { x: [1, 8, 8, 1], filter: [5, 5, 1, 6], strides: 1, pad: 'same' },
  { x: [4, 12, 12, 6], filter: [5, 5, 6, 16], strides: 1, pad: 'valid' },
  { x: [5, 28, 28, 1], filter: [5, 5, 1, 6], strides: 1, pad: 'valid' },
  {
    x: [2, 9, 7, 3],
    filter: [2, 3, 3, 2],
    strides: [2, 3],
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  { x: [2, 10, 10, 2], filter: [3, 3, 2, 3], strides: 3, pad: 'valid' },
  { x: [1, 8, 9, 2], filter: [3, 3, 2, 2], strides: 2, pad: 1, rounding: 'floor' },
  {
    x: [2, 6, 6, 4],
    filter: [1, 1, 4, 3],
    strides: 1,
    pad: [
      [0, 0],
      [2, 0],
      [1, 3],
      [0, 0],
    ],
  },
  // The SIMD kernels' cases (stride 1, ≤ 16 output channels): a partial last vector (5, 9, 12
  // channels), an even filter with 'same' (uneven padding), rows cut off, the nets' full batch.
  { x: [3, 7, 9, 2], filter: [3, 3, 2, 5], strides: 1, pad: 'same' },
  { x: [2, 8, 8, 3], filter: [2, 2, 3, 9], strides: 1, pad: 'same' },
  {
    x: [2, 9, 6, 7],
    filter: [4, 3, 7, 12],
    strides: 1,
    pad: [
      [0, 0],
      [0, 3],
      [2, 0],
      [0, 0],
    ],
  },
  { x: [1, 5, 5, 16], filter: [3, 3, 16, 16], strides: 1, pad: 'valid' },
  { x: [64, 28, 28, 1], filter: [5, 5, 1, 6], strides: 1, pad: 'valid' },
  { x: [64, 12, 12, 6], filter: [5, 5, 6, 16], strides: 1, pad: 'valid' },
  // More than 16 output channels: the input gradient is a forward conv with 14 (SIMD) channels.
  { x: [2, 6, 7, 14], filter: [3, 3, 14, 20], strides: 1, pad: 'same' },
];

/**
 * Forward convs (the wasm Conv2D kernel takes stride 1 with one input channel and ≤ 16 output
 * channels, or 13 to 16 output channels): the conv cases above (the nets' convs among them), odd
 * cases with one input channel (channels not a multiple of its group of 3, widths not a multiple
 * of its block of 12 pixels, uneven and explicit padding, a 1×1 and a wide filter, one output
 * channel), 14 channels with an odd width, then cases it hands to XNNPACK (dilation 2, 17 output
 * channels).
 */
const FORWARD_CASES: Array<ConvCase & { dilations?: number }> = [
  ...CONV_CASES,
  { x: [3, 11, 13, 1], filter: [3, 4, 1, 7], strides: 1, pad: 'same' },
  { x: [2, 9, 30, 1], filter: [2, 7, 1, 16], strides: 1, pad: 'valid' },
  { x: [2, 6, 5, 1], filter: [1, 1, 1, 1], strides: 1, pad: 'valid' },
  {
    x: [1, 7, 9, 1],
    filter: [3, 3, 1, 4],
    strides: 1,
    pad: [
      [0, 0],
      [2, 0],
      [1, 3],
      [0, 0],
    ],
  },
  { x: [2, 7, 7, 3], filter: [3, 2, 3, 14], strides: 1, pad: 'same' },
  { x: [2, 10, 10, 1], filter: [3, 3, 1, 5], strides: 1, pad: 'valid', dilations: 2 },
  { x: [2, 8, 8, 1], filter: [3, 3, 1, 17], strides: 1, pad: 'valid' },
];

describe('fast kernels: gradients equal the stock cpu kernels', () => {
  it.each(FORWARD_CASES.map((c, i) => [i, c] as const))('conv2d case %i: forward output', async (i, c) => {
    const x = normal(c.x, 150 + i);
    const f = normal(c.filter, 160 + i);
    const forward = (xs: Float32Array, fs: Float32Array) => (): Values =>
      tf.tidy(() =>
        read([
          tf.conv2d(
            tf.tensor4d(xs, c.x),
            tf.tensor4d(fs, c.filter),
            c.strides,
            c.pad,
            'NHWC',
            c.dilations ?? 1,
            c.rounding,
          ),
        ]),
      );
    await compareBackends(`conv2d forward #${i}`, forward(x, f), { absolute: forward(abs(x), abs(f)) });
  });

  it.each(CONV_CASES.map((c, i) => [i, c] as const))(
    'conv2d case %i: x and filter gradients',
    async (i, c) => {
      const x = normal(c.x, 10 + i);
      const f = normal(c.filter, 20 + i);
      const conv = (a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor4D =>
        tf.conv2d(a, b, c.strides, c.pad, 'NHWC', 1, c.rounding);
      const grads =
        (xs: Float32Array, fs: Float32Array, weigh: (w: Float32Array) => Float32Array) => (): Values =>
          tf.tidy(() => {
            const xt = tf.tensor4d(xs, c.x);
            const ft = tf.tensor4d(fs, c.filter);
            const shape = conv(xt, ft).shape;
            const w = tf.tensor(weigh(normal(shape, 30 + i)), shape);
            return read(
              tf.grads((a: tf.Tensor, b: tf.Tensor) =>
                conv(a as tf.Tensor4D, b as tf.Tensor4D)
                  .mul(w)
                  .sum(),
              )([xt, ft]),
            );
          });
      // On cpu the input gradient is the stock kernel and the filter gradient sums in the stock order.
      await compareBackends(
        `conv2d #${i}`,
        grads(x, f, (w) => w),
        { exactOnCpu: true, absolute: grads(abs(x), abs(f), abs) },
      );
    },
  );

  interface PoolCase {
    x: [number, number, number, number];
    size: number | [number, number];
    strides: number | [number, number];
    pad: 'valid' | 'same' | number;
    /** No window overlaps another: the gradient is a copy of dy, equal bits expected. */
    disjoint: boolean;
  }
  const POOL_CASES: PoolCase[] = [
    { x: [2, 8, 8, 3], size: 2, strides: 2, pad: 'valid', disjoint: true },
    { x: [1, 9, 9, 4], size: 2, strides: 2, pad: 'valid', disjoint: true },
    { x: [4, 24, 24, 6], size: 2, strides: 2, pad: 'valid', disjoint: true },
    { x: [2, 7, 7, 2], size: 3, strides: 2, pad: 'same', disjoint: false },
    { x: [3, 6, 8, 1], size: [2, 3], strides: [1, 2], pad: 'valid', disjoint: false },
    { x: [1, 5, 5, 2], size: 2, strides: 2, pad: 'same', disjoint: true },
    { x: [2, 6, 6, 3], size: 3, strides: 1, pad: 1, disjoint: false },
    // The vector kernel (≥ 4 channels): 16 channels, 5 and 9 (the last vector overlaps the one
    // before), an odd height and width (a row and a column no window reaches).
    { x: [2, 8, 8, 16], size: 2, strides: 2, pad: 'valid', disjoint: true },
    { x: [3, 6, 6, 5], size: 2, strides: 2, pad: 'valid', disjoint: true },
    { x: [2, 7, 9, 9], size: 2, strides: 2, pad: 'valid', disjoint: true },
  ];

  it.each(POOL_CASES.map((c, i) => [i, c] as const))(
    'maxPool case %i: gradient, with ties, NaN and −∞',
    async (i, c) => {
      // After relu many values are exactly 0: windows with ties, where the first maximum must win.
      const x = normal(c.x, 40 + i).map((v) => Math.max(0, Math.round(v * 2) / 2));
      // The top-left 2×2 corner of sample 0: channel 0 holds only NaN and −∞ (no position wins, no
      // gradient), channel 1 only −∞; the last value of x is NaN inside an ordinary window.
      const at = (r: number, col: number, ch: number): number => (r * c.x[2] + col) * c.x[3] + ch;
      [
        [0, 0, Number.NaN],
        [0, 1, Number.NEGATIVE_INFINITY],
        [1, 0, Number.NEGATIVE_INFINITY],
        [1, 1, Number.NaN],
      ].forEach(([r, col, v]) => {
        x[at(r!, col!, 0)] = v!;
        if (c.x[3] > 1) x[at(r!, col!, 1)] = Number.NEGATIVE_INFINITY;
      });
      x[x.length - 1] = Number.NaN;
      const pool = (a: tf.Tensor4D): tf.Tensor4D => tf.maxPool(a, c.size, c.strides, c.pad);
      const grad = (weigh: (w: Float32Array) => Float32Array) => (): Values =>
        tf.tidy(() => {
          const xt = tf.tensor4d(x, c.x);
          const shape = pool(xt).shape;
          const w = tf.tensor(weigh(normal(shape, 50 + i)), shape);
          return read([
            tf.grad((a: tf.Tensor) =>
              pool(a as tf.Tensor4D)
                .mul(w)
                .sum(),
            )(xt),
          ]);
        });
      await compareBackends(
        `maxPool #${i}`,
        grad((w) => w),
        { exactOnCpu: c.disjoint, exactOnWasm: c.disjoint, absolute: grad(abs) },
      );
    },
  );

  const MATMUL_CASES: Array<{ a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }> = [
    { a: [64, 256], b: [256, 120], transposeA: false, transposeB: false },
    { a: [7, 5], b: [9, 5], transposeA: false, transposeB: true },
    { a: [5, 7], b: [5, 9], transposeA: true, transposeB: false },
    { a: [5, 7], b: [9, 5], transposeA: true, transposeB: true },
    { a: [3, 4, 6], b: [3, 6, 2], transposeA: false, transposeB: false },
    { a: [1, 6, 4], b: [1, 5, 6], transposeA: true, transposeB: true },
    // The nets' dense layers (SIMD kernel), then rows not a multiple of 4, columns not of 12, and
    // a right side too big for the SIMD kernel (transposed for XNNPACK instead).
    { a: [64, 120], b: [120, 84], transposeA: false, transposeB: false },
    { a: [1, 64, 84], b: [1, 84, 10], transposeA: false, transposeB: false },
    { a: [7, 13], b: [13, 25], transposeA: false, transposeB: false },
    { a: [13, 6], b: [25, 13], transposeA: true, transposeB: true },
    { a: [1, 5, 3], b: [1, 14, 3], transposeA: false, transposeB: true },
    { a: [3, 700], b: [200, 700], transposeA: false, transposeB: true },
  ];

  it.each(MATMUL_CASES.map((c, i) => [i, c] as const))(
    'matMul case %i: gradients of both sides',
    async (i, c) => {
      const a = normal(c.a, 60 + i);
      const b = normal(c.b, 70 + i);
      const mm = (p: tf.Tensor, q: tf.Tensor): tf.Tensor => tf.matMul(p, q, c.transposeA, c.transposeB);
      const products =
        (as: Float32Array, bs: Float32Array, weigh: (w: Float32Array) => Float32Array) => (): Values =>
          tf.tidy(() => {
            const at = tf.tensor(as, c.a);
            const bt = tf.tensor(bs, c.b);
            const y = mm(at, bt);
            const w = tf.tensor(weigh(normal(y.shape, 80 + i)), y.shape);
            return read([y, ...tf.grads((p: tf.Tensor, q: tf.Tensor) => mm(p, q).mul(w).sum())([at, bt])]);
          });
      await compareBackends(
        `matMul #${i}`,
        products(a, b, (w) => w),
        { absolute: products(abs(a), abs(b), abs) },
      );
    },
  );

  /** _FusedMatMul: the nets' last layer, relu, no bias, then fallbacks (an elu, a big right side). */
  const FUSED_CASES: Array<{
    a: number[];
    b: number[];
    transposeB: boolean;
    bias: number[] | undefined;
    activation: 'linear' | 'relu' | 'elu';
  }> = [
    { a: [64, 84], b: [84, 10], transposeB: false, bias: [10], activation: 'linear' },
    { a: [9, 13], b: [5, 13], transposeB: true, bias: [5], activation: 'relu' },
    { a: [6, 7], b: [7, 30], transposeB: false, bias: undefined, activation: 'linear' },
    { a: [6, 7], b: [7, 5], transposeB: false, bias: [5], activation: 'elu' },
    { a: [3, 700], b: [700, 200], transposeB: false, bias: [200], activation: 'linear' },
  ];

  it.each(FUSED_CASES.map((c, i) => [i, c] as const))(
    'fused matMul case %i: the product with bias and activation, and its gradients',
    async (i, c) => {
      const a = normal(c.a, 170 + i);
      const b = normal(c.b, 180 + i);
      const bias = c.bias && normal(c.bias, 190 + i);
      const values =
        (
          as: Float32Array,
          bs: Float32Array,
          cs: Float32Array | undefined,
          weigh: (w: Float32Array) => Float32Array,
        ) =>
        (): Values =>
          tf.tidy(() => {
            const at = tf.tensor(as, c.a);
            const bt = tf.tensor(bs, c.b);
            const ct = cs && c.bias ? tf.tensor(cs, c.bias) : undefined;
            const mm = (p: tf.Tensor, q: tf.Tensor): tf.Tensor =>
              tf.fused.matMul({ a: p, b: q, transposeB: c.transposeB, bias: ct, activation: c.activation });
            const y = mm(at, bt);
            const w = tf.tensor(weigh(normal(y.shape, 200 + i)), y.shape);
            return read([y, ...tf.grads((p: tf.Tensor, q: tf.Tensor) => mm(p, q).mul(w).sum())([at, bt])]);
          });
      // S from absolute values bounds the product; relu only zeroes values, elu is monotone.
      await compareBackends(
        `fused matMul #${i}`,
        values(a, b, bias, (w) => w),
        { absolute: values(abs(a), abs(b), bias && abs(bias), abs), checkKernelLeaks: false },
      );
    },
  );

  const BIAS_CASES: Array<{ x: number[]; c: number }> = [
    { x: [64, 24, 24, 6], c: 6 },
    { x: [64, 8, 8, 16], c: 16 },
    { x: [64, 120], c: 120 },
    { x: [3, 5, 7], c: 7 },
    { x: [5, 3], c: 3 },
  ];

  it.each(BIAS_CASES.map((c, i) => [i, c] as const))(
    'bias case %i: x + b and its gradients (Sum over all axes but the last)',
    async (i, c) => {
      const x = normal(c.x, 120 + i);
      const b = normal([c.c], 130 + i);
      const values =
        (xs: Float32Array, bs: Float32Array, weigh: (w: Float32Array) => Float32Array) => (): Values =>
          tf.tidy(() => {
            const xt = tf.tensor(xs, c.x);
            const bt = tf.tensor1d(bs);
            const w = tf.tensor(weigh(normal(c.x, 140 + i)), c.x);
            const f = (p: tf.Tensor, q: tf.Tensor): tf.Tensor => tf.add(p, q).mul(w).sum();
            return read([tf.add(xt, bt), tf.add(bt, xt), ...tf.grads(f)([xt, bt])]);
          });
      await compareBackends(
        `bias #${i}`,
        values(x, b, (w) => w),
        { absolute: values(abs(x), abs(b), abs) },
      );
    },
  );

  it('Add and Sum outside the bias shapes go to the stock kernels', async () => {
    await tf.setBackend('wasm');
    registerFastKernels('wasm');
    const x = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const row = tf.tensor2d([[10, 20, 30]]);
    expect(Array.from(tf.add(x, row).dataSync())).toEqual([11, 22, 33, 14, 25, 36]);
    expect(Array.from(tf.sum(x, 1).dataSync())).toEqual([6, 15]);
    expect(Array.from(tf.sum(x).dataSync())).toEqual([21]);
    expect(Array.from(tf.sum(x, 0, true).dataSync())).toEqual([5, 7, 9]);
    expect(tf.sum(x, 0, true).shape).toEqual([1, 3]);
    expect(
      Array.from(
        tf
          .add(
            tf.tensor1d([1, 2], 'int32'),
            tf.tensor2d(
              [
                [1, 1],
                [2, 2],
              ],
              [2, 2],
              'int32',
            ),
          )
          .dataSync(),
      ),
    ).toEqual([2, 3, 3, 4]);
    tf.dispose([x, row]);
  });

  it('NCHW filter and input gradients (kernels called directly; wasm has no NCHW forward conv)', async () => {
    const xShape = [2, 3, 9, 8];
    const dyShape = [2, 4, 5, 4];
    const filterShape = [3, 3, 3, 4];
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NCHW', dimRoundingMode: undefined };
    const kernels = (x: Float32Array, dy: Float32Array, filter: Float32Array) => (): Values =>
      tf.tidy(() => {
        const run = (name: string, inputs: tf.NamedTensorMap, extra: object): tf.Tensor =>
          tf
            .engine()
            .runKernel(name, inputs, { ...attrs, ...extra } as unknown as tf.NamedAttrMap) as tf.Tensor;
        const dyt = tf.tensor(dy, dyShape);
        return read([
          run('Conv2DBackpropFilter', { x: tf.tensor(x, xShape), dy: dyt }, { filterShape }),
          run(
            'Conv2DBackpropInput',
            { dy: dyt, filter: tf.tensor(filter, filterShape) },
            { inputShape: xShape },
          ),
        ]);
      });
    const [x, dy, filter] = [normal(xShape, 91), normal(dyShape, 92), normal(filterShape, 93)];
    await compareBackends('NCHW conv2d grads', kernels(x, dy, filter), {
      absolute: kernels(abs(x), abs(dy), abs(filter)),
    });
  });

  it('a full GarmentClassifier gradient on wasm (and fast cpu) equals stock cpu', async () => {
    const batch = 16;
    const xs = normal([batch, 28, 28, 1], 101);
    const labels = Array.from({ length: batch }, (_, i) => (i * 7) % 10);
    const net = getGarmentClassifier({ seed: 3 });
    try {
      const vars = net.trainableWeights.map((w) => w.read() as tf.Variable);
      const compute = (): Values =>
        tf.tidy(() => {
          const x = tf.tensor4d(xs, [batch, 28, 28, 1]);
          const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat();
          const { value, grads } = tf.variableGrads(
            () => tf.losses.softmaxCrossEntropy(y, net.apply(x) as tf.Tensor),
            vars,
          );
          return read([value, ...vars.map((v) => grads[v.name]!)]);
        });
      await compareBackends('GarmentClassifier loss and grads', compute, { checkKernelLeaks: false });
    } finally {
      net.dispose();
    }
  });
});

describe('wasm gather and segment sum, for correct code (tfjs-backend-wasm 4.22 is wrong or lacks them)', () => {
  const labels = [3, 0, 9, 9, 1, 4, 7];
  it('gather with batchDims 1 picks each row its own entry (a loss picking the label logit)', async () => {
    await compareBackends(
      'gather(logits, labels, 1, 1)',
      () =>
        tf.tidy(() =>
          read([tf.gather(tf.tensor2d(normal([7, 10], 5), [7, 10]), tf.tensor1d(labels, 'int32'), 1, 1)]),
        ),
      { exactOnCpu: true, exactOnWasm: true },
    );
  });
  it('gather with batchDims 1 and 2 over slices, axis 1 and 2, float32 and int32', async () => {
    await compareBackends(
      'gather over slices',
      () =>
        tf.tidy(() => {
          const x = tf.tensor4d(normal([3, 4, 5, 2], 6), [3, 4, 5, 2]);
          const ids = tf.tensor2d(
            [
              [1, 3],
              [0, 0],
              [2, 1],
            ],
            [3, 2],
            'int32',
          );
          const ids3 = tf.tensor3d(
            [
              [[4], [0], [1], [2]],
              [[3], [3], [0], [1]],
              [[2], [4], [4], [0]],
            ],
            [3, 4, 1],
            'int32',
          );
          const ints = tf.tensor3d(
            Array.from({ length: 24 }, (_, i) => i * 7 - 50),
            [2, 3, 4],
            'int32',
          );
          return read([
            tf.gather(x, ids, 1, 1),
            tf.gather(x, ids, 2, 1),
            tf.gather(x, ids3, 2, 2),
            tf.cast(
              tf.gather(
                ints,
                tf.tensor2d(
                  [
                    [3, 0, 2],
                    [1, 1, 0],
                  ],
                  [2, 3],
                  'int32',
                ),
                2,
                1,
              ),
              'float32',
            ),
          ]);
        }),
      { exactOnCpu: true, exactOnWasm: true },
    );
  });
  it('the gradient of a gather (UnsortedSegmentSum) with batchDims 0 and 1, and a segment sum of its own', async () => {
    await compareBackends(
      'gradients through gather',
      () =>
        tf.tidy(() => {
          const x = tf.tensor2d(normal([7, 10], 7), [7, 10]);
          const ids = tf.tensor1d(labels, 'int32');
          const weights = tf.tensor2d(normal([7, 10], 8), [7, 10]);
          return read([
            tf.grad((v: tf.Tensor) => tf.sum(tf.gather(v, ids, 1, 1)))(x),
            tf.grad((v: tf.Tensor) =>
              tf.sum(tf.mul(tf.gather(v, tf.tensor1d([6, 0, 0, 2], 'int32')), weights.slice(0, 4))),
            )(x),
            tf.unsortedSegmentSum(weights, tf.tensor1d([2, 0, 2, 4, -1, 0, 9], 'int32'), 5),
          ]);
        }),
      { exactOnCpu: true, exactOnWasm: true },
    );
  });
  it('an index outside the axis is refused as on cpu', async () => {
    await tf.setBackend('wasm');
    expect(() =>
      tf.tidy(() => tf.gather(tf.ones([2, 3]), tf.tensor1d([1, 3], 'int32'), 1, 1).dataSync()),
    ).toThrow('GatherV2: the index value 3 is not in [0, 2]');
  });
});

describe('fast kernels: registration and memory', () => {
  it('registering twice changes nothing and warns nothing; unregistering restores the stock kernels', () => {
    const stockMaxPoolGrad = (() => {
      unregisterFastKernels('wasm');
      return tf.getKernel(tf.MaxPoolGrad, 'wasm');
    })();
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeUndefined();
    const stockConv2D = tf.getKernel(tf.Conv2D, 'wasm');
    const first = registerFastKernels('wasm');
    expect(first).toEqual([
      tf.Conv2D,
      tf.Conv2DBackpropFilter,
      tf.Conv2DBackpropInput,
      tf.MaxPoolGrad,
      tf.BatchMatMul,
      tf._FusedMatMul,
      tf.Identity,
      tf.Cast,
      tf.Add,
      tf.Sum,
      tf.GatherV2,
      tf.UnsortedSegmentSum,
    ]);
    expect(tf.getKernel(tf.Conv2D, 'wasm')).not.toBe(stockConv2D);
    const configs = first.map((name) => tf.getKernel(name, 'wasm'));
    const warn = vi.spyOn(console, 'warn');
    try {
      expect(registerFastKernels('wasm')).toEqual(first);
      expect(first.map((name) => tf.getKernel(name, 'wasm'))).toEqual(configs);
      expect(configs.every((config, i) => config === tf.getKernel(first[i]!, 'wasm'))).toBe(true);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
    expect(tf.getKernel(tf.MaxPoolGrad, 'wasm')).not.toBe(stockMaxPoolGrad);
    expect(unregisterFastKernels('wasm')).toEqual(first);
    expect(tf.getKernel(tf.MaxPoolGrad, 'wasm')).toBe(stockMaxPoolGrad);
    expect(tf.getKernel(tf.Conv2D, 'wasm')).toBe(stockConv2D);
    expect(unregisterFastKernels('wasm')).toEqual([]);
    expect(registerFastKernels('wasm')).toEqual(first);
    expect(registerFastKernels('cpu')).toEqual([tf.Conv2DBackpropFilter, tf.MaxPoolGrad]);
    expect(registerFastKernels('cpu')).toEqual([tf.Conv2DBackpropFilter, tf.MaxPoolGrad]);
  });

  it('on wasm, Identity and a same-dtype Cast share data; other casts convert', async () => {
    await tf.setBackend('wasm');
    registerFastKernels('wasm');
    tf.env().set('IS_TEST', true);
    try {
      const x = tf.tensor2d([
        [1.5, -2],
        [0, 3.25],
      ]);
      const before = tf.memory().numDataBuffers;
      const copy = tf.clone(x);
      const same = x.toFloat();
      expect(tf.memory().numDataBuffers).toBe(before);
      x.dispose();
      expect(Array.from(copy.dataSync())).toEqual([1.5, -2, 0, 3.25]);
      expect(Array.from(same.dataSync())).toEqual([1.5, -2, 0, 3.25]);
      expect(same.dtype).toBe('float32');
      tf.dispose([copy, same]);
      const ints = tf.tensor1d([3, -1, 7], 'int32');
      const floats = ints.toFloat();
      const bools = tf.tensor1d([1, 0, 1], 'bool');
      const flags = bools.toFloat();
      const reals = tf.tensor1d([2.75, -1.5]);
      const truncated = reals.toInt();
      expect([floats.dtype, Array.from(floats.dataSync())]).toEqual(['float32', [3, -1, 7]]);
      expect(Array.from(flags.dataSync())).toEqual([1, 0, 1]);
      expect([truncated.dtype, Array.from(truncated.dataSync())]).toEqual(['int32', [2, -1]]);
      tf.dispose([ints, floats, bools, flags, reals, truncated]);
      expect(tf.memory().numDataBuffers).toBe(before - 1);
    } finally {
      tf.env().set('IS_TEST', false);
    }
  });

  it.each(['wasm', 'cpu'] as const)(
    'training GarmentClassifier on %s leaks no tensor from step to step',
    async (backend) => {
      await tf.setBackend(backend);
      registerFastKernels(backend);
      const net = getGarmentClassifier({ seed: 2 });
      const optimizer = tf.train.sgd(0.01);
      const x = tf.tensor4d(normal([8, 28, 28, 1], 111), [8, 28, 28, 1]);
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10).toFloat());
      try {
        const varList = net.trainableWeights.map((w) => w.read() as tf.Variable);
        const step = (): number => {
          const loss = optimizer.minimize(
            () => tf.losses.softmaxCrossEntropy(y, net.apply(x) as tf.Tensor),
            true,
            varList,
          );
          const value = loss!.dataSync()[0]!;
          loss!.dispose();
          return value;
        };
        const first = step();
        const after = { tensors: tf.memory().numTensors, buffers: tf.memory().numDataBuffers };
        let last = first;
        for (let i = 0; i < 3; i++) last = step();
        expect({ tensors: tf.memory().numTensors, buffers: tf.memory().numDataBuffers }).toEqual(after);
        expect(Number.isFinite(last) && last < first).toBe(true); // it trained
      } finally {
        tf.dispose([x, y]);
        optimizer.dispose();
        net.dispose();
      }
    },
  );
});
