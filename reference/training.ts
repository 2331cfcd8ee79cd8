/**
 * The loss, one training step and the training loop. SPEC.md, "Parts a student implements" (step)
 * and "The loop".
 */
import * as tf from '@tensorflow/tfjs';
import type { Batch, BatchSource, LossFn, LoopOptions, LoopResult, Net, State } from '#contract/index.js';
import { readState } from '#course/params.js';
import { createProgress } from '#course/progress.js';
import { evaluate } from '#course/metrics.js';
// TEMPLATE: import { notImplemented } from '#course/not-implemented.js';

/**
 * Softmax cross-entropy on logits [batch, 10] with integer labels [batch], averaged over the
 * batch (PyTorch's nn.CrossEntropyLoss()).
 */
export const lossFn: LossFn = (logits, labels) => {
  // BEGIN SOLUTION lossFn @step
  return tf.tidy(
    () =>
      tf.losses.softmaxCrossEntropy(
        tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1] ?? 10),
        logits,
      ) as tf.Scalar,
  );
  // END SOLUTION
};

/**
 * One optimisation step on one batch: forward, loss, gradients, optimizer update. Returns the
 * batch loss as a number. (tfjs computes fresh gradients each time, so there is nothing to zero.)
 */
export function trainingStep(net: Net, optimizer: tf.Optimizer, lossFn: LossFn, batch: Batch): number {
  // Hint: optimizer.minimize(f, true, varList) runs f, takes the gradients of its scalar result
  // with respect to varList and applies them. The net's variables are
  // net.trainableWeights.map((w) => w.read()); run the net with net.apply(images, { training: true }).
  // BEGIN SOLUTION trainingStep @step
  const variables = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const loss = optimizer.minimize(
    () => lossFn(net.apply(batch.images, { training: true }) as tf.Tensor, batch.labels),
    true,
    variables,
  );
  if (loss === null) throw new Error('trainingStep: optimizer.minimize returned no loss');
  const value = loss.dataSync()[0]!;
  loss.dispose();
  return value;
  // END SOLUTION
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
  // BEGIN SOLUTION theLoop @loop
  const loss = options.lossFn ?? lossFn;
  const losses: number[] = [];
  const valLosses: number[] = [];
  const states: State[] = [];
  const bar = createProgress({ total: epochs * trainLoader.length, label: 'epoch 0', enabled: progress });
  let running = 0;
  for (let i = 0; i < epochs; i++) {
    bar.setLabel(`epoch ${i}`);
    let j = 0;
    for (const batch of trainLoader) {
      states.push(readState(net));
      const value = trainingStep(net, optimizer, loss, batch);
      batch.images.dispose();
      batch.labels.dispose();
      losses.push(value);
      running = j === 0 ? value : 0.9 * running + 0.1 * value;
      j += 1;
      bar.update(i * trainLoader.length + j, `loss ${running.toFixed(4)} step ${j}`);
    }
    if (swaModel !== undefined && i > swaStart) swaModel.updateParameters(net);
    if (valLoader !== undefined) valLosses.push(evaluate(net, valLoader, loss).loss);
  }
  bar.finish(`loss ${running.toFixed(4)}`);
  return valLoader !== undefined ? { losses, states, valLosses } : { losses, states };
  // END SOLUTION
}
