import * as tf from '@tensorflow/tfjs';
import { filterGrad, inputGrad, maxPoolGrad2x2 } from '../course/kernels/simd-conv.js';
const rnd = (n: number) => Float32Array.from({ length: n }, () => Math.random() - 0.5);
function time(label: string, f: () => void, reps = 50) { for (let i = 0; i < 5; i++) f(); const t = performance.now(); for (let i = 0; i < reps; i++) f(); console.log(label, ((performance.now() - t) / reps).toFixed(3), 'ms'); }
const i1 = tf.backend_util.computeConv2DInfo([64, 28, 28, 1], [5, 5, 1, 6], 1, 1, 'valid');
const i2 = tf.backend_util.computeConv2DInfo([64, 12, 12, 6], [5, 5, 6, 16], 1, 1, 'valid');
const x1 = rnd(64 * 28 * 28), dy1 = rnd(64 * 24 * 24 * 6), o1 = new Float32Array(150);
const x2 = rnd(64 * 144 * 6), dy2 = rnd(64 * 64 * 16), o2 = new Float32Array(2400), w2 = rnd(2400), dx2 = new Float32Array(64 * 144 * 6);
const pi = tf.backend_util.computePool2DInfo([64, 24, 24, 6], 2, 2, 1, 'valid');
const px = rnd(64 * 576 * 6), pdy = rnd(64 * 144 * 6), pdx = new Float32Array(px.length);
for (let r = 0; r < 3; r++) {
time('filterGrad conv1', () => filterGrad(x1, dy1, i1, o1));
time('filterGrad conv2', () => filterGrad(x2, dy2, i2, o2));
time('inputGrad conv2', () => inputGrad(dy2, w2, i2, dx2));
time('maxPoolGrad 24x24x6', () => maxPoolGrad2x2(px, pdy, pi, pdx));
time('copy 221K', () => pdx.set(px));
}
