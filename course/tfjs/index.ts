/**
 * `@tensorflow/tfjs` as this project resolves it, in the TA's repository and the student's starter
 * alike: tsconfig.json's `paths` (tsc, tsx), the vitest configurations' alias and the esbuild
 * bundles (runner/course-tfjs.ts says how, the grading child's included) map the name here, so a
 * submission sees the same names wherever it runs. It is the official package's union (tfjs-core,
 * tfjs-layers, tfjs-data, the cpu backend) without what nothing in this course uses and a
 * student's starter should not download: the WebGL backend and the model converter, with the
 * official package's browser bundles (about 200 MB installed).
 *
 * tfjs-core ships its chained operations (`t.mul(b)`) and gradient registrations only as ES modules
 * for bundlers; chained-ops.mjs is them, bundled (`npm run build:tfjs`). They patch tfjs-core's
 * global tensor class and gradient registry, so tfjs-core is imported first.
 */
export * from './union.js';
import * as tf from './union.js';
/** `import tf from '@tensorflow/tfjs'`, as the official CommonJS package allows: the whole namespace. */
export default tf;
