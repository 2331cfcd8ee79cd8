/**
 * Every check the grader knows, by the manifest's id: one line per family. Adding a test is one
 * module under graders/checks/, one entry in graders/manifest.json and one line here.
 */
import type { Check } from './check.js';
import { DATA_CHECK } from './data.js';
import { LOOP_CHECK } from './loop.js';
import { NETS_CHECK } from './nets.js';
import { OPTIMIZER_CASE_CHECKS } from './optimizer-cases.js';
import { PROPERTIES_CHECKS } from './properties.js';
import { STEP_CHECK } from './step.js';
import { TRAINING_CHECKS } from './training.js';
import { TUNING_CHECK } from './tuning.js';

export const CHECKS: ReadonlyMap<string, Check> = new Map(
  [
    ...OPTIMIZER_CASE_CHECKS,
    ...PROPERTIES_CHECKS,
    ...TRAINING_CHECKS,
    NETS_CHECK,
    DATA_CHECK,
    STEP_CHECK,
    LOOP_CHECK,
    TUNING_CHECK,
  ].map((check) => [check.id, check]),
);
