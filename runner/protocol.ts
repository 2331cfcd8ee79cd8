/**
 * What crosses between the grading process and the child that runs a submission: requests (inputs
 * only, never expected values) and responses (plain observations). Non-finite numbers travel as
 * the strings "NaN", "Infinity", "-Infinity". Every response is validated against its schema here
 * before the grading process believes it.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { CaseInput, TeacherForcedInput } from '../contract/fixture-schema.js';
import { OPTIMIZER_NAMES, TUNABLE_OPTIMIZERS } from '../contract/index.js';
import { problemsWith } from '../contract/validate.js';

const NetInputs = Type.Object(
  {
    weights: Type.Array(Type.Array(Type.Array(Type.Number())), { maxItems: 4 }),
    images: Type.Array(Type.Array(Type.Number()), { maxItems: 4 }),
  },
  { additionalProperties: false },
);

export const Request = Type.Union([
  Type.Object({ kind: Type.Literal('case'), input: CaseInput }),
  Type.Object({ kind: Type.Literal('probe-optimizer'), input: TeacherForcedInput }),
  Type.Object({
    kind: Type.Literal('nets'),
    inputs: Type.Object({ OneFCNet: NetInputs, GarmentClassifier: NetInputs }),
  }),
  Type.Object({ kind: Type.Literal('data') }),
  Type.Object({ kind: Type.Literal('step') }),
  Type.Object({ kind: Type.Literal('loop') }),
  Type.Object({
    kind: Type.Literal('training'),
    optimizer: Type.Union(OPTIMIZER_NAMES.map((n) => Type.Literal(n))),
    args: Type.Array(Type.Number()),
    seed: Type.Integer(),
  }),
  Type.Object({
    kind: Type.Literal('tuning'),
    optimizer: Type.Union(TUNABLE_OPTIMIZERS.map((n) => Type.Literal(n))),
    args: Type.Array(Type.Number()),
    batchSize: Type.Integer({ minimum: 1 }),
    seed: Type.Integer(),
  }),
]);
export type Request = Static<typeof Request>;

const Num = Type.Union([
  Type.Number(),
  Type.Literal('NaN'),
  Type.Literal('Infinity'),
  Type.Literal('-Infinity'),
]);
/**
 * The most values one array of an answer may hold (the largest net has about 44,000 parameters).
 * Every array, string and record from the child has a cap here, checked before any trusted code
 * uses it (test/runner/protocol.test.ts walks the schemas for one without).
 */
export const MAX_VALUES = 200_000;
const Nums = Type.Array(Num, { maxItems: MAX_VALUES });
const Message = Type.String({ maxLength: 4000 });
const ByParameter = Type.Record(Type.String({ maxLength: 200 }), Nums, { maxProperties: 1000 });
const probe = <T extends Record<string, TSchema>>(fields: T) =>
  Type.Union([
    Type.Object({ ok: Type.Literal(true), ...fields }, { additionalProperties: false }),
    Type.Object({ ok: Type.Literal(false), fault: Message }, { additionalProperties: false }),
  ]);

export const TrajectoryResult = Type.Object(
  {
    steps: Type.Array(ByParameter, { maxItems: 10_000 }),
    fault: Type.Optional(
      Type.Object({ step: Type.Integer({ minimum: 0 }), message: Message }, { additionalProperties: false }),
    ),
    tensorCounts: Type.Array(Type.Integer({ minimum: 0 }), { maxItems: 10_001 }),
  },
  { additionalProperties: false },
);

const Steps = Type.Array(ByParameter, { maxItems: 10_000 });
export const OptimizerProbesResult = Type.Object(
  {
    lrZero: probe({ steps: Steps }),
    separateState: probe({ together: Steps, aloneFirst: Steps, aloneSecond: Steps }),
    leak: probe({ counts: Type.Array(Type.Integer({ minimum: 0 }), { maxItems: 10_001 }) }),
    fit: probe({ losses: Nums, before: Nums, after: Nums }),
  },
  { additionalProperties: false },
);

const NetProbe = Type.Object(
  {
    paramCount: Type.Integer({ minimum: 0 }),
    weightShapes: Type.Array(Type.Array(Type.Integer(), { maxItems: 8 }), { maxItems: 1000 }),
    outputShape: Type.Array(Type.Integer(), { maxItems: 8 }),
    logits: Type.Array(Nums, { maxItems: 4 }),
    trainingLogits: Type.Array(Nums, { maxItems: 4 }),
  },
  { additionalProperties: false },
);
export const NetsResult = Type.Object(
  { OneFCNet: probe({ value: NetProbe }), GarmentClassifier: probe({ value: NetProbe }) },
  { additionalProperties: false },
);

const Ints = (max: number) => Type.Array(Type.Integer(), { maxItems: max });
const LoaderEpochs = Type.Object(
  {
    epochs: Type.Array(
      Type.Object(
        {
          shapes: Type.Array(Type.Array(Type.Integer(), { maxItems: 8 }), { maxItems: 100_000 }),
          samples: Ints(100_000),
        },
        { additionalProperties: false },
      ),
      { maxItems: 3 },
    ),
  },
  { additionalProperties: false },
);
export const DataResult = probe({
  value: Type.Object(
    {
      subsetLength: Type.Integer(),
      subset: Ints(100_000),
      gd: LoaderEpochs,
      batched: LoaderEpochs,
      labelDtype: Type.String({ maxLength: 20 }),
      min: Num,
      max: Num,
    },
    { additionalProperties: false },
  ),
});

export const StepResult = probe({
  value: Type.Object(
    { loss: Num, lossFnValue: Num, lossFnGradient: Nums, lossFnGradientFault: Message, params: Nums },
    { additionalProperties: false },
  ),
});

export const LoopResultSchema = probe({
  value: Type.Object(
    {
      losses: Nums,
      states: Type.Array(Type.Array(Nums, { maxItems: 100 }), { maxItems: 1000 }),
      statesUnreadable: Message,
      initialParams: Nums,
      valLosses: Type.Union([Nums, Type.Null()]),
      swaAveraged: Type.Integer({ minimum: 0 }),
      swaState: Type.Union([Nums, Type.Null()]),
      finalParams: Nums,
      withoutEpochs: Message,
    },
    { additionalProperties: false },
  ),
});

/** At most this many values in one packed tensor. */
const PACKED_MAX_VALUES = 100_000;

/**
 * A float32 tensor packed by the child (runner/encode.ts, PackedFloat32): base64 of its bytes.
 * `decode` unpacks it into numbers, and refuses bytes that are not a whole number of values.
 */
const Packed = Type.Object(
  {
    f32: Type.String({
      maxLength: 4 * Math.ceil((PACKED_MAX_VALUES * 4) / 3),
      pattern: '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$',
    }),
  },
  { additionalProperties: false },
);
const Tensors = Type.Array(Packed, { maxItems: 100 });
export const TrainingResult = probe({
  value: Type.Object({ losses: Nums, initial: Tensors, final: Tensors }, { additionalProperties: false }),
});

export const TuningResult = probe({
  value: Type.Object({ final: Tensors, seed: Type.Integer() }, { additionalProperties: false }),
});

export const RESULT_SCHEMAS: Record<Request['kind'], TSchema> = {
  tuning: TuningResult,
  case: TrajectoryResult,
  'probe-optimizer': OptimizerProbesResult,
  nets: NetsResult,
  data: DataResult,
  step: StepResult,
  loop: LoopResultSchema,
  training: TrainingResult,
};

const NON_FINITE: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** A packed tensor's bytes that are not a whole number of float32 values. */
export class PackedLengthError extends Error {}

function unpack(base64: string, at: string): number[] {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length % 4 !== 0)
    throw new PackedLengthError(`${at}: ${bytes.length} bytes, not a whole number of float32 values`);
  // Copied: a Buffer may start at an offset that is not a multiple of 4 within its pool.
  return Array.from(new Float32Array(new Uint8Array(bytes).buffer));
}

/** Back to numbers, after validation: non-finite strings to numbers, packed tensors to arrays (PackedLengthError when cut). */
export function decode<T>(value: unknown): T {
  const walk = (v: unknown, at: string): unknown => {
    if (typeof v === 'string' && v in NON_FINITE) return NON_FINITE[v];
    if (Array.isArray(v)) return v.map((x, i) => walk(x, `${at}/${i}`));
    if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      if (entries.length === 1 && entries[0]![0] === 'f32' && typeof entries[0]![1] === 'string')
        return unpack(entries[0]![1], at);
      return Object.fromEntries(entries.map(([k, x]) => [k, walk(x, `${at}/${k}`)]));
    }
    return v;
  };
  return walk(value, '') as T;
}

/** Problems with a response to a request of `kind`; empty when it fits. */
export function responseProblems(kind: Request['kind'], value: unknown): string[] {
  return problemsWith(RESULT_SCHEMAS[kind], value);
}
