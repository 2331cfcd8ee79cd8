/**
 * A net's parameters as plain numbers: one Float32Array per trainable weight, in the order of
 * `net.trainableWeights`. This is what `theLoop` records as a state and what the landscape and
 * SWA helpers read and write.
 */
import * as tf from '@tensorflow/tfjs';

export type State = Float32Array[];

/** Structural type of what the helpers need from a net: a tfjs-layers model. */
export type Net = tf.LayersModel;

/** A loss on logits [batch, classes] and integer labels [batch], averaged over the batch. */
export type LossFn = (logits: tf.Tensor, labels: tf.Tensor) => tf.Scalar;

/** A copy of the net's current trainable parameters. */
export function readState(net: Net): State {
  return net.trainableWeights.map((w) => w.read().dataSync().slice() as Float32Array);
}

/** Sets the net's trainable parameters to `state` (shapes must match `net.trainableWeights`). */
export function writeState(net: Net, state: State): void {
  const weights = net.trainableWeights;
  if (weights.length !== state.length) {
    throw new Error(
      `writeState: the net has ${weights.length} trainable weights, the state has ${state.length}`,
    );
  }
  tf.tidy(() => {
    weights.forEach((w, i) => {
      const values = state[i]!;
      if (values.length !== w.shape.reduce<number>((a, b) => a * (b ?? 1), 1)) {
        throw new Error(
          `writeState: weight ${w.name} has shape [${w.shape.join(', ')}], the state holds ${values.length} values`,
        );
      }
      w.write(tf.tensor(values, w.shape as number[], 'float32'));
    });
  });
}

/** The number of values in a state. */
export function stateSize(state: State): number {
  return state.reduce((n, a) => n + a.length, 0);
}
