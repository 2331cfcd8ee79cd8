/** theLoop recording states as cloned tensors (PyTorch's `copy.deepcopy(model.state_dict())`). */
import * as tf from '@tensorflow/tfjs';
import type { Batch, BatchSource, LossFn, LoopOptions, LoopResult, Net, State } from '#contract/index.js';
import { evaluate } from '#course/metrics.js';

export const lossFn: LossFn = (logits, labels) =>
  tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.cast(labels, 'int32'), 10), logits) as tf.Scalar);

export function trainingStep(net: Net, optimizer: tf.Optimizer, loss: LossFn, batch: Batch): number {
  const vars = net.trainableWeights.map((w) => w.read() as tf.Variable);
  const cost = optimizer.minimize(() => loss(net.apply(batch.images, { training: true }) as tf.Tensor, batch.labels), true, vars)!;
  const value = cost.dataSync()[0]!;
  cost.dispose();
  return value;
}

export function theLoop(net: Net, optimizer: tf.Optimizer, loader: BatchSource, options: LoopOptions): LoopResult {
  if (options.epochs === undefined) throw new Error('theLoop needs the number of epochs');
  const loss = options.lossFn ?? lossFn;
  const result = { losses: [] as number[], states: [] as State[], valLosses: [] as number[] };
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (const batch of loader) {
      result.states.push(net.getWeights(true).map((w) => w.clone()) as unknown as State);
      result.losses.push(trainingStep(net, optimizer, loss, batch));
      tf.dispose([batch.images, batch.labels]);
    }
    if (options.swaModel && epoch > (options.swaStart ?? 5)) options.swaModel.updateParameters(net);
    if (options.valLoader) result.valLosses.push(evaluate(net, options.valLoader, loss).loss);
  }
  return options.valLoader ? result : { losses: result.losses, states: result.states };
}
