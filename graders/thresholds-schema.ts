/**
 * Training thresholds: for each optimizer, the notebook's settings (constructor arguments, one
 * epoch of GarmentClassifier on batches of 64), the threshold the final loss must stay under, and
 * the calibration behind it (the reference over several seeds: mean, spread, range).
 * Made by `npm run calibrate`; validated on load.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from '@sinclair/typebox';
import { OPTIMIZER_NAMES } from '../contract/index.js';
import { validateOrThrow } from '../contract/validate.js';

export const ThresholdEntry = Type.Object(
  {
    args: Type.Array(Type.Number()),
    epochs: Type.Integer({ minimum: 1 }),
    /** The reference's loss at every step with the grading seed, for the report's plot. */
    referenceLosses: Type.Array(Type.Number()),
    calibration: Type.Object(
      {
        seeds: Type.Array(Type.Integer({ minimum: 1 })),
        /** Per seed: the untrained and trained loss, and the drop between them. */
        untrained: Type.Array(Type.Number()),
        losses: Type.Array(Type.Number()),
        drops: Type.Array(Type.Number()),
        /** Of the drops. */
        mean: Type.Number(),
        std: Type.Number(),
        min: Type.Number(),
        max: Type.Number(),
        backend: Type.String(),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const Thresholds = Type.Object(
  {
    schemaVersion: Type.Literal(1),
    /** The seed of the tuning retraining (the training checks draw theirs from the calibration seeds every grading, echoed in the message). */
    gradingSeed: Type.Integer({ minimum: 1 }),
    /**
     * The trained loss must be at most the untrained one less this share of the reference's drop
     * with the same seed (a no-op optimizer, whose drop is 0, cannot pass).
     */
    dropShare: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
    /** How many samples of the training subset the losses are measured on. */
    measuredSamples: Type.Integer({ minimum: 1 }),
    rule: Type.String(),
    optimizers: Type.Object(Object.fromEntries(OPTIMIZER_NAMES.map((n) => [n, ThresholdEntry])), {
      additionalProperties: false,
    }),
  },
  { additionalProperties: false },
);

export type ThresholdEntry = Static<typeof ThresholdEntry>;
export type Thresholds = Static<typeof Thresholds>;

export const THRESHOLDS_PATH = join(dirname(fileURLToPath(import.meta.url)), 'thresholds.json');

export function loadThresholds(path = THRESHOLDS_PATH): Thresholds {
  return validateOrThrow(Thresholds, JSON.parse(readFileSync(path, 'utf8')), path);
}
