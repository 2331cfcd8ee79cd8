/**
 * A matrix product of one batch on the WebAssembly SIMD kernel (`matMul` in
 * assembly/training-kernels.ts): C [m, n] = op(A) · op(B), op a transpose or not. A transposed A
 * is read through strides, a transposed B is transposed inside the kernels' memory first; rows are
 * padded to 4 and columns to 12 (the kernel's register tile), and the padding is dropped.
 */
import { layout, type Region } from './simd.js';

export interface MatMulShape {
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
}

export function matMul(av: Float32Array, bv: Float32Array, shape: MatMulShape, out: Float32Array): void {
  const { m, k, n, transposeA, transposeB } = shape;
  const mp = Math.ceil(m / 4) * 4;
  const np = Math.ceil(n / 12) * 12;
  // Rows past m are computed from whatever lies there and dropped: room for them to be read.
  const aFloats = transposeA ? k * m + 4 : mp * k;
  const { wasm, regions } = layout([aFloats * 4, k * np * 4, mp * np * 4, transposeB ? n * k * 4 : 0]);
  const [a, b, c, raw] = regions as [Region, Region, Region, Region];
  a.f32.set(av);
  if (transposeB) {
    raw.f32.set(bv);
    wasm.transpose(raw.byteOffset, b.byteOffset, n, k, np);
  } else if (np === n) {
    b.f32.set(bv);
  } else {
    for (let r = 0; r < k; r++) b.f32.set(bv.subarray(r * n, (r + 1) * n), r * np);
  }
  const [rowStride, colStride] = transposeA ? [4, m * 4] : [k * 4, 4];
  wasm.matMul(a.byteOffset, b.byteOffset, c.byteOffset, mp, np, k, rowStride, colStride);
  if (np === n) {
    out.set(c.f32.subarray(0, m * n));
    return;
  }
  for (let r = 0; r < m; r++) out.set(c.f32.subarray(r * np, r * np + n), r * n);
}
