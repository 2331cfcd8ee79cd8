/**
 * The tuning section's answer, declared by the student in `tuning.json` beside their code: the
 * optimizer and hyperparameters they chose for 1 epoch of GarmentClassifier training on the
 * 90 % / 5 % / 5 % split, and the validation and test figures they measured with it.
 * The grader reads it as data (no student code runs to get it) and validates it here.
 */
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { HarnessError } from '../course/errors.js';
import { TUNABLE_OPTIMIZERS } from './index.js';
import { readStudentJson } from './student-file.js';
import { problemsWith } from './validate.js';

export const TuningChoice = Type.Object(
  {
    optimizer: Type.Union(
      TUNABLE_OPTIMIZERS.map((n) => Type.Literal(n)),
      { description: 'one of SGDwMLD, AdaGrad, RMSProp, Adam' },
    ),
    /** By the constructor's names (lr, momentum, decay, eps, gradDecay, squaredGradDecay); omitted ones take the defaults. */
    hyperparameters: Type.Record(Type.String(), Type.Number({ minimum: 0 })),
    batchSize: Type.Integer({ minimum: 1, maximum: 4096 }),
    claimed: Type.Object(
      {
        /** Mean validation loss after the epoch. */
        valLoss: Type.Number({ minimum: 0 }),
        /** Test accuracy after the epoch, in [0, 1]. */
        testAccuracy: Type.Number({ minimum: 0, maximum: 1 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

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
  if (typeof value !== 'object' || value === null) return false;
  const optimizer = (value as { optimizer?: unknown }).optimizer;
  return typeof optimizer === 'string' && optimizer.startsWith('TODO');
}

export type TuningRead =
  | { ok: true; choice: TuningChoice }
  | { ok: false; reason: 'missing' | 'placeholder' | 'invalid'; message: string };

/**
 * Reads `<dir>/tuning.json` as hostile data (contract/student-file.ts: no symlinks, regular files
 * only, a size and depth cap, no prototype keys). A student's problem (missing, placeholder, refused,
 * invalid) is returned as data, with a message that never quotes the file.
 */
export function readTuningChoice(dir: string): TuningRead {
  const read = readStudentJson(dir, TUNING_FILE);
  if (!read.ok) {
    if (read.reason === 'missing') {
      return {
        ok: false,
        reason: 'missing',
        message: `${TUNING_FILE} is missing: declare your tuning choice in it (see SPEC.md, tuning)`,
      };
    }
    return { ok: false, reason: 'invalid', message: read.message };
  }
  const value = read.value;
  if (isTuningPlaceholder(value)) {
    return {
      ok: false,
      reason: 'placeholder',
      message: `not implemented: ${TUNING_FILE} — see SPEC.md section "Parts a student implements (tuning)"`,
    };
  }
  const problems = problemsWith(TuningChoice, value);
  if (problems.length > 0)
    return {
      ok: false,
      reason: 'invalid',
      message: `${TUNING_FILE} does not fit its schema:\n  ${problems.join('\n  ')}`,
    };
  return { ok: true, choice: value as TuningChoice };
}

/** For the reference and the experiments: the choice, or a harness error. */
export function requireTuningChoice(dir: string): TuningChoice {
  const read = readTuningChoice(dir);
  if (!read.ok) throw new HarnessError('OPTNN_SCHEMA', `${join(dir, TUNING_FILE)}: ${read.message}`);
  return read.choice;
}
