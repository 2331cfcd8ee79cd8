// `@tensorflow/tfjs` as the course installs it (package.json: "file:course/tfjs"), for the TA's
// repository and the student's starter alike, so a submission sees the same names in both. It is
// the official package's union without what nothing here uses and a student's starter should not
// download: the WebGL backend, the model converter and tfjs-data (192 MB with their bundles). The
// cpu backend registers itself on import; chained operations (`t.mul(b)`) and gradients are
// registered by chained-ops.cjs (`npm run build:tfjs`), after tfjs-core has made its tensor class
// the global one.
import { version_core } from '@tensorflow/tfjs-core';
import { version_layers } from '@tensorflow/tfjs-layers';
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import './chained-ops.cjs';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
export * from '@tensorflow/tfjs-backend-cpu';

export const version = {
  'tfjs-core': version_core,
  'tfjs-backend-cpu': version_cpu,
  'tfjs-layers': version_layers,
  tfjs: version_core,
};
