import { layout } from '../course/kernels/simd.js';
const n = 64, h = 24, w = 24, c = 6;
const size = n * h * w * c;
const { wasm, regions } = layout([size * 4, size / 4 * 4, size * 4]);
const [x, dy, dx] = regions as any[];
for (let i = 0; i < size; i++) x.f32[i] = Math.random() - 0.5;
for (let i = 0; i < size / 4; i++) dy.f32[i] = Math.random();
for (let r = 0; r < 5; r++) {
  const t = performance.now();
  for (let k = 0; k < 50; k++) wasm.maxPoolGrad2x2(x.byteOffset, dy.byteOffset, dx.byteOffset, n, h, w, c, 12, 12);
  console.log('raw', ((performance.now() - t) / 50).toFixed(3));
}
