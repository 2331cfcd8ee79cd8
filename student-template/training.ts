// Student template, generated from the reference by `npm run template`. Implement every part
// that throws "not implemented"; SPEC.md (the assignment) defines each one.
/**
 * The loss, one training step and the training loop. SPEC.md, "Parts a student implements" (step)
 * and "The loop".
 */
import * as tf from '@tensorflow/tfjs';
import type { Batch, BatchSource, LossFn, LoopOptions, LoopResult, Net, State } from '#contract/index.js';
import { readState } from '#course/params.js';
import { createProgress } from '#course/progress.js';
import { evaluate } from '#course/metrics.js';
import { notImplemented } from '#course/not-implemented.js';

/**
 * Softmax cross-entropy on logits [batch, 10] with integer labels [batch], averaged over the
 * batch (PyTorch's nn.CrossEntropyLoss()).
 */
export const lossFn: LossFn = (logits, labels) => {
  throw notImplemented('lossFn', 'Parts a student implements (step)');
};

/**
 * One optimisation step on one batch: forward, loss, gradients, optimizer update. Returns the
 * batch loss as a number. (tfjs computes fresh gradients each time, so there is nothing to zero.)
 */
export function trainingStep(net: Net, optimizer: tf.Optimizer, lossFn: LossFn, batch: Batch): number {
  // Hint: optimizer.minimize(f, true, varList) runs f, takes the gradients of its scalar result
  // with respect to varList and applies them. The net's variables are
  // net.trainableWeights.map((w) => w.read()); run the net with net.apply(images, { training: true }).
  throw notImplemented('trainingStep', 'Parts a student implements (step)');
}

/**
 * Trains `net` for `epochs` passes over `trainLoader`. Before every step it records a copy of the
 * parameters in `states`; after it, the batch loss in `losses`. After epoch i (from 0): if a SWA
 * model is given and i > swaStart, it is updated; if a validation loader is given, the mean loss
 * over it (the course's `evaluate`) is appended to `valLosses`.
 */
export function theLoop(
  net: Net,
  optimizer: tf.Optimizer,
  trainLoader: BatchSource,
  options: LoopOptions,
): LoopResult {
  const { valLoader, epochs, swaModel, swaStart = 5, progress = true } = options;
  if (epochs === undefined || epochs === null) {
    throw new Error(
      'theLoop: a training duration must be given: set the `epochs` option (a positive integer)',
    );
  }
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new Error(
      `theLoop: expected the \`epochs\` option to be a positive integer, got ${String(epochs)}`,
    );
  }
  throw notImplemented('theLoop', 'The loop');
}
