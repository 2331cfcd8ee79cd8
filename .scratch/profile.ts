import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../course/backend.js';
import { getGarmentClassifier } from '../reference/nets.js';
const backend = process.argv[2] ?? 'wasm';
await selectBackend(backend, {});
tf.env().set('PROD', true);
const net = getGarmentClassifier({ seed: 1 });
const opt = tf.train.sgd(0.01);
const xs = tf.randomNormal([64, 28, 28, 1], 0, 1, 'float32', 1);
const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([64], 0, 10, 'int32', 2), 10).toFloat());
const varList = net.trainableWeights.map((w) => w.read() as tf.Variable);
const step = () => { const l = opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, net.apply(xs) as tf.Tensor), true, varList); l?.dataSync(); l?.dispose(); };
for (let i = 0; i < 10; i++) step();
const agg = new Map<string, number>();
const N = 20;
let total = 0;
for (let i = 0; i < N; i++) {
  const t0 = performance.now();
  const p = await tf.profile(() => { step(); });
  total += performance.now() - t0;
  for (const k of p.kernels) {
    const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
    agg.set(key, (agg.get(key) ?? 0) + (k.kernelTimeMs as number));
  }
}
const rows = [...agg.entries()].sort((a, b) => b[1] - a[1]);
let sum = 0; for (const [, v] of rows) sum += v;
console.log(`step (profiled) ${(total / N).toFixed(2)} ms; kernel sum ${(sum / N).toFixed(2)} ms`);
for (const [k, v] of rows.slice(0, 30)) console.log((v / N).toFixed(3).padStart(8), k);
