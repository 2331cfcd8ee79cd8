/**
 * The JSON that `npm run experiments` writes: one record per training cell of the notebook.
 * Schema and type from one source (TypeBox); ajv validates before anything is written.
 * Non-finite numbers (a diverged loss) are written as null.
 */
import { Type, type Static } from '@sinclair/typebox';

const MaybeNumber = Type.Union([Type.Number(), Type.Null()], {
  description: 'null where the value was NaN or ±Infinity',
});
const Numbers = Type.Array(MaybeNumber);

export const LandscapeRecord = Type.Object(
  {
    nStates: Type.Integer({ minimum: 1 }),
    startFrom: Type.Integer({ minimum: 0 }),
    stateIds: Type.Array(Type.Integer({ minimum: 0 })),
    /** The sampled states' coordinates along the two directions: [x[], y[]]. */
    coordinates: Type.Tuple([Numbers, Numbers]),
    /** Loss of each sampled state, as the notebook prints ("loss samples"). */
    stateLosses: Numbers,
    scale: Type.Number({ exclusiveMinimum: 0 }),
    xs: Type.Array(Type.Number()),
    ys: Type.Array(Type.Number()),
    /** losses[iy][ix]: the mean loss over the loader at θ_ref + xs[ix]·d1 + ys[iy]·d2. */
    losses: Type.Array(Numbers),
  },
  { additionalProperties: false },
);

export const RunRecord = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9-]+$' }),
    title: Type.String(),
    net: Type.Union([Type.Literal('OneFCNet'), Type.Literal('GarmentClassifier')]),
    optimizer: Type.Object(
      {
        name: Type.String(),
        hyperparameters: Type.Record(Type.String(), Type.Number()),
      },
      { additionalProperties: false },
    ),
    loader: Type.Union([
      Type.Literal('full-batch'),
      Type.Literal('batches-of-64'),
      Type.Literal('train-split'),
    ]),
    epochs: Type.Integer({ minimum: 1 }),
    seed: Type.Integer({ minimum: 1 }),
    /** The tuning run's batch size (the notebook cells' are given by `loader`). */
    batchSize: Type.Optional(Type.Integer({ minimum: 1 })),
    swa: Type.Optional(
      Type.Object(
        {
          start: Type.Integer({ minimum: 0 }),
          nAveraged: Type.Integer({ minimum: 0 }),
          /** Mean loss of the averaged model over the training subset. */
          loss: MaybeNumber,
          /** Mean loss of the net's own last weights over the same subset, to compare. */
          netLoss: Type.Optional(MaybeNumber),
        },
        { additionalProperties: false },
      ),
    ),
    losses: Numbers,
    valLosses: Type.Optional(Numbers),
    test: Type.Optional(
      Type.Object(
        { loss: MaybeNumber, accuracy: Type.Number({ minimum: 0, maximum: 1 }) },
        { additionalProperties: false },
      ),
    ),
    /** The tuning run: what tuning.json claims, to set beside what was measured. */
    claimed: Type.Optional(
      Type.Object({ valLoss: Type.Number(), testAccuracy: Type.Number() }, { additionalProperties: false }),
    ),
    landscape: Type.Optional(LandscapeRecord),
    /** The backends that made this run: `wasm`, or `webgpu (adapter …)` for a landscape on webgpu. */
    backends: Type.Optional(
      Type.Object(
        { training: Type.String(), landscape: Type.Optional(Type.String()) },
        { additionalProperties: false },
      ),
    ),
    seconds: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: false },
);

/** One cell of the notebook, in its order, and what became of it. */
export const CellRecord = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9-]+$' }),
    section: Type.String(),
    title: Type.String(),
    text: Type.String(),
    question: Type.Optional(Type.String()),
    /** ran: its run is in `runs`; not-implemented: a part it needs throws "not implemented"; failed: it threw. */
    status: Type.Union([Type.Literal('ran'), Type.Literal('not-implemented'), Type.Literal('failed')]),
    message: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/** Whose part a cell used: the submission's, or the course's stand-in while the submission's is unfinished. */
export const PartRecord = Type.Object(
  {
    whose: Type.Union([Type.Literal('yours'), Type.Literal('course')]),
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const ExperimentsRecord = Type.Object(
  {
    schemaVersion: Type.Literal(1),
    command: Type.String(),
    quick: Type.Boolean(),
    startedAt: Type.String({ format: 'date-time' }),
    backend: Type.Object(
      {
        name: Type.String(),
        package: Type.String(),
        version: Type.String(),
        fastKernels: Type.Array(Type.String()),
      },
      { additionalProperties: false },
    ),
    data: Type.Object(
      { source: Type.String(), samples: Type.Integer({ minimum: 1 }) },
      { additionalProperties: false },
    ),
    /** The submission directory whose code ran. */
    submission: Type.Optional(Type.String()),
    parts: Type.Optional(
      Type.Object(
        { nets: PartRecord, loaders: PartRecord, lossFn: PartRecord, loop: PartRecord },
        { additionalProperties: false },
      ),
    ),
    cells: Type.Optional(Type.Array(CellRecord)),
    runs: Type.Array(RunRecord),
  },
  { additionalProperties: false },
);

export type LandscapeRecord = Static<typeof LandscapeRecord>;
export type RunRecord = Static<typeof RunRecord>;
export type ExperimentsRecord = Static<typeof ExperimentsRecord>;
export type CellRecord = Static<typeof CellRecord>;
export type PartRecord = Static<typeof PartRecord>;

/** Numbers as the record stores them: non-finite values become null. */
export function finiteOrNull(values: readonly number[]): Array<number | null> {
  return values.map((v) => (Number.isFinite(v) ? v : null));
}
