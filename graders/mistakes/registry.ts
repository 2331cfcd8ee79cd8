/**
 * Known mistakes: buggy variants of each optimizer that the graders run on the same case as a
 * student. When a student's trajectory matches one, the feedback names the mistake. Every
 * optimizer's mistakes live in one file beside this one; this array lists them all, in the
 * contract's order, so adding a mistake means one class plus one entry in its file. The `Mistake`
 * type is in `mistake.ts`, so the mistake files need not import this registry.
 */
import type { OptimizerName } from '../../contract/index.js';
import { GD_MISTAKES } from './gd.js';
import { SGDWM_MISTAKES } from './sgdwm.js';
import { NAGD_MISTAKES } from './nagd.js';
import { SGDWMLD_MISTAKES } from './sgdwmld.js';
import { ADAGRAD_MISTAKES } from './adagrad.js';
import { RMSPROP_MISTAKES } from './rmsprop.js';
import { ADAM_MISTAKES } from './adam.js';
import type { Mistake } from './mistake.js';

export type { Mistake } from './mistake.js';

export const MISTAKES: readonly Mistake[] = [
  ...GD_MISTAKES,
  ...SGDWM_MISTAKES,
  ...NAGD_MISTAKES,
  ...SGDWMLD_MISTAKES,
  ...ADAGRAD_MISTAKES,
  ...RMSPROP_MISTAKES,
  ...ADAM_MISTAKES,
];

export function mistakesFor(name: OptimizerName): Mistake[] {
  return MISTAKES.filter((m) => m.optimizer === name);
}
