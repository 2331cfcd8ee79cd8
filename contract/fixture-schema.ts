/**
 * Optimizer fixtures: reference tensors on fixed seeds. A case is split in two: the `input` the
 * student's code runs on (initial values, gradients or a batch, hyperparameters) and the
 * `expected` parameters after every step, which only the grading process ever reads.
 * Schema and type from one source; fixtures are validated when written and when loaded.
 */
import { Type, type Static } from '@sinclair/typebox';
import { OPTIMIZER_NAMES } from './index.js';

const Values = Type.Array(Type.Number(), { description: 'row-major float32 values' });

export const ParamSpec = Type.Object(
  {
    name: Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]*$' }),
    shape: Type.Array(Type.Integer({ minimum: 1 })),
    initial: Values,
  },
  { additionalProperties: false },
);

/** Teacher-forced: the gradient of every parameter at every step (null: no gradient that step). */
export const TeacherForcedInput = Type.Object(
  {
    kind: Type.Literal('teacher-forced'),
    optimizer: Type.Union(OPTIMIZER_NAMES.map((n) => Type.Literal(n))),
    /** Constructor arguments, positional, in the contract's order. */
    args: Type.Array(Type.Number()),
    params: Type.Array(ParamSpec, { minItems: 1 }),
    grads: Type.Array(Type.Record(Type.String(), Type.Union([Values, Type.Null()])), { minItems: 1 }),
  },
  { additionalProperties: false },
);

/**
 * Closed-loop: a small dense net (the listed parameters: kernel [features, 10] and bias [10])
 * trained on a real MNIST batch; the gradients come from the student's optimizer's own trajectory.
 */
export const ClosedLoopInput = Type.Object(
  {
    kind: Type.Literal('closed-loop'),
    optimizer: Type.Union(OPTIMIZER_NAMES.map((n) => Type.Literal(n))),
    args: Type.Array(Type.Number()),
    params: Type.Array(ParamSpec, { minItems: 2, maxItems: 2 }),
    images: Values,
    features: Type.Integer({ minimum: 1 }),
    labels: Type.Array(Type.Integer({ minimum: 0, maximum: 9 })),
    steps: Type.Integer({ minimum: 1 }),
  },
  { additionalProperties: false },
);

export const CaseInput = Type.Union([TeacherForcedInput, ClosedLoopInput]);

export const OptimizerCase = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9-]+$' }),
    description: Type.String(),
    input: CaseInput,
    /** expected[k][name]: the parameter after step k + 1. */
    expected: Type.Array(Type.Record(Type.String(), Values), { minItems: 1 }),
  },
  { additionalProperties: false },
);

export const FixtureFile = Type.Object(
  {
    schemaVersion: Type.Literal(1),
    visibility: Type.Union([Type.Literal('public'), Type.Literal('hidden')]),
    seed: Type.Integer({ minimum: 1 }),
    generatedBy: Type.String(),
    backend: Type.String(),
    cases: Type.Array(OptimizerCase, { minItems: 1 }),
  },
  { additionalProperties: false },
);

export type ParamSpec = Static<typeof ParamSpec>;
export type TeacherForcedInput = Static<typeof TeacherForcedInput>;
export type ClosedLoopInput = Static<typeof ClosedLoopInput>;
export type CaseInput = Static<typeof CaseInput>;
export type OptimizerCase = Static<typeof OptimizerCase>;
export type FixtureFile = Static<typeof FixtureFile>;
