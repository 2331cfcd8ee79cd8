// Student template, generated from the reference by `npm run template`. Implement every part
// that throws "not implemented"; SPEC.md (the assignment) defines each one.
/**
 * The last section of the notebook: the best of SGDwMLD, AdaGrad, RMSProp and Adam, with its
 * hyperparameters, for 1 epoch of GarmentClassifier training on the 90 % / 5 % / 5 % split.
 */
import type { TuningChoice } from '#contract/index.js';
import { notImplemented } from '#course/not-implemented.js';

export function tuningChoice(): TuningChoice {
  // Return { optimizer, hyperparameters (by the constructor's names), batchSize }.
  throw notImplemented('tuningChoice', 'Parts a student implements (tuning)');
}
