/**
 * The landscape's linear algebra (course/eigen.ts) on its own: the Jacobi solver's eigenpairs of
 * symmetric matrices, and the principal directions of rows (unit, orthogonal, signed like sklearn,
 * and fixed ones where the rows span less than a plane). Tolerances are float64 round-off.
 */
import { describe, expect, it } from 'vitest';
import { dot, jacobiEigen, principalDirections } from '../../course/eigen.js';
import { assertClose } from '../helpers/close.js';

const matrix = (rows: number[][]): Float64Array[] => rows.map((r) => Float64Array.from(r));
const column = (vectors: Float64Array[], i: number): number[] => vectors.map((row) => row[i]!);

/** Each column of `vectors` is a unit eigenvector of `a` for its value: A·v = λ·v, v·v = 1. */
function expectEigenpairs(
  a: Float64Array[],
  { values, vectors }: ReturnType<typeof jacobiEigen>,
  atol: number,
): void {
  for (let i = 0; i < a.length; i++) {
    const v = column(vectors, i);
    assertClose(
      `A·v${i}`,
      a.map((row) => dot(row, v)),
      v.map((x) => values[i]! * x),
      { atol, rtol: 0 },
    );
    expect(Math.abs(dot(v, v) - 1), `v${i}·v${i}`).toBeLessThan(atol);
  }
}

describe('jacobiEigen', () => {
  it('finds the eigenvalues of a 2×2 matrix, and unit eigenvectors A·v = λ·v', () => {
    const a = matrix([
      [2, 1],
      [1, 2],
    ]);
    const eigen = jacobiEigen(a);
    assertClose('eigenvalues', [...eigen.values].sort(), [1, 3], { atol: 1e-12, rtol: 0 });
    expectEigenpairs(a, eigen, 1e-12);
  });

  it('diagonalises a larger symmetric matrix with orthonormal eigenvectors, and leaves its input alone', () => {
    const n = 6;
    const rows = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => Math.cos(i * 1.3 + j * 1.3) + (i === j ? n : 0) + Math.sin(i * j)),
    );
    const a = matrix(rows.map((r, i) => r.map((_, j) => (rows[i]![j]! + rows[j]![i]!) / 2)));
    const copy = a.map((r) => r.slice());
    const { values, vectors } = jacobiEigen(a);
    expect(a).toEqual(copy);
    expectEigenpairs(a, { values, vectors }, 1e-10);
    for (let i = 0; i < n; i++)
      for (let j = i + 1; j < n; j++)
        expect(Math.abs(dot(column(vectors, i), column(vectors, j))), `v${i}·v${j}`).toBeLessThan(1e-10);
    const trace = rows.reduce((s, _, i) => s + a[i]![i]!, 0);
    expect(Math.abs(values.reduce((s, v) => s + v, 0) - trace)).toBeLessThan(1e-10);
  });
});

describe('principalDirections', () => {
  it('finds the axes of rows spread along two directions, the wider first, each signed like svd_flip', () => {
    const p = 4;
    const rows = [-2, -1, 0, 1, 2].flatMap((a) => [-1, 1].map((b) => Float64Array.from([3 * a, 0, -b, 0])));
    const [d1, d2] = principalDirections(rows, p);
    assertClose('d1', d1, [1, 0, 0, 0], { atol: 1e-12, rtol: 0 });
    assertClose('d2', d2, [0, 0, 1, 0], { atol: 1e-12, rtol: 0 });
  });

  it('gives two fixed orthonormal directions where the rows span less than a plane', () => {
    const rows = [Float64Array.from([1, 2, 3]), Float64Array.from([1, 2, 3])];
    const [d1, d2] = principalDirections(rows, 3);
    expect(Math.abs(dot(d1, d1) - 1)).toBeLessThan(1e-12);
    expect(Math.abs(dot(d2, d2) - 1)).toBeLessThan(1e-12);
    expect(Math.abs(dot(d1, d2))).toBeLessThan(1e-12);
    const [again1, again2] = principalDirections(rows, 3);
    expect([...again1, ...again2]).toEqual([...d1, ...d2]);
  });
});
