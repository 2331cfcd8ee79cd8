/**
 * The linear algebra of the loss landscape (course/landscape.ts): the top two principal directions
 * of a run's states, found from the eigenvectors of their Gram matrix, which a cyclic Jacobi
 * solver computes in float64. Plain arrays, no tensors: the matrices are as small as the number of
 * sampled states.
 */

/** The top two principal directions of the rows of `diffs` (each of length `p`), as unit float64 vectors. */
export function principalDirections(diffs: Float64Array[], p: number): [Float64Array, Float64Array] {
  const k = diffs.length;
  const mean = new Float64Array(p);
  for (const d of diffs) for (let j = 0; j < p; j++) mean[j] = mean[j]! + d[j]! / k;
  const centred = diffs.map((d) => d.map((v, j) => v - mean[j]!));

  const gram = Array.from({ length: k }, () => new Float64Array(k));
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      const g = dot(centred[a]!, centred[b]!);
      gram[a]![b] = g;
      gram[b]![a] = g;
    }
  }
  const { values, vectors } = jacobiEigen(gram);
  const order = values.map((_, i) => i).sort((i, j) => values[j]! - values[i]!);
  const top = values[order[0]!]!;

  const found: Float64Array[] = [];
  for (const i of order.slice(0, 2)) {
    const lambda = values[i]!;
    if (!(top > 0) || lambda <= top * 1e-12) break;
    const v = new Float64Array(p);
    for (let a = 0; a < k; a++) {
      const u = vectors[a]![i]!;
      const row = centred[a]!;
      for (let j = 0; j < p; j++) v[j] = v[j]! + u * row[j]!;
    }
    found.push(signFlip(scaleTo(v, 1 / Math.sqrt(dot(v, v)))));
  }
  for (let seed = 1; found.length < 2; seed++) {
    const v = seededVector(p, seed);
    for (const f of found) axpy(v, -dot(v, f), f);
    const norm = Math.sqrt(dot(v, v));
    if (norm > 1e-3) found.push(signFlip(scaleTo(v, 1 / norm)));
  }
  return [found[0]!, found[1]!];
}

/**
 * Eigenvalues and eigenvectors (the columns of `vectors`) of a symmetric matrix, by the cyclic
 * Jacobi method: rotations that zero one off-diagonal entry at a time until all are negligible.
 */
export function jacobiEigen(matrix: Float64Array[]): { values: number[]; vectors: Float64Array[] } {
  const n = matrix.length;
  const a = matrix.map((row) => row.slice());
  const v = Array.from({ length: n }, (_, i) => {
    const row = new Float64Array(n);
    row[i] = 1;
    return row;
  });
  const at = (i: number, j: number): number => a[i]![j]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < n; i++) {
      diag += at(i, i) * at(i, i);
      for (let j = i + 1; j < n; j++) off += at(i, j) * at(i, j);
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = at(p, q);
        if (apq === 0) continue;
        const theta = (at(q, q) - at(p, p)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < n; r++) {
          const arp = at(r, p);
          const arq = at(r, q);
          a[r]![p] = c * arp - s * arq;
          a[r]![q] = s * arp + c * arq;
        }
        for (let r = 0; r < n; r++) {
          const apr = at(p, r);
          const aqr = at(q, r);
          a[p]![r] = c * apr - s * aqr;
          a[q]![r] = s * apr + c * aqr;
        }
        for (let r = 0; r < n; r++) {
          const vrp = v[r]![p]!;
          const vrq = v[r]![q]!;
          v[r]![p] = c * vrp - s * vrq;
          v[r]![q] = s * vrp + c * vrq;
        }
      }
    }
  }
  return { values: Array.from({ length: n }, (_, i) => at(i, i)), vectors: v };
}

/** sklearn's svd_flip: negates `v` unless its entry of largest absolute value (the first such) is positive. */
function signFlip(v: Float64Array): Float64Array {
  let best = 0;
  for (let j = 1; j < v.length; j++) if (Math.abs(v[j]!) > Math.abs(v[best]!)) best = j;
  return (v[best] ?? 0) < 0 ? scaleTo(v, -1) : v;
}

/** A fixed pseudo-random vector with entries in [−1, 1) (mulberry32 from `seed`). */
export function seededVector(p: number, seed: number): Float64Array {
  let s = seed >>> 0;
  return Float64Array.from({ length: p }, () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  });
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let j = 0; j < a.length; j++) sum += a[j]! * b[j]!;
  return sum;
}

function axpy(y: Float64Array, alpha: number, x: Float64Array): void {
  for (let j = 0; j < y.length; j++) y[j] = y[j]! + alpha * x[j]!;
}

function scaleTo(v: Float64Array, factor: number): Float64Array {
  for (let j = 0; j < v.length; j++) v[j] = v[j]! * factor;
  return v;
}
