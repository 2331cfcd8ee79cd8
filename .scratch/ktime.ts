import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../course/backend.js';
import { getGarmentClassifier } from '../reference/nets.js';
const backend = process.argv[2] ?? 'wasm';
await selectBackend(backend, {});
tf.env().set('PROD', true);
const agg = new Map<string, number>();
let depth = 0;
for (const k of tf.getKernelsForBackend(backend)) {
  const orig = k.kernelFunc;
  tf.unregisterKernel(k.kernelName, backend);
  tf.registerKernel({ ...k, kernelFunc: (args) => {
    const t0 = performance.now(); depth++;
    try { return orig(args); } finally {
      depth--;
      if (depth === 0) {
        const key = `${k.kernelName} ${JSON.stringify(Object.values(args.inputs).map((t) => (t as tf.TensorInfo | undefined)?.shape))}`;
        agg.set(key, (agg.get(key) ?? 0) + performance.now() - t0);
      }
    }
  } });
}
const net = getGarmentClassifier({ seed: 1 });
const opt = tf.train.sgd(0.01);
const xs = tf.randomNormal([64, 28, 28, 1], 0, 1, 'float32', 1);
const ys = tf.tidy(() => tf.oneHot(tf.randomUniform([64], 0, 10, 'int32', 2), 10).toFloat());
const varList = net.trainableWeights.map((w) => w.read() as tf.Variable);
const step = () => { const l = opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, net.apply(xs) as tf.Tensor), true, varList); l?.dataSync(); l?.dispose(); };
for (let i = 0; i < 10; i++) step();
agg.clear();
const N = 50;
const t0 = performance.now();
for (let i = 0; i < N; i++) step();
const total = (performance.now() - t0) / N;
const rows = [...agg.entries()].sort((a, b) => b[1] - a[1]);
let sum = 0; for (const [, v] of rows) sum += v;
console.log(`step ${total.toFixed(2)} ms; top-level kernel sum ${(sum / N).toFixed(2)} ms; ${rows.length} kinds`);
for (const [k, v] of rows.slice(0, Number(process.argv[3] ?? 25))) console.log((v / N).toFixed(3).padStart(8), k);
