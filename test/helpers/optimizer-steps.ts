/** Runs an optimizer on plain numbers: variables from initial values, one gradient map per step. */
import * as tf from '@tensorflow/tfjs';

export type Values = Record<string, number[]>;
export type Gradients = Record<string, number[] | null>;

let unique = 0;

/** The parameters after every step, by name. Variables and optimizer are disposed afterwards. */
export function runSteps(
  optimizer: tf.Optimizer,
  initial: Values,
  steps: Gradients[],
): Array<Record<string, Float32Array>> {
  const prefix = `test${unique++}`;
  const vars = Object.fromEntries(
    Object.entries(initial).map(([name, values]) => [
      name,
      tf.variable(tf.tensor1d(values), true, `${prefix}/${name}`),
    ]),
  );
  const out: Array<Record<string, Float32Array>> = [];
  try {
    for (const grads of steps) {
      const map: tf.NamedTensorMap = {};
      for (const [name, g] of Object.entries(grads)) {
        if (g !== null) map[`${prefix}/${name}`] = tf.tensor1d(g);
      }
      optimizer.applyGradients(map);
      tf.dispose(Object.values(map));
      out.push(
        Object.fromEntries(
          Object.entries(vars).map(([name, v]) => [name, v.dataSync().slice() as Float32Array]),
        ),
      );
    }
  } finally {
    tf.dispose(Object.values(vars));
    optimizer.dispose();
  }
  return out;
}
