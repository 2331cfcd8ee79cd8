/**
 * The one comparison of tensors in the self-tests: element-wise |got − expected| ≤ atol + rtol·|expected|.
 * The default (atol 1e-6, rtol 1e-6) is float32 rounding of a few operations on values of order 1;
 * the failure message names the label, the worst index, expected vs got and the error.
 */
export interface Tolerance {
  atol?: number;
  rtol?: number;
}

export function closeness(
  got: ArrayLike<number>,
  expected: ArrayLike<number>,
  { atol = 1e-6, rtol = 1e-6 }: Tolerance = {},
): string | undefined {
  if (got.length !== expected.length) return `length ${got.length}, expected ${expected.length}`;
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!;
    const e = expected[i]!;
    const bothNaN = Number.isNaN(g) && Number.isNaN(e);
    const excess = bothNaN ? 0 : Math.abs(g - e) - (atol + rtol * Math.abs(e));
    const measured = Number.isNaN(excess) ? Infinity : excess;
    if (measured > worstExcess) {
      worst = i;
      worstExcess = measured;
    }
  }
  if (worst < 0) return undefined;
  const g = got[worst]!;
  const e = expected[worst]!;
  return `worst at [${worst}]: expected ${e}, got ${g} (abs error ${Math.abs(g - e).toExponential(2)}, atol ${atol}, rtol ${rtol})`;
}

export function assertClose(
  label: string,
  got: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance?: Tolerance,
): void {
  const problem = closeness(got, expected, tolerance);
  if (problem !== undefined) throw new Error(`${label}: ${problem}`);
}
