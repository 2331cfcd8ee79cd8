/**
 * What course/tfjs/index.ts re-exports (it says why): tfjs-core (with its chained operations and
 * gradients), tfjs-layers, tfjs-data and the cpu backend, and the packages' versions.
 */
import { version_core } from '@tensorflow/tfjs-core';
import { version_layers } from '@tensorflow/tfjs-layers';
import { version_cpu } from '@tensorflow/tfjs-backend-cpu';
import { version_data } from '@tensorflow/tfjs-data';
import './chained-ops.mjs';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
export * from '@tensorflow/tfjs-backend-cpu';
export * as data from '@tensorflow/tfjs-data';
// The chained methods' types: tfjs-core's own augmentations of its tensor class.
export type {} from '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';

export const version = {
  'tfjs-core': version_core,
  'tfjs-backend-cpu': version_cpu,
  'tfjs-layers': version_layers,
  'tfjs-data': version_data,
  tfjs: version_core,
};
