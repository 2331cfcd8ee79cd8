/**
 * Answers one request with a submission's code: the single place that maps a request to the probe
 * that runs it. The child process and the in-process runner (for trusted code) both use it.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Submission } from '../contract/index.js';
import type { ImageDataset } from '../course/data/dataset.js';
import { runOptimizerCase } from './optimizer-case.js';
import { probeOptimizer } from './optimizer-probes.js';
import type { Request } from './protocol.js';
import {
  measureTuning,
  probeData,
  probeLoop,
  probeNets,
  probeTraining,
  probeTrainingStep,
} from './training-probes.js';

export async function dispatch(
  sub: Submission,
  data: () => ImageDataset,
  request: Request,
): Promise<unknown> {
  switch (request.kind) {
    case 'case':
      return runOptimizerCase(sub, request.input);
    case 'probe-optimizer':
      return probeOptimizer(sub, request.input);
    case 'nets':
      return probeNets(sub, request.inputs);
    case 'data':
      return probeData(sub, data());
    case 'step':
      return probeTrainingStep(sub, data());
    case 'loop':
      return probeLoop(sub, data());
    case 'training':
      return probeTraining(sub, request.optimizer, request.args, data(), request.seed);
    case 'tuning':
      return measureTuning(
        sub[request.optimizer] as unknown as new (...a: number[]) => tf.Optimizer,
        request.args,
        request.batchSize,
        data(),
        request.seed,
      );
  }
}
