/** Hostile corpus case throws-located: a helper of Adam that reads a property of undefined. */
import type * as tf from '@tensorflow/tfjs';

export function firstMoment(state: { m: tf.Variable }, options?: { beta: number }): number {
  return options!.beta + state.m.size;
}
