/**
 * What a known mistake is: a buggy variant of one optimizer, with the hint the feedback gives when
 * a student's trajectory matches it. Each optimizer's file beside this one exports its mistakes;
 * `registry.ts` lists them all. The type lives here, below both, so neither imports the other's.
 */
import type * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from '../../contract/index.js';

export interface Mistake {
  /** Kebab-case, starting with the optimizer's file name (`adam-no-bias-correction`). */
  id: string;
  optimizer: OptimizerName;
  /**
   * One or two sentences to the student: what their code does, why it is wrong, what to check;
   * never the reference's code.
   */
  hint: string;
  /** The buggy optimizer, from the case's constructor arguments (positional, as the contract orders them). */
  make(args: number[]): tf.Optimizer;
}
