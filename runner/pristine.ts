/**
 * References the harness keeps from before student code loads, so patching the instance later
 * (`tf.engine().memory = …`) does not change what the harness observes.
 */
import * as tf from '@tensorflow/tfjs';

const engine = tf.engine();
const memory = Object.getPrototypeOf(engine).memory as (this: typeof engine) => tf.MemoryInfo;

/** tf.memory().numTensors, through the engine's own method. */
export function tensorCount(): number {
  return memory.call(engine).numTensors;
}
