// @ts-nocheck — AssemblyScript, not TypeScript: compiled to WebAssembly (SIMD) by
// `npm run build:kernels` (tools/build-kernels.ts) into ../training-kernels-wasm.ts. Never imported.
//
// Raw-pointer kernels over one linear memory that the caller (course/kernels/simd.ts) lays out.
// Pointers are byte addresses, counts are in floats. Vectors may read up to 3 floats past a
// row's end and past a buffer's end: the caller leaves that slack and ignores the extra lanes.

/**
 * Filter gradient of a stride-1 conv over an already padded input x [N, Hp, Wp, Ci] and
 * dy [N, Ho, Wo, Co] (Co ≤ 8, read as two vectors per pixel):
 *   dw[k, co] = Σ_{n,i,j} x[n, i, j, ·][offset_k] · dy[n, i, j, co],  offset_k = (a·Wp + b)·Ci + ci.
 * `table` holds, per block of 4 rows k, their 4 x offsets then their 4 output offsets (bytes,
 * into dw64, rows of 8 float64). Partial sums stay in float32 registers for `rowsPerFlush`
 * rows of dy, then are added to the float64 rows.
 */
export function filterGradCo8(
  x: usize, dy: usize, dw64: usize, table: usize, blocks: i32,
  n: i32, ho: i32, wo: i32, wp: i32, hp: i32, ci: i32, co: i32, rowsPerFlush: i32,
): void {
  const xStep = <usize>(ci * 4);
  const dyStep = <usize>(co * 4);
  const xRowSkip = <usize>((wp - wo) * ci * 4);
  const xImgSkip = <usize>((hp - ho) * wp * ci * 4);
  for (let blk = 0; blk < blocks; blk++) {
    const t = table + <usize>(blk * 32);
    const o0 = <usize>load<i32>(t);
    const o1 = <usize>load<i32>(t, 4);
    const o2 = <usize>load<i32>(t, 8);
    const o3 = <usize>load<i32>(t, 12);
    let a00 = f32x4.splat(0); let a01 = f32x4.splat(0);
    let a10 = f32x4.splat(0); let a11 = f32x4.splat(0);
    let a20 = f32x4.splat(0); let a21 = f32x4.splat(0);
    let a30 = f32x4.splat(0); let a31 = f32x4.splat(0);
    let xp = x;
    let dp = dy;
    let rows = 0;
    for (let img = 0; img < n; img++) {
      for (let i = 0; i < ho; i++) {
        for (let j = 0; j < wo; j++) {
          const d0 = v128.load(dp);
          const d1 = v128.load(dp, 16);
          let s = v128.load32_splat(xp + o0);
          a00 = f32x4.add(a00, f32x4.mul(s, d0)); a01 = f32x4.add(a01, f32x4.mul(s, d1));
          s = v128.load32_splat(xp + o1);
          a10 = f32x4.add(a10, f32x4.mul(s, d0)); a11 = f32x4.add(a11, f32x4.mul(s, d1));
          s = v128.load32_splat(xp + o2);
          a20 = f32x4.add(a20, f32x4.mul(s, d0)); a21 = f32x4.add(a21, f32x4.mul(s, d1));
          s = v128.load32_splat(xp + o3);
          a30 = f32x4.add(a30, f32x4.mul(s, d0)); a31 = f32x4.add(a31, f32x4.mul(s, d1));
          xp += xStep;
          dp += dyStep;
        }
        xp += xRowSkip;
        rows++;
        if (rows == rowsPerFlush || (img == n - 1 && i == ho - 1)) {
          rows = 0;
          flush8(dw64 + <usize>load<i32>(t, 16), a00, a01);
          flush8(dw64 + <usize>load<i32>(t, 20), a10, a11);
          flush8(dw64 + <usize>load<i32>(t, 24), a20, a21);
          flush8(dw64 + <usize>load<i32>(t, 28), a30, a31);
          a00 = f32x4.splat(0); a01 = f32x4.splat(0);
          a10 = f32x4.splat(0); a11 = f32x4.splat(0);
          a20 = f32x4.splat(0); a21 = f32x4.splat(0);
          a30 = f32x4.splat(0); a31 = f32x4.splat(0);
        }
      }
      xp += xImgSkip;
    }
  }
}

/** The same for 8 < Co ≤ 16 (four vectors per pixel), blocks of 2 rows k. */
export function filterGradCo16(
  x: usize, dy: usize, dw64: usize, table: usize, blocks: i32,
  n: i32, ho: i32, wo: i32, wp: i32, hp: i32, ci: i32, co: i32, rowsPerFlush: i32,
): void {
  const xStep = <usize>(ci * 4);
  const dyStep = <usize>(co * 4);
  const xRowSkip = <usize>((wp - wo) * ci * 4);
  const xImgSkip = <usize>((hp - ho) * wp * ci * 4);
  for (let blk = 0; blk < blocks; blk++) {
    const t = table + <usize>(blk * 16);
    const o0 = <usize>load<i32>(t);
    const o1 = <usize>load<i32>(t, 4);
    let a00 = f32x4.splat(0); let a01 = f32x4.splat(0); let a02 = f32x4.splat(0); let a03 = f32x4.splat(0);
    let a10 = f32x4.splat(0); let a11 = f32x4.splat(0); let a12 = f32x4.splat(0); let a13 = f32x4.splat(0);
    let xp = x;
    let dp = dy;
    let rows = 0;
    for (let img = 0; img < n; img++) {
      for (let i = 0; i < ho; i++) {
        for (let j = 0; j < wo; j++) {
          const d0 = v128.load(dp);
          const d1 = v128.load(dp, 16);
          const d2 = v128.load(dp, 32);
          const d3 = v128.load(dp, 48);
          let s = v128.load32_splat(xp + o0);
          a00 = f32x4.add(a00, f32x4.mul(s, d0)); a01 = f32x4.add(a01, f32x4.mul(s, d1));
          a02 = f32x4.add(a02, f32x4.mul(s, d2)); a03 = f32x4.add(a03, f32x4.mul(s, d3));
          s = v128.load32_splat(xp + o1);
          a10 = f32x4.add(a10, f32x4.mul(s, d0)); a11 = f32x4.add(a11, f32x4.mul(s, d1));
          a12 = f32x4.add(a12, f32x4.mul(s, d2)); a13 = f32x4.add(a13, f32x4.mul(s, d3));
          xp += xStep;
          dp += dyStep;
        }
        xp += xRowSkip;
        rows++;
        if (rows == rowsPerFlush || (img == n - 1 && i == ho - 1)) {
          rows = 0;
          const w0 = dw64 + <usize>load<i32>(t, 8);
          const w1 = dw64 + <usize>load<i32>(t, 12);
          flush8(w0, a00, a01); flush8(w0 + 64, a02, a03);
          flush8(w1, a10, a11); flush8(w1 + 64, a12, a13);
          a00 = f32x4.splat(0); a01 = f32x4.splat(0); a02 = f32x4.splat(0); a03 = f32x4.splat(0);
          a10 = f32x4.splat(0); a11 = f32x4.splat(0); a12 = f32x4.splat(0); a13 = f32x4.splat(0);
        }
      }
      xp += xImgSkip;
    }
  }
}

/** Adds 8 float32 lanes to 8 float64 values at `p`. */
function flush8(p: usize, lo: v128, hi: v128): void {
  v128.store(p, f64x2.add(v128.load(p), f64x2.promote_low_f32x4(lo)));
  v128.store(p, f64x2.add(v128.load(p, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(lo, lo, 2, 3, 0, 1))), 16);
  v128.store(p, f64x2.add(v128.load(p, 32), f64x2.promote_low_f32x4(hi)), 32);
  v128.store(p, f64x2.add(v128.load(p, 48), f64x2.promote_low_f32x4(v128.shuffle<f32>(hi, hi, 2, 3, 0, 1))), 48);
}

/**
 * Input gradient of a stride-1 conv as a scatter: for each dy pixel (n, i, j) and filter row a,
 *   dxp[n, i + a, j·Ci + t] += Σ_co dy[n, i, j, co] · wt[a, co, t],  t < L = fw·Ci,
 * where wt[a, co, b·Ci + ci] = w[a, b, ci, co], rows of `l16` floats (L rounded up to 16, zero
 * beyond L), and dxp is [N, Ho + fh − 1, (Wo + fw − 1)·Ci] (`dxRow` floats a row), zeroed.
 * The zero lanes beyond L add 0 to the next values.
 */
export function inputGrad(
  dy: usize, wt: usize, dxp: usize, n: i32, ho: i32, wo: i32, co: i32, fh: i32, ci: i32, l16: i32, dxRow: i32,
): void {
  const groups = l16 >> 4;
  const wtRow = <usize>(l16 * 4);
  const hq = ho + fh - 1;
  const pixel = <usize>(co * 4);
  const next = <usize>(ci * 4);
  let dp = dy;
  for (let img = 0; img < n; img++) {
    for (let i = 0; i < ho; i++) {
      let j = 0;
      // Two dy pixels at a time share the weight loads; they scatter Ci floats apart.
      for (; j + 1 < wo; j += 2) {
        for (let a = 0; a < fh; a++) {
          const out = dxp + <usize>((img * hq + i + a) * dxRow + j * ci) * 4;
          const wa = wt + <usize>(a * co) * wtRow;
          for (let g = 0; g < groups; g++) {
            let p0 = f32x4.splat(0); let p1 = f32x4.splat(0); let p2 = f32x4.splat(0); let p3 = f32x4.splat(0);
            let q0 = f32x4.splat(0); let q1 = f32x4.splat(0); let q2 = f32x4.splat(0); let q3 = f32x4.splat(0);
            let wp = wa + <usize>(g * 64);
            for (let c = 0; c < co; c++) {
              const s = v128.load32_splat(dp + <usize>(c * 4));
              const r = v128.load32_splat(dp + pixel + <usize>(c * 4));
              const w0 = v128.load(wp);
              const w1 = v128.load(wp, 16);
              const w2 = v128.load(wp, 32);
              const w3 = v128.load(wp, 48);
              p0 = f32x4.add(p0, f32x4.mul(s, w0)); q0 = f32x4.add(q0, f32x4.mul(r, w0));
              p1 = f32x4.add(p1, f32x4.mul(s, w1)); q1 = f32x4.add(q1, f32x4.mul(r, w1));
              p2 = f32x4.add(p2, f32x4.mul(s, w2)); q2 = f32x4.add(q2, f32x4.mul(r, w2));
              p3 = f32x4.add(p3, f32x4.mul(s, w3)); q3 = f32x4.add(q3, f32x4.mul(r, w3));
              wp += wtRow;
            }
            // The first pixel's sums land before the second's are read: they may overlap.
            const o = out + <usize>(g * 64);
            v128.store(o, f32x4.add(v128.load(o), p0));
            v128.store(o, f32x4.add(v128.load(o, 16), p1), 16);
            v128.store(o, f32x4.add(v128.load(o, 32), p2), 32);
            v128.store(o, f32x4.add(v128.load(o, 48), p3), 48);
            const u = o + next;
            v128.store(u, f32x4.add(v128.load(u), q0));
            v128.store(u, f32x4.add(v128.load(u, 16), q1), 16);
            v128.store(u, f32x4.add(v128.load(u, 32), q2), 32);
            v128.store(u, f32x4.add(v128.load(u, 48), q3), 48);
          }
        }
        dp += 2 * pixel;
      }
      for (; j < wo; j++) {
        for (let a = 0; a < fh; a++) {
          const out = dxp + <usize>((img * hq + i + a) * dxRow + j * ci) * 4;
          const wa = wt + <usize>(a * co) * wtRow;
          for (let g = 0; g < groups; g++) {
            const wg = wa + <usize>(g * 64);
            let acc0 = f32x4.splat(0); let acc1 = f32x4.splat(0);
            let acc2 = f32x4.splat(0); let acc3 = f32x4.splat(0);
            let wp = wg;
            for (let c = 0; c < co; c++) {
              const s = v128.load32_splat(dp + <usize>(c * 4));
              acc0 = f32x4.add(acc0, f32x4.mul(s, v128.load(wp)));
              acc1 = f32x4.add(acc1, f32x4.mul(s, v128.load(wp, 16)));
              acc2 = f32x4.add(acc2, f32x4.mul(s, v128.load(wp, 32)));
              acc3 = f32x4.add(acc3, f32x4.mul(s, v128.load(wp, 48)));
              wp += wtRow;
            }
            const o = out + <usize>(g * 64);
            v128.store(o, f32x4.add(v128.load(o), acc0));
            v128.store(o, f32x4.add(v128.load(o, 16), acc1), 16);
            v128.store(o, f32x4.add(v128.load(o, 32), acc2), 32);
            v128.store(o, f32x4.add(v128.load(o, 48), acc3), 48);
          }
        }
        dp += pixel;
      }
    }
  }
}

/**
 * Max-pool gradient for 2×2 windows with stride 2 and no padding, x [N, H, W, C], dy and the
 * result per window [N, Ho, Wo, C]; dx (zeroed) gets each window's dy at its first maximum
 * (row-major scan; a NaN never wins; a window of only NaN or −∞ sends nothing). Windows without
 * a NaN or an infinity take a branch-free tournament (a ≥ b keeps the earlier position).
 */
export function maxPoolGrad2x2(
  x: usize, dy: usize, dx: usize, n: i32, h: i32, w: i32, c: i32, ho: i32, wo: i32,
): void {
  const cb = <usize>(c * 4);
  const rowBytes = <usize>(w * c * 4);
  let dp = dy;
  for (let img = 0; img < n; img++) {
    for (let r = 0; r < ho; r++) {
      const row = <usize>((img * h + 2 * r) * w * c) * 4;
      for (let q = 0; q < wo; q++) {
        const base = row + <usize>(2 * q) * cb;
        for (let d = 0; d < c; d++) {
          const k0 = base + <usize>(d * 4);
          const k2 = k0 + rowBytes;
          const v0 = load<f32>(x + k0);
          const v1 = load<f32>(x + k0 + cb);
          const v2 = load<f32>(x + k2);
          const v3 = load<f32>(x + k2 + cb);
          const sum = v0 + v1 + v2 + v3;
          const g = load<f32>(dp);
          dp += 4;
          if (sum - sum != 0) {
            let max = -Infinity;
            let at: isize = -1;
            if (v0 > max) { max = v0; at = <isize>k0; }
            if (v1 > max) { max = v1; at = <isize>(k0 + cb); }
            if (v2 > max) { max = v2; at = <isize>k2; }
            if (v3 > max) { max = v3; at = <isize>(k2 + cb); }
            if (at >= 0) store<f32>(dx + <usize>at, g);
            continue;
          }
          // Index arithmetic on the comparisons' 0/1 values: no branch to mispredict on random data.
          const topAt = k0 + <usize>(<i32>(v1 > v0)) * cb;
          const botAt = k2 + <usize>(<i32>(v3 > v2)) * cb;
          const later = <usize>(<i32>(load<f32>(x + botAt) > load<f32>(x + topAt)));
          store<f32>(dx + topAt + later * (botAt - topAt), g);
        }
      }
    }
  }
}

/**
 * out = x + bias over rows of c channels, `total` floats in all. `tile` holds the bias repeated 4
 * times (4·c floats, a whole number of vectors), so each chunk of 4·c floats is c vector adds.
 */
export function addBias(x: usize, tile: usize, out: usize, total: i32, c: i32): void {
  const chunk = c * 4;
  const chunks = total / chunk;
  let p: usize = 0;
  for (let k = 0; k < chunks; k++) {
    for (let t = 0; t < c; t++) {
      const o = p + <usize>(t * 16);
      v128.store(out + o, f32x4.add(v128.load(x + o), v128.load(tile + <usize>(t * 16))));
    }
    p += <usize>(chunk * 4);
  }
  for (let i = chunks * chunk; i < total; i++) {
    const o = <usize>(i * 4);
    store<f32>(out + o, load<f32>(x + o) + load<f32>(tile + <usize>((i % chunk) * 4)));
  }
}

/**
 * Sums x (`total` floats, rows of c channels) per lane of a tile of 4·c floats: float32 partial
 * sums over 64 chunks in `partial` (4·c floats, zeroed), added to `acc` (4·c float64, zeroed). The
 * caller folds the tile's lanes to channels and adds the tail beyond the last whole chunk.
 */
export function tileSum(x: usize, partial: usize, acc: usize, total: i32, c: i32): void {
  const chunk = c * 4;
  const chunks = total / chunk;
  let p = x;
  let inGroup = 0;
  for (let k = 0; k < chunks; k++) {
    for (let t = 0; t < c; t++) {
      const o = <usize>(t * 16);
      v128.store(partial + o, f32x4.add(v128.load(partial + o), v128.load(p + o)));
    }
    p += <usize>(chunk * 4);
    inGroup++;
    if (inGroup == 64 || k == chunks - 1) {
      inGroup = 0;
      for (let t = 0; t < c; t++) {
        const v = v128.load(partial + <usize>(t * 16));
        const a = acc + <usize>(t * 32);
        v128.store(a, f64x2.add(v128.load(a), f64x2.promote_low_f32x4(v)));
        v128.store(a, f64x2.add(v128.load(a, 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))), 16);
        v128.store(partial + <usize>(t * 16), f32x4.splat(0));
      }
    }
  }
}

/**
 * Forward stride-1 conv with one input channel over an already padded input x [N, Hp, Wp] and
 * out [N, Ho, Wo, Co]. Vectors run along an output row: per row, channels in groups of 3 and
 * pixels in blocks of 12 (3 vectors), 9 accumulators in registers over the fh·fw filter taps:
 *   acc[c][v] += x[i + a, j0 + 4v + b .. + 3] · w[a, b, c]   (one load of x for 3 channels).
 * The planar results go to `rowBuf` [groups·3, jRow] and are interleaved into the NHWC row.
 * `w` holds per group g and tap (a, b) its 3 weights (zero past Co). Pixel blocks past Wo read
 * past the row (the caller leaves slack) and are dropped.
 */
export function convForwardC1(
  x: usize, w: usize, rowBuf: usize, out: usize,
  n: i32, hp: i32, wp: i32, ho: i32, wo: i32, fh: i32, fw: i32, co: i32, groups: i32, jBlocks: i32,
): void {
  const xRow = <usize>(wp * 4);
  const jRow = jBlocks * 12;
  const planeRow = <usize>(jRow * 4);
  const taps = fh * fw;
  let o = out;
  for (let img = 0; img < n; img++) {
    for (let i = 0; i < ho; i++) {
      const xi = x + <usize>((img * hp + i) * wp * 4);
      for (let g = 0; g < groups; g++) {
        const wg = w + <usize>(g * taps * 12);
        const plane = rowBuf + <usize>(g * 3) * planeRow;
        for (let jb = 0; jb < jBlocks; jb++) {
          let c00 = f32x4.splat(0); let c01 = f32x4.splat(0); let c02 = f32x4.splat(0);
          let c10 = f32x4.splat(0); let c11 = f32x4.splat(0); let c12 = f32x4.splat(0);
          let c20 = f32x4.splat(0); let c21 = f32x4.splat(0); let c22 = f32x4.splat(0);
          let wp0 = wg;
          let xa = xi + <usize>(jb * 48);
          for (let a = 0; a < fh; a++) {
            let xp = xa;
            for (let b = 0; b < fw; b++) {
              const x0 = v128.load(xp);
              const x1 = v128.load(xp, 16);
              const x2 = v128.load(xp, 32);
              let s = v128.load32_splat(wp0);
              c00 = f32x4.add(c00, f32x4.mul(x0, s)); c01 = f32x4.add(c01, f32x4.mul(x1, s));
              c02 = f32x4.add(c02, f32x4.mul(x2, s));
              s = v128.load32_splat(wp0, 4);
              c10 = f32x4.add(c10, f32x4.mul(x0, s)); c11 = f32x4.add(c11, f32x4.mul(x1, s));
              c12 = f32x4.add(c12, f32x4.mul(x2, s));
              s = v128.load32_splat(wp0, 8);
              c20 = f32x4.add(c20, f32x4.mul(x0, s)); c21 = f32x4.add(c21, f32x4.mul(x1, s));
              c22 = f32x4.add(c22, f32x4.mul(x2, s));
              xp += 4;
              wp0 += 12;
            }
            xa += xRow;
          }
          const q = plane + <usize>(jb * 48);
          v128.store(q, c00); v128.store(q, c01, 16); v128.store(q, c02, 32);
          v128.store(q + planeRow, c10); v128.store(q + planeRow, c11, 16); v128.store(q + planeRow, c12, 32);
          v128.store(q + 2 * planeRow, c20); v128.store(q + 2 * planeRow, c21, 16);
          v128.store(q + 2 * planeRow, c22, 32);
        }
      }
      for (let j = 0; j < wo; j++) {
        let src = rowBuf + <usize>(j * 4);
        for (let c = 0; c < co; c++) {
          store<f32>(o, load<f32>(src));
          o += 4;
          src += planeRow;
        }
      }
    }
  }
}

/**
 * C [Mp, Np] = A [Mp, K] · B [K, Np], Mp a multiple of 4, Np of 12, B and C row-major with rows of
 * Np floats; A read through byte strides (sam between rows, sak between columns), so a transposed
 * A needs no copy. Tiles of 4 rows × 12 columns stay in registers over the whole sum.
 */
export function matMul(a: usize, b: usize, c: usize, mp: i32, np: i32, k: i32, sam: i32, sak: i32): void {
  const rowB = <usize>(np * 4);
  const am = <usize>sam;
  const ak = <usize>sak;
  for (let m0 = 0; m0 < mp; m0 += 4) {
    const pa0 = a + <usize>m0 * am;
    for (let n0 = 0; n0 < np; n0 += 12) {
      let c00 = f32x4.splat(0); let c01 = f32x4.splat(0); let c02 = f32x4.splat(0);
      let c10 = f32x4.splat(0); let c11 = f32x4.splat(0); let c12 = f32x4.splat(0);
      let c20 = f32x4.splat(0); let c21 = f32x4.splat(0); let c22 = f32x4.splat(0);
      let c30 = f32x4.splat(0); let c31 = f32x4.splat(0); let c32 = f32x4.splat(0);
      let pa = pa0;
      let pb = b + <usize>(n0 * 4);
      for (let kk = 0; kk < k; kk++) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        const b2 = v128.load(pb, 32);
        let s = v128.load32_splat(pa);
        c00 = f32x4.add(c00, f32x4.mul(s, b0)); c01 = f32x4.add(c01, f32x4.mul(s, b1));
        c02 = f32x4.add(c02, f32x4.mul(s, b2));
        s = v128.load32_splat(pa + am);
        c10 = f32x4.add(c10, f32x4.mul(s, b0)); c11 = f32x4.add(c11, f32x4.mul(s, b1));
        c12 = f32x4.add(c12, f32x4.mul(s, b2));
        s = v128.load32_splat(pa + 2 * am);
        c20 = f32x4.add(c20, f32x4.mul(s, b0)); c21 = f32x4.add(c21, f32x4.mul(s, b1));
        c22 = f32x4.add(c22, f32x4.mul(s, b2));
        s = v128.load32_splat(pa + 3 * am);
        c30 = f32x4.add(c30, f32x4.mul(s, b0)); c31 = f32x4.add(c31, f32x4.mul(s, b1));
        c32 = f32x4.add(c32, f32x4.mul(s, b2));
        pa += ak;
        pb += rowB;
      }
      const q = c + <usize>((m0 * np + n0) * 4);
      v128.store(q, c00); v128.store(q, c01, 16); v128.store(q, c02, 32);
      v128.store(q + rowB, c10); v128.store(q + rowB, c11, 16); v128.store(q + rowB, c12, 32);
      v128.store(q + 2 * rowB, c20); v128.store(q + 2 * rowB, c21, 16); v128.store(q + 2 * rowB, c22, 32);
      v128.store(q + 3 * rowB, c30); v128.store(q + 3 * rowB, c31, 16); v128.store(q + 3 * rowB, c32, 32);
    }
  }
}

/** dst [cols, dstRow] ← src [rows, cols] transposed (dst rows of `dstRow` ≥ rows floats). */
export function transpose(src: usize, dst: usize, rows: i32, cols: i32, dstRow: i32): void {
  for (let r = 0; r < rows; r++) {
    let s = src + <usize>(r * cols * 4);
    let d = dst + <usize>(r * 4);
    for (let col = 0; col < cols; col++) {
      store<f32>(d, load<f32>(s));
      s += 4;
      d += <usize>(dstRow * 4);
    }
  }
}

/**
 * The same gradient for C ≥ 4 channels, 4 channels a vector (the last vector of a pixel starts at
 * C − 4 and may overlap the one before: both write the same values). Every position of every
 * window is written, the gradient or 0, so dx needs no zeroing inside the windows. A vector whose
 * windows hold a NaN or an infinity takes the row-major scan per lane instead of the tournament.
 */
export function maxPoolGrad2x2Wide(
  x: usize, dy: usize, dx: usize, n: i32, h: i32, w: i32, c: i32, ho: i32, wo: i32,
): void {
  const cb = <usize>(c * 4);
  const rowBytes = <usize>(w * c * 4);
  const groups = (c + 3) >> 2;
  const zero = f32x4.splat(0);
  let dp = dy;
  for (let img = 0; img < n; img++) {
    for (let r = 0; r < ho; r++) {
      const row = <usize>((img * h + 2 * r) * w * c) * 4;
      for (let q = 0; q < wo; q++) {
        const base = row + <usize>(2 * q) * cb;
        for (let gi = 0; gi < groups; gi++) {
          const d = <usize>(min(gi * 4, c - 4) * 4);
          const k0 = base + d;
          const k1 = k0 + cb;
          const k2 = k0 + rowBytes;
          const k3 = k2 + cb;
          const v0 = v128.load(x + k0);
          const v1 = v128.load(x + k1);
          const v2 = v128.load(x + k2);
          const v3 = v128.load(x + k3);
          const g = v128.load(dp + d);
          const sum = f32x4.add(f32x4.add(v0, v1), f32x4.add(v2, v3));
          if (i32x4.all_true(f32x4.eq(f32x4.sub(sum, sum), zero))) {
            const t = f32x4.gt(v1, v0);
            const u = f32x4.gt(v3, v2);
            const later = f32x4.gt(v128.bitselect(v3, v2, u), v128.bitselect(v1, v0, t));
            const gTop = v128.andnot(g, later);
            const gBot = v128.and(g, later);
            v128.store(dx + k0, v128.andnot(gTop, t));
            v128.store(dx + k1, v128.and(gTop, t));
            v128.store(dx + k2, v128.andnot(gBot, u));
            v128.store(dx + k3, v128.and(gBot, u));
            continue;
          }
          for (let lane: usize = 0; lane < 16; lane += 4) {
            const a0 = load<f32>(x + k0 + lane);
            const a1 = load<f32>(x + k1 + lane);
            const a2 = load<f32>(x + k2 + lane);
            const a3 = load<f32>(x + k3 + lane);
            let max = -Infinity;
            let at = -1;
            if (a0 > max) { max = a0; at = 0; }
            if (a1 > max) { max = a1; at = 1; }
            if (a2 > max) { max = a2; at = 2; }
            if (a3 > max) { max = a3; at = 3; }
            const gl = load<f32>(dp + d + lane);
            store<f32>(dx + k0 + lane, at == 0 ? gl : 0);
            store<f32>(dx + k1 + lane, at == 1 ? gl : 0);
            store<f32>(dx + k2 + lane, at == 2 ? gl : 0);
            store<f32>(dx + k3 + lane, at == 3 ? gl : 0);
          }
        }
        dp += cb;
      }
    }
  }
}

/**
 * Forward stride-1 conv with 16 output channels (fewer padded with zero weights) over an already
 * padded x [N, Hp, Wp, Ci]: out[n, i, j, ·] = Σ_a Σ_{t < L} x[n, i + a, j, ·][t] · wt[a, t, ·], where
 * t = b·Ci + ci runs over L = fw·Ci contiguous floats of x and wt rows are 16 floats. Two output
 * pixels at a time share the weight loads; out is [N, Ho, Wo, 16].
 */
export function convForwardCo16(
  x: usize, wt: usize, out: usize, n: i32, hp: i32, wp: i32, ci: i32, ho: i32, wo: i32, fh: i32, l: i32,
): void {
  const next = <usize>(ci * 4);
  const xRow = <usize>(wp * ci * 4);
  const wtA = <usize>(l * 64);
  let o = out;
  for (let img = 0; img < n; img++) {
    for (let i = 0; i < ho; i++) {
      const xi = x + <usize>((img * hp + i) * wp * ci * 4);
      let j = 0;
      for (; j + 1 < wo; j += 2) {
        let p0 = f32x4.splat(0); let p1 = f32x4.splat(0); let p2 = f32x4.splat(0); let p3 = f32x4.splat(0);
        let q0 = f32x4.splat(0); let q1 = f32x4.splat(0); let q2 = f32x4.splat(0); let q3 = f32x4.splat(0);
        for (let a = 0; a < fh; a++) {
          let xp = xi + <usize>a * xRow + <usize>j * next;
          let wp0 = wt + <usize>a * wtA;
          for (let t = 0; t < l; t++) {
            const s = v128.load32_splat(xp);
            const r = v128.load32_splat(xp + next);
            const w0 = v128.load(wp0);
            const w1 = v128.load(wp0, 16);
            const w2 = v128.load(wp0, 32);
            const w3 = v128.load(wp0, 48);
            p0 = f32x4.add(p0, f32x4.mul(s, w0)); q0 = f32x4.add(q0, f32x4.mul(r, w0));
            p1 = f32x4.add(p1, f32x4.mul(s, w1)); q1 = f32x4.add(q1, f32x4.mul(r, w1));
            p2 = f32x4.add(p2, f32x4.mul(s, w2)); q2 = f32x4.add(q2, f32x4.mul(r, w2));
            p3 = f32x4.add(p3, f32x4.mul(s, w3)); q3 = f32x4.add(q3, f32x4.mul(r, w3));
            xp += 4;
            wp0 += 64;
          }
        }
        v128.store(o, p0); v128.store(o, p1, 16); v128.store(o, p2, 32); v128.store(o, p3, 48);
        v128.store(o, q0, 64); v128.store(o, q1, 80); v128.store(o, q2, 96); v128.store(o, q3, 112);
        o += 128;
      }
      if (j < wo) {
        let p0 = f32x4.splat(0); let p1 = f32x4.splat(0); let p2 = f32x4.splat(0); let p3 = f32x4.splat(0);
        for (let a = 0; a < fh; a++) {
          let xp = xi + <usize>a * xRow + <usize>j * next;
          let wp0 = wt + <usize>a * wtA;
          for (let t = 0; t < l; t++) {
            const s = v128.load32_splat(xp);
            p0 = f32x4.add(p0, f32x4.mul(s, v128.load(wp0)));
            p1 = f32x4.add(p1, f32x4.mul(s, v128.load(wp0, 16)));
            p2 = f32x4.add(p2, f32x4.mul(s, v128.load(wp0, 32)));
            p3 = f32x4.add(p3, f32x4.mul(s, v128.load(wp0, 48)));
            xp += 4;
            wp0 += 64;
          }
        }
        v128.store(o, p0); v128.store(o, p1, 16); v128.store(o, p2, 32); v128.store(o, p3, 48);
        o += 64;
      }
    }
  }
}
