/**
 * The conv and pool gradients of a training step on the WebAssembly SIMD kernels (simd.ts), for
 * stride-1 NHWC convolutions with at most 16 output channels and 2×2/2 max pools: the shapes of the
 * course's nets. Each function fills a float32 output the caller made; the caller checks the case
 * with the `handles…` guard first and sends anything else to the kernel it replaced.
 */
import type * as tf from '@tensorflow/tfjs';
import { layout, type Region } from './simd.js';

type Info = tf.backend_util.Conv2DInfo;

/** Stride 1, no dilation, NHWC, at most 16 output channels. */
export function handlesConv(info: Info): boolean {
  return (
    info.dataFormat === 'channelsLast' &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.outChannels <= 16 &&
    info.outChannels >= 1
  );
}

/**
 * dW[a, b, ci, co] = Σ x[n, i + a − top, j + b − left, ci] · dy[n, i, j, co]: x copied in with the
 * zero padding the windows reach, float32 partial sums over at most ~64 pixels, float64 above.
 */
export function filterGrad(xv: Float32Array, dyv: Float32Array, info: Info, out: Float32Array): void {
  const {
    batchSize: n,
    inHeight: h,
    inWidth: w,
    inChannels: ci,
    outHeight: ho,
    outWidth: wo,
    outChannels: co,
  } = info;
  const { filterHeight: fh, filterWidth: fw } = info;
  const hp = ho + fh - 1;
  const wp = wo + fw - 1;
  const k = fh * fw * ci;
  const wide = co > 8;
  const rowsPerBlock = wide ? 2 : 4;
  const cop = wide ? 16 : 8;
  const blocks = Math.ceil(k / rowsPerBlock);
  const { wasm, regions } = layout([
    n * hp * wp * ci * 4,
    n * ho * wo * co * 4,
    (k + 1) * cop * 8,
    blocks * rowsPerBlock * 8,
  ]);
  const [x, dy, dw, table] = regions as [
    (typeof regions)[0],
    (typeof regions)[0],
    (typeof regions)[0],
    (typeof regions)[0],
  ];
  copyPadded(xv, x.f32, n, h, w, ci, hp, wp, info.padInfo.top, info.padInfo.left);
  dy.f32.set(dyv);
  dw.f64.fill(0, 0, (k + 1) * cop);
  for (let b = 0; b < blocks; b++) {
    for (let r = 0; r < rowsPerBlock; r++) {
      const row = b * rowsPerBlock + r;
      const real = row < k;
      const ka = Math.floor(row / (fw * ci));
      const kb = Math.floor(row / ci) % fw;
      table.i32[b * 2 * rowsPerBlock + r] = real ? ((ka * wp + kb) * ci + (row % ci)) * 4 : 0;
      table.i32[b * 2 * rowsPerBlock + rowsPerBlock + r] = (real ? row : k) * cop * 8;
    }
  }
  const rowsPerFlush = Math.max(1, Math.floor(64 / wo));
  const run = wide ? wasm.filterGradCo16 : wasm.filterGradCo8;
  run(
    x.byteOffset,
    dy.byteOffset,
    dw.byteOffset,
    table.byteOffset,
    blocks,
    n,
    ho,
    wo,
    wp,
    hp,
    ci,
    co,
    rowsPerFlush,
  );
  for (let row = 0; row < k; row++) {
    for (let c = 0; c < co; c++) out[row * co + c] = dw.f64[row * cop + c]!;
  }
}

/**
 * The forward conv y[n, i, j, co] = Σ x[n, i + a − top, j + b − left, 0] · W[a, b, 0, co] with one
 * input channel and stride 1: x copied in with its zero padding, then the SIMD kernel
 * (`convForwardC1` in assembly/training-kernels.ts), float32 sums in (a, b) order.
 */
export function convForwardC1(xv: Float32Array, filter: Float32Array, info: Info, out: Float32Array): void {
  const { batchSize: n, inHeight: h, inWidth: w, outHeight: ho, outWidth: wo, outChannels: co } = info;
  const { filterHeight: fh, filterWidth: fw } = info;
  const hp = ho + fh - 1;
  const wp = wo + fw - 1;
  const groups = Math.ceil(co / 3);
  const jBlocks = Math.ceil(wo / 12);
  const taps = fh * fw;
  const total = n * ho * wo * co;
  const { wasm, regions } = layout([
    (n * hp * wp + jBlocks * 12 + fw) * 4,
    groups * taps * 3 * 4,
    groups * 3 * jBlocks * 12 * 4,
    total * 4,
  ]);
  const [x, wt, rowBuf, y] = regions as [Region, Region, Region, Region];
  copyPadded(xv, x.f32, n, h, w, 1, hp, wp, info.padInfo.top, info.padInfo.left);
  wt.f32.fill(0, 0, groups * taps * 3);
  for (let tap = 0; tap < taps; tap++) {
    for (let c = 0; c < co; c++)
      wt.f32[(Math.floor(c / 3) * taps + tap) * 3 + (c % 3)] = filter[tap * co + c]!;
  }
  wasm.convForwardC1(
    x.byteOffset,
    wt.byteOffset,
    rowBuf.byteOffset,
    y.byteOffset,
    n,
    hp,
    wp,
    ho,
    wo,
    fh,
    fw,
    co,
    groups,
    jBlocks,
  );
  out.set(y.f32.subarray(0, total));
}

/**
 * The forward conv with 16 output channels or a few fewer (`convForwardCo16` in
 * assembly/training-kernels.ts): x copied in with its zero padding, weights padded to 16
 * channels, float32 sums in (a, b, ci) order; the padding channels are dropped.
 */
export function convForwardCo16(xv: Float32Array, filter: Float32Array, info: Info, out: Float32Array): void {
  const {
    batchSize: n,
    inHeight: h,
    inWidth: w,
    inChannels: ci,
    outHeight: ho,
    outWidth: wo,
    outChannels: co,
  } = info;
  const { filterHeight: fh, filterWidth: fw } = info;
  const hp = ho + fh - 1;
  const wp = wo + fw - 1;
  const rows = fh * fw * ci;
  const pixels = n * ho * wo;
  const { wasm, regions } = layout([n * hp * wp * ci * 4, rows * 16 * 4, pixels * 16 * 4]);
  const [x, wt, y] = regions as [Region, Region, Region];
  copyPadded(xv, x.f32, n, h, w, ci, hp, wp, info.padInfo.top, info.padInfo.left);
  if (co === 16) wt.f32.set(filter);
  else {
    wt.f32.fill(0, 0, rows * 16);
    for (let r = 0; r < rows; r++) wt.f32.set(filter.subarray(r * co, (r + 1) * co), r * 16);
  }
  wasm.convForwardCo16(x.byteOffset, wt.byteOffset, y.byteOffset, n, hp, wp, ci, ho, wo, fh, fw * ci);
  if (co === 16) {
    out.set(y.f32.subarray(0, pixels * 16));
    return;
  }
  for (let p = 0; p < pixels; p++) out.set(y.f32.subarray(p * 16, p * 16 + co), p * co);
}

/** x [n, h, w, c] into a zeroed [n, hp, wp, c] at (top, left); rows and columns beyond hp, wp are cut. */
function copyPadded(
  src: Float32Array,
  dst: Float32Array,
  n: number,
  h: number,
  w: number,
  c: number,
  hp: number,
  wp: number,
  top: number,
  left: number,
): void {
  if (top === 0 && left === 0 && hp === h && wp === w) {
    dst.set(src);
    return;
  }
  dst.fill(0, 0, n * hp * wp * c);
  const cols = Math.min(w, wp - left);
  for (let img = 0; img < n; img++) {
    for (let r = 0; r < h && r + top < hp; r++) {
      const from = (img * h + r) * w * c;
      dst.set(src.subarray(from, from + cols * c), ((img * hp + r + top) * wp + left) * c);
    }
  }
}

/**
 * dx[n, r, s, ci] = Σ dy[n, i, j, co] · W[a, b, ci, co] over i + a − top = r, j + b − left = s: each
 * dy pixel scatters W·dy over the padded extent, which is then cropped to x.
 */
export function inputGrad(dyv: Float32Array, filter: Float32Array, info: Info, out: Float32Array): void {
  const {
    batchSize: n,
    inHeight: h,
    inWidth: w,
    inChannels: ci,
    outHeight: ho,
    outWidth: wo,
    outChannels: co,
  } = info;
  const { filterHeight: fh, filterWidth: fw } = info;
  const l = fw * ci;
  const l16 = Math.ceil(l / 16) * 16;
  const hq = ho + fh - 1;
  const wq = wo + fw - 1;
  const dxRow = wq * ci;
  const { wasm, regions } = layout([n * ho * wo * co * 4, fh * co * l16 * 4, n * hq * dxRow * 4]);
  const [dy, wt, dxp] = regions as [(typeof regions)[0], (typeof regions)[0], (typeof regions)[0]];
  dy.f32.set(dyv);
  wt.f32.fill(0, 0, fh * co * l16);
  for (let a = 0; a < fh; a++) {
    for (let b = 0; b < fw; b++) {
      for (let c = 0; c < ci; c++) {
        for (let o = 0; o < co; o++)
          wt.f32[(a * co + o) * l16 + b * ci + c] = filter[((a * fw + b) * ci + c) * co + o]!;
      }
    }
  }
  dxp.f32.fill(0, 0, n * hq * dxRow + l16);
  wasm.inputGrad(dy.byteOffset, wt.byteOffset, dxp.byteOffset, n, ho, wo, co, fh, ci, l16, dxRow);
  const { top, left } = info.padInfo;
  if (top === 0 && left === 0 && hq === h && wq === w) {
    out.set(dxp.f32.subarray(0, n * h * w * ci));
    return;
  }
  const cols = Math.min(w, wq - left);
  for (let img = 0; img < n; img++) {
    for (let r = 0; r < h && r + top < hq; r++) {
      const from = ((img * hq + r + top) * wq + left) * ci;
      out.set(dxp.f32.subarray(from, from + cols * ci), (img * h + r) * w * ci);
    }
  }
}

/**
 * 2×2 windows with stride 2 inside the input (the caller checks). With 4 channels or more, 4
 * channels a vector, every window position written (dx is zeroed only where no window reaches);
 * with fewer, one value at a time into a zeroed dx.
 */
export function maxPoolGrad2x2(xv: Float32Array, dyv: Float32Array, info: Info, out: Float32Array): void {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: ho, outWidth: wo } = info;
  const { wasm, regions } = layout([xv.length * 4, dyv.length * 4, xv.length * 4]);
  const [x, dy, dx] = regions as [(typeof regions)[0], (typeof regions)[0], (typeof regions)[0]];
  x.f32.set(xv);
  dy.f32.set(dyv);
  const wide = c >= 4;
  if (!wide || 2 * ho < h || 2 * wo < w) dx.f32.fill(0, 0, xv.length);
  const run = wide ? wasm.maxPoolGrad2x2Wide : wasm.maxPoolGrad2x2;
  run(x.byteOffset, dy.byteOffset, dx.byteOffset, n, h, w, c, ho, wo);
  out.set(dx.f32.subarray(0, xv.length));
}

/** out = x + bias, bias along the last axis. */
export function addBias(xv: Float32Array, bias: Float32Array, out: Float32Array): void {
  const c = bias.length;
  const { wasm, regions } = layout([xv.length * 4, 4 * c * 4, xv.length * 4]);
  const [x, tile, y] = regions as [(typeof regions)[0], (typeof regions)[0], (typeof regions)[0]];
  x.f32.set(xv);
  for (let t = 0; t < 4; t++) tile.f32.set(bias, t * c);
  wasm.addBias(x.byteOffset, tile.byteOffset, y.byteOffset, xv.length, c);
  out.set(y.f32.subarray(0, xv.length));
}

/** out[k] = Σ xv[r·c + k] over the rows r. */
export function channelSum(xv: Float32Array, c: number, out: Float32Array): void {
  const { wasm, regions } = layout([xv.length * 4, 4 * c * 4, 4 * c * 8]);
  const [x, partial, acc] = regions as [(typeof regions)[0], (typeof regions)[0], (typeof regions)[0]];
  x.f32.set(xv);
  partial.f32.fill(0, 0, 4 * c);
  acc.f64.fill(0, 0, 4 * c);
  wasm.tileSum(x.byteOffset, partial.byteOffset, acc.byteOffset, xv.length, c);
  const sums = new Float64Array(c);
  for (let lane = 0; lane < 4 * c; lane++) sums[lane % c]! += acc.f64[lane]!;
  const whole = Math.floor(xv.length / (4 * c)) * 4 * c;
  for (let i = whole; i < xv.length; i++) sums[i % c]! += xv[i]!;
  out.set(sums);
}
