/**
 * PyTorch's default initialisation for Linear and Conv2d, so the port trains like the notebook:
 * weights and biases uniform in [-1/sqrt(fan_in), 1/sqrt(fan_in)] (kaiming_uniform with a = sqrt(5)).
 * Seeded, and never with seed 0 (tfjs ignores it).
 */
import * as tf from '@tensorflow/tfjs';

type Initializer = ReturnType<typeof tf.initializers.randomUniform>;

export interface TorchInit {
  kernelInitializer: Initializer;
  biasInitializer: Initializer;
}

export function torchInit(fanIn: number, seed: number): TorchInit {
  const bound = 1 / Math.sqrt(fanIn);
  return {
    kernelInitializer: tf.initializers.randomUniform({
      minval: -bound,
      maxval: bound,
      seed: nonZeroSeed(seed),
    }),
    biasInitializer: tf.initializers.randomUniform({
      minval: -bound,
      maxval: bound,
      seed: nonZeroSeed(seed + 7919),
    }),
  };
}

/** tfjs treats seed 0 as "no seed"; map it to a fixed non-zero value instead. */
export function nonZeroSeed(seed: number): number {
  return seed === 0 ? 0x5eed : seed;
}
