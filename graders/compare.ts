/**
 * The one tensor comparison of the graders: element-wise |got − expected| ≤ atol + rtol·|expected|
 * in float32 values. A failure is described precisely: the first step that diverges, the
 * parameter, the worst element's index, expected vs got, the largest absolute and relative
 * errors, and NaN/Infinity where present.
 */
export interface Tolerance {
  atol: number;
  rtol: number;
}

/**
 * Teacher-forced steps: the inputs are given, so only float32 rounding separates a correct
 * implementation from the reference, whatever its order of operations or backend. The measured
 * margin is in docs/grading-policy.md.
 */
export const TEACHER_FORCED_TOLERANCE: Tolerance = { atol: 1e-5, rtol: 1e-4 };

/** Closed-loop steps: the gradients come from the backend, so backend differences enter too. */
export const CLOSED_LOOP_TOLERANCE: Tolerance = { atol: 1e-4, rtol: 1e-3 };

export interface Divergence {
  /** 1-based step. */
  step: number;
  param: string;
  /** The worst element's index in the parameter's shape. */
  index: number[];
  expected: number;
  got: number;
  maxAbsError: number;
  maxRelError: number;
  /** How many elements of this parameter at this step are NaN or ±Infinity. */
  nonFinite: number;
  /** Steps expected but missing (the run stopped early), 0 when all are there. */
  missingSteps: number;
}

export function unravel(flat: number, shape: readonly number[]): number[] {
  const index: number[] = [];
  let rest = flat;
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d]!;
    index.unshift(rest % n);
    rest = Math.floor(rest / n);
  }
  return index;
}

type Steps = ReadonlyArray<Readonly<Record<string, readonly number[]>>>;

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * What is missing from or extra in an observation, before any value is compared: exactly
 * `expectedSteps` step records, each with every parameter of `shapes` and no other, each with
 * as many values as its shape holds. Undefined when complete. A record the child left out is a
 * failure, never "no divergence".
 */
export function incompleteness(
  got: Steps,
  expectedSteps: number,
  shapes: Readonly<Record<string, readonly number[]>>,
): string | undefined {
  if (got.length !== expectedSteps) {
    return `the run returned ${got.length} step record${got.length === 1 ? '' : 's'}, expected exactly ${expectedSteps} (one after every step)`;
  }
  const names = Object.keys(shapes);
  for (const [k, step] of got.entries()) {
    const missing = names.filter((n) => !Object.hasOwn(step, n));
    if (missing.length > 0)
      return `step ${k + 1}'s record lacks parameter${missing.length === 1 ? '' : 's'} ${missing.map((n) => `\`${n}\``).join(', ')}`;
    const extra = Object.keys(step).filter((n) => !names.includes(n));
    if (extra.length > 0)
      return `step ${k + 1}'s record has parameter${extra.length === 1 ? '' : 's'} ${extra.map((n) => `\`${n}\``).join(', ')} that the case does not have`;
    for (const n of names) {
      const want = sizeOf(shapes[n]!);
      if (step[n]!.length !== want)
        return `step ${k + 1}: parameter \`${n}\` has ${step[n]!.length} values, its shape [${shapes[n]!.join(', ')}] holds ${want}`;
    }
  }
  return undefined;
}

/** The first step and parameter where `got` leaves the tolerance around `expected`, if any. */
export function firstDivergence(
  got: Steps,
  expected: Steps,
  shapes: Readonly<Record<string, readonly number[]>>,
  tolerance: Tolerance,
): Divergence | undefined {
  for (let k = 0; k < expected.length; k++) {
    const gotStep = got[k] ?? {};
    for (const [param, want] of Object.entries(expected[k]!)) {
      const have = gotStep[param] ?? [];
      let worst = -1;
      let worstExcess = 0;
      let maxAbs = 0;
      let maxRel = 0;
      let nonFinite = 0;
      for (let i = 0; i < want.length; i++) {
        const e = want[i]!;
        const g = have[i] ?? Number.NaN;
        if (!Number.isFinite(g)) nonFinite += 1;
        const abs = Math.abs(g - e);
        const excess = Number.isNaN(abs) ? Infinity : abs - (tolerance.atol + tolerance.rtol * Math.abs(e));
        if (!Number.isNaN(abs)) {
          maxAbs = Math.max(maxAbs, abs);
          maxRel = Math.max(maxRel, abs / Math.max(Math.abs(e), Number.MIN_VALUE));
        } else {
          maxAbs = Infinity;
          maxRel = Infinity;
        }
        if (excess > worstExcess) {
          worst = i;
          worstExcess = excess;
        }
      }
      if (worst >= 0) {
        return {
          step: k + 1,
          param,
          index: unravel(worst, shapes[param] ?? [want.length]),
          expected: want[worst]!,
          got: have[worst] ?? Number.NaN,
          maxAbsError: maxAbs,
          maxRelError: maxRel,
          nonFinite,
          missingSteps: 0,
        };
      }
    }
  }
  return undefined;
}

/** True when `got` has exactly the steps of `expected`, and every one agrees. */
export function agrees(
  got: Steps,
  expected: Steps,
  shapes: Readonly<Record<string, readonly number[]>>,
  tolerance: Tolerance,
): boolean {
  return got.length === expected.length && firstDivergence(got, expected, shapes, tolerance) === undefined;
}

const fmt = (v: number): string => (Number.isFinite(v) ? Number(v.toPrecision(7)).toString() : String(v));

export function describeDivergence(d: Divergence): string {
  const index = d.index.length === 0 ? '' : `[${d.index.join(', ')}]`;
  const nonFinite =
    d.nonFinite > 0 ? `; ${d.nonFinite} element${d.nonFinite === 1 ? ' is' : 's are'} NaN or Infinity` : '';
  return (
    `step ${d.step} is the first to diverge: parameter \`${d.param}\`${index}, expected ${fmt(d.expected)}, got ${fmt(d.got)} ` +
    `(largest error at this step: absolute ${d.maxAbsError.toExponential(2)}, relative ${d.maxRelError.toExponential(2)})${nonFinite}`
  );
}
