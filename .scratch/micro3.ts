import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../course/backend.js';
await selectBackend('wasm', {});
const x = tf.randomNormal([64, 24, 24, 6]); const b = tf.randomNormal([6]);
for (let r = 0; r < 3; r++) {
  let t = performance.now();
  for (let i = 0; i < 50; i++) { const y = tf.add(x, b); y.dataSync(); y.dispose(); }
  console.log('add', ((performance.now() - t) / 50).toFixed(3));
  t = performance.now();
  for (let i = 0; i < 50; i++) { const y = tf.sum(x, [0, 1, 2]); y.dataSync(); y.dispose(); }
  console.log('sum', ((performance.now() - t) / 50).toFixed(3));
  t = performance.now();
  for (let i = 0; i < 50; i++) { const y = tf.relu(x); y.dataSync(); y.dispose(); }
  console.log('relu', ((performance.now() - t) / 50).toFixed(3));
}
