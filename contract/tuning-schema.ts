/**
 * The tuning section's answer, declared by the student in `tuning.json` beside their code: the
 * optimizer and hyperparameters they chose for 1 epoch of GarmentClassifier training on the
 * 90 % / 5 % / 5 % split, and the validation and test figures they measured with it.
 * The grader reads it as data (no student code runs to get it) and validates it here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { HarnessError } from '../course/errors.js';
import { TUNABLE_OPTIMIZERS } from './index.js';
import { problemsWith } from './validate.js';

export const TuningChoice = Type.Object({
  optimizer: Type.Union(TUNABLE_OPTIMIZERS.map((n) => Type.Literal(n)), { description: 'one of SGDwMLD, AdaGrad, RMSProp, Adam' }),
  /** By the constructor's names (lr, momentum, decay, eps, gradDecay, squaredGradDecay); omitted ones take the defaults. */
  hyperparameters: Type.Record(Type.String(), Type.Number({ minimum: 0 })),
  batchSize: Type.Integer({ minimum: 1, maximum: 4096 }),
  claimed: Type.Object({
    /** Mean validation loss after the epoch. */
    valLoss: Type.Number({ minimum: 0 }),
    /** Test accuracy after the epoch, in [0, 1]. */
    testAccuracy: Type.Number({ minimum: 0, maximum: 1 }),
  }, { additionalProperties: false }),
}, { additionalProperties: false });

export type TuningChoice = Static<typeof TuningChoice>;

export const TUNING_FILE = 'tuning.json';

/** The template's placeholder: the grader says "not implemented" while `optimizer` still starts with TODO. */
export const TUNING_PLACEHOLDER = {
  optimizer: 'TODO: one of SGDwMLD, AdaGrad, RMSProp, Adam',
  hyperparameters: {},
  batchSize: 64,
  claimed: { valLoss: 0, testAccuracy: 0 },
};

export function isTuningPlaceholder(value: unknown): boolean {
  return typeof value === 'object' && value !== null && String((value as { optimizer?: unknown }).optimizer).startsWith('TODO');
}

export type TuningRead =
  | { ok: true; choice: TuningChoice }
  | { ok: false; reason: 'missing' | 'placeholder' | 'invalid'; message: string };

/** Reads `<dir>/tuning.json`. A student's problem (missing, placeholder, invalid) is returned as data. */
export function readTuningChoice(dir: string): TuningRead {
  const path = join(dir, TUNING_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { ok: false, reason: 'missing', message: `${TUNING_FILE} is missing: declare your tuning choice in it (see SPEC.md, tuning)` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: 'invalid', message: `${TUNING_FILE} is not valid JSON: ${(error as Error).message}` };
  }
  if (isTuningPlaceholder(value)) {
    return { ok: false, reason: 'placeholder', message: `not implemented: ${TUNING_FILE} — see SPEC.md section "Parts a student implements (tuning)"` };
  }
  const problems = problemsWith(TuningChoice, value);
  if (problems.length > 0) return { ok: false, reason: 'invalid', message: `${TUNING_FILE} does not fit its schema:\n  ${problems.join('\n  ')}` };
  return { ok: true, choice: value as TuningChoice };
}

/** For the reference and the experiments: the choice, or a harness error. */
export function requireTuningChoice(dir: string): TuningChoice {
  const read = readTuningChoice(dir);
  if (!read.ok) throw new HarnessError('OPTNN_SCHEMA', `${join(dir, TUNING_FILE)}: ${read.message}`);
  return read.choice;
}
