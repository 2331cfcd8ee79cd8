/**
 * What test/course/tfjs/tfjs.test.ts asks of `@tensorflow/tfjs`, in its own process and, run by tsx
 * (`npx tsx test/course/tfjs/probe.ts` prints it as JSON), in a command's.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import tfDefault from '@tensorflow/tfjs';

export interface Probe {
  missing: string[];
  chained: number[];
  grad: number[];
  parameters: number;
  data: string;
  same: boolean;
  version: Record<string, string>;
}

const requireHere = createRequire(join(import.meta.dirname, '..', '..', '..', 'package.json'));

export function probe(): Probe {
  const names = (o: object): string[] => Object.keys(o).filter((k) => k !== 'default');
  const parts = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-cpu'];
  const missing = parts.flatMap((p) => names(requireHere(p) as object).filter((k) => !(k in tf)));
  const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3, 1]);
  const f = tf.tensor4d([1, 0, 0, -1], [2, 2, 1, 1]);
  const g = tf.grad((w: tf.Tensor) =>
    tf
      .conv2d(x, w as tf.Tensor4D, 1, 'valid')
      .maxPool(2, 1, 'valid')
      .square()
      .sum(),
  )(f);
  const net = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
  return {
    missing,
    chained: x.reshape([9]).mul(2).add(1).slice(0, 3).arraySync() as number[],
    grad: Array.from(g.dataSync()),
    parameters: net.countParams(),
    data: typeof tf.data.array,
    same: tfDefault.tidy === tf.tidy && tfDefault.layers === tf.layers,
    version: tf.version,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.log(JSON.stringify(probe()));
