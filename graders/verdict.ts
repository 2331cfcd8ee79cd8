/**
 * A verdict: what one graded test decided about a submission. Plain data, made in the grading
 * process only. `error` means the harness itself failed on this test (a grader error, shown as
 * such and scored 0), never the student's mistake.
 */
import { Type, type Static } from '@sinclair/typebox';

export const Diagnostics = Type.Object(
  {
    case: Type.Optional(Type.String()),
    step: Type.Optional(Type.Integer({ minimum: 0 })),
    param: Type.Optional(Type.String()),
    index: Type.Optional(Type.Array(Type.Integer({ minimum: 0 }))),
    expected: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    got: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    maxAbsError: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    maxRelError: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    nonFinite: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Per step, the largest absolute error against the reference (null: NaN/Infinity or missing). */
    errorCurve: Type.Optional(Type.Array(Type.Union([Type.Number(), Type.Null()]))),
    /** For training checks: the measured figure, the threshold, the seed. */
    measured: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
    threshold: Type.Optional(Type.Number()),
    seed: Type.Optional(Type.Integer()),
    /** Loss curves for the report: the student's and the reference's. */
    losses: Type.Optional(Type.Array(Type.Union([Type.Number(), Type.Null()]))),
    referenceLosses: Type.Optional(Type.Array(Type.Union([Type.Number(), Type.Null()]))),
  },
  { additionalProperties: false },
);

export const Mistake = Type.Object(
  { id: Type.String(), hint: Type.String() },
  { additionalProperties: false },
);

export const Verdict = Type.Object(
  {
    id: Type.String(),
    status: Type.Union([Type.Literal('passed'), Type.Literal('failed'), Type.Literal('error')]),
    message: Type.String(),
    /** Partial credit: the share of the test's points earned (passed: 1 and failed: 0 when absent). */
    fraction: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    mistake: Type.Optional(Mistake),
    diagnostics: Type.Optional(Diagnostics),
    durationMs: Type.Number({ minimum: 0 }),
    /** What the submission printed during a visible test (never set for a hidden one: it could carry the inputs). */
    printed: Type.Optional(Type.String({ maxLength: 20_000 })),
  },
  { additionalProperties: false },
);

export type Diagnostics = Static<typeof Diagnostics>;
export type Verdict = Static<typeof Verdict>;

/** null for NaN/±Infinity, so diagnostics stay valid JSON. */
export function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
